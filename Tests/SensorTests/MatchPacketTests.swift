import Testing
@testable import Sensor

/// Packet rules (Slammer) and address scans: thresholds, windows, once per pair, memory limits.
@Suite("Matching packets and scans")
struct MatchPacketTests {
    typealias S = MatchSupport
    static let slammerPayload: [UInt8] = [0x04] + [UInt8](repeating: 0x01, count: 375)
    static let scanner = S.address(198, 51, 100, 9)

    static func slammer(_ m: inout Matcher, length: Int = 376, payload: [UInt8] = slammerPayload, port: UInt16 = 1434, kind: Observation.Kind = .udpPacket) -> [SensorEvent] {
        S.packet(&m, kind, source: S.address(203, 0, 113, 5), destination: S.address(10, 1, 2, 3), port: port, flags: 0x18,
                 payloadLength: length, payload: payload, seconds: 1_043_370_000.25, record: 42)
    }

    @Test("Slammer: one 376-byte UDP datagram to 1434 starting 0x04")
    func slammer() throws {
        var m = S.matcher()
        let events = Self.slammer(&m)
        try #require(events.count == 1)
        let e = events[0]
        #expect(e.ruleID == "slammer" && e.family == "slammer" && e.transport == .udp && e.destinationPort == 1434)
        #expect(e.evidence == "udp/1434, 376-byte payload, first bytes 04 01 01 01 01 01 01 01")
        #expect(e.input == "day.pcap" && e.recordKind == .packet && e.record == 42)
        #expect(e.source == S.address(203, 0, 113, 5) && e.destination == S.address(10, 1, 2, 3))
        // A capture that kept only the first 4 bytes still has the length and the first byte.
        #expect(Self.slammer(&m, payload: [4, 1, 1, 1]).map(\.ruleID) == ["slammer"])
    }

    @Test("not Slammer: other length, first byte, port, protocol, or a first byte not captured")
    func notSlammer() {
        var m = S.matcher()
        #expect(Self.slammer(&m, length: 375).isEmpty)
        #expect(Self.slammer(&m, length: 377).isEmpty)
        #expect(Self.slammer(&m, payload: [0x05] + Self.slammerPayload.dropFirst()).isEmpty)
        #expect(Self.slammer(&m, port: 1433).isEmpty)
        #expect(Self.slammer(&m, kind: .tcpPacket).isEmpty)
        #expect(Self.slammer(&m, payload: []).isEmpty)
    }

    /// Probes `count` distinct destinations (10.0.0.1, 10.0.0.2, …) from the scanner at the given times.
    static func scan(_ m: inout Matcher, count: Int, firstDestination: Int = 1, port: UInt16 = 80, flags: UInt8 = 0x02,
                     source: UInt32 = scanner, at time: (Int) -> Double) -> [SensorEvent] {
        var events: [SensorEvent] = []
        for k in 0..<count {
            events += S.packet(&m, .tcpPacket, source: source, destination: S.address(10, 0, 0, 0) + UInt32(firstDestination + k),
                               port: port, flags: flags, seconds: time(k), record: k + 1)
        }
        return events
    }

    @Test("24 distinct destinations are not a scan; the 25th is, once, with its evidence")
    func threshold() throws {
        var m = S.matcher()
        #expect(Self.scan(&m, count: 24) { Double($0) }.isEmpty)
        let events = Self.scan(&m, count: 1, firstDestination: 25) { _ in 24 }
        try #require(events.count == 1)
        #expect(events[0].ruleID == "address-scan" && events[0].family == "address-scan")
        #expect(events[0].evidence == "25 distinct destinations on tcp/80 within 300 s")
        #expect(events[0].destination == S.address(10, 0, 0, 25) && events[0].destinationPort == 80)
        #expect(events[0].timeNanoseconds == 24_000_000_000 && events[0].record == 1)
        // Once per (source, port): more probes report nothing.
        #expect(Self.scan(&m, count: 100, firstDestination: 26) { 25 + Double($0) }.isEmpty)
    }

    @Test("the same destination again does not count")
    func repeats() {
        var m = S.matcher()
        for k in 0..<100 {
            #expect(S.packet(&m, .tcpPacket, source: Self.scanner, destination: S.address(10, 0, 0, 1 + UInt32(k % 24)), port: 80, seconds: Double(k) / 10).isEmpty)
        }
    }

    @Test("the window is 300 s: a probe exactly 300 s old has left it")
    func windowExpiry() {
        var m = S.matcher()
        #expect(Self.scan(&m, count: 24) { _ in 0 }.isEmpty)
        #expect(Self.scan(&m, count: 1, firstDestination: 25) { _ in 300 }.isEmpty)
        var n = S.matcher()
        #expect(Self.scan(&n, count: 24) { _ in 0 }.isEmpty)
        #expect(Self.scan(&n, count: 1, firstDestination: 25) { _ in 299.999_999_999 }.count == 1)
    }

    @Test("the window slides: old probes leave one by one")
    func sliding() {
        var m = S.matcher()
        // One new destination every 13 s: at most 300/13 → 24 within any window.
        #expect(Self.scan(&m, count: 200) { Double($0) * 13 }.isEmpty)
        // Every 12 s: 25 within 300 s, reached at the 25th probe (t = 288 s).
        let events = Self.scan(&m, count: 200, firstDestination: 1000, source: S.address(198, 51, 100, 10)) { 5000 + Double($0) * 12 }
        #expect(events.map(\.timeNanoseconds) == [5288_000_000_000])
    }

    @Test("each port and each source on its own")
    func pairs() {
        var m = S.matcher()
        #expect(Self.scan(&m, count: 25) { Double($0) }.count == 1)
        #expect(Self.scan(&m, count: 25, port: 443) { Double($0) }.map(\.evidence) == ["25 distinct destinations on tcp/443 within 300 s"])
        #expect(Self.scan(&m, count: 25, source: S.address(198, 51, 100, 11)) { Double($0) }.count == 1)
    }

    @Test("flags: syn counts connection attempts only; any counts every segment; udp is not tcp")
    func flags() {
        var m = S.matcher()
        #expect(Self.scan(&m, count: 30, flags: 0x12) { Double($0) }.isEmpty)  // SYN-ACK
        #expect(Self.scan(&m, count: 30, flags: 0x10) { Double($0) }.isEmpty)  // ACK
        for k in 0..<30 {
            #expect(S.packet(&m, .udpPacket, source: Self.scanner, destination: UInt32(k + 1), port: 53, seconds: Double(k)).isEmpty)
        }
        let any = RuleSet(rules: [Rule(id: "s", family: "address-scan", description: "",
                                       condition: .addressScan(.init(transport: .tcp, flags: .any, port: 80, distinctDestinations: 3, windowSeconds: 10)))])
        var a = S.matcher(any)
        #expect(Self.scan(&a, count: 3, flags: 0x10) { Double($0) }.map(\.evidence) == ["3 distinct destinations on tcp/80 within 10 s"])
        #expect(Self.scan(&a, count: 3, port: 8080, flags: 0x10) { Double($0) }.isEmpty)
    }

    @Test("a threshold of 1 fires on the first probe")
    func thresholdOne() {
        let rules = RuleSet(rules: [Rule(id: "s", family: "probe", description: "",
                                         condition: .addressScan(.init(transport: .udp, distinctDestinations: 1, windowSeconds: 0.5)))])
        var m = S.matcher(rules)
        #expect(S.packet(&m, .udpPacket, source: 1, destination: 2, port: 1434, seconds: 0).map(\.evidence) == ["1 distinct destinations on udp/1434 within 0.5 s"])
        #expect(S.packet(&m, .udpPacket, source: 1, destination: 3, port: 1434, seconds: 0).isEmpty)
    }

    @Test("memory: sweeps drop idle sources, and the limits are held")
    func memory() {
        var m = S.matcher()
        // 10,000 sources, one probe each, 1 s apart: sweeps keep only the last window's.
        for k in 0..<10_000 {
            _ = S.packet(&m, .tcpPacket, source: 1_000_000 + UInt32(k), destination: 7, port: 80, seconds: Double(k))
        }
        #expect(m.scans[0].trackedPairs <= 601)
        #expect(m.scans[0].poolEntries <= 1202)
        var limited = S.matcher(limits: Matcher.Limits(maximumTrackedPairs: 10, maximumTrackedDestinations: 15))
        for k in 0..<20 {
            _ = S.packet(&limited, .tcpPacket, source: UInt32(k + 1), destination: 7, port: 80, seconds: 0)
        }
        #expect(limited.scans[0].trackedPairs == 10)
        #expect(limited.statistics.untrackedProbes == 10)
        // Source 1's region grows from 1 to 2 entries (12 in the pool); 4 would pass 15.
        #expect(Self.scan(&limited, count: 10, source: 1) { _ in 1 }.isEmpty)
        #expect(limited.scans[0].poolEntries == 12)
        #expect(limited.statistics.untrackedProbes == 19)
    }

    @Test("regions grow and are reused: a scanner's entries move as its region doubles")
    func regions() {
        let rules = RuleSet(rules: [Rule(id: "s", family: "address-scan", description: "",
                                         condition: .addressScan(.init(transport: .tcp, distinctDestinations: 40, windowSeconds: 300)))])
        var m = S.matcher(rules)
        // Five scanners interleaved: 39 destinations each, then the 40th.
        for k in 0..<39 {
            for s in 0..<5 {
                #expect(S.packet(&m, .tcpPacket, source: 100 + UInt32(s), destination: 1000 + UInt32(k), port: 80, seconds: Double(k)).isEmpty)
            }
        }
        // Repeats refresh, and do not count.
        for s in 0..<5 {
            #expect(S.packet(&m, .tcpPacket, source: 100 + UInt32(s), destination: 1000, port: 80, seconds: 50).isEmpty)
        }
        for s in 0..<5 {
            #expect(S.packet(&m, .tcpPacket, source: 100 + UInt32(s), destination: 2000, port: 80, seconds: 51).count == 1)
        }
        #expect(m.scans[0].trackedPairs == 0)
        // New pairs reuse the freed regions: the pool does not grow.
        let pool = m.scans[0].poolEntries
        for k in 0..<39 {
            _ = S.packet(&m, .tcpPacket, source: 200, destination: 1000 + UInt32(k), port: 80, seconds: 60 + Double(k))
        }
        #expect(m.scans[0].poolEntries == pool)
    }

    @Test("HTTP requests and packets of unknown inputs still give events")
    func unknownInput() {
        var m = S.matcher()
        let events = S.request(&m, Array(S.codeRedII.utf8), input: 7)
        #expect(events.map(\.input) == ["input 7"])
        #expect(events.map(\.recordKind) == [.line])
    }
}
