import Testing
import WormWatchCore
@testable import Sensor

/// Well-formed captures: every pcap magic and byte order, pcapng sections, interfaces,
/// timestamp resolutions and packet blocks, link types, and what the observations carry.
@Suite(.timeLimit(.minutes(1)))
struct CaptureReaderTests {
    static let codeRedDay: UInt32 = 995_553_000  // 2001-07-19T14:30:00Z

    /// TCP SYN, UDP (Slammer-sized), ARP.
    static func threeRecords(nanoseconds: Bool) -> [Build.Record] {
        [
            Build.Record(
                seconds: codeRedDay, fraction: nanoseconds ? 250_000_123 : 250_000,
                data: Build.ethernet(Build.tcpPacket(ip(10, 0, 0, 1), 3345, ip(192, 168, 1, 20), 80))
            ),
            Build.Record(
                seconds: codeRedDay + 1, fraction: nanoseconds ? 999_999_999 : 999_999,
                data: Build.ethernet(Build.udpPacket(ip(172, 16, 0, 9), 1025, ip(10, 1, 2, 3), 1434, payload: [UInt8](repeating: 4, count: 376)))
            ),
            Build.Record(seconds: codeRedDay + 2, fraction: 0, data: Build.ethernet([UInt8](repeating: 0, count: 28), type: 0x0806)),
        ]
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func pcapMagicAndByteOrder(nanoseconds: Bool, bigEndian: Bool) throws {
        let bytes = Build.pcap(nanoseconds: nanoseconds, bigEndian: bigEndian, Self.threeRecords(nanoseconds: nanoseconds))
        #expect(CaptureFormat.detect(bytes) == .pcap)
        let result = try readCapture(bytes)
        let s = result.statistics
        #expect(s.packets == 3 && s.tcpPackets == 1 && s.udpPackets == 1 && s.nonIPv4Packets == 1)
        #expect(s.skipped.isEmpty && s.bytesRead == Int64(bytes.count))
        #expect(result.seen.count == 2)
        let syn = result.seen[0]
        #expect(syn.kind == .tcpPacket && syn.record == 1 && syn.input == 0)
        #expect(syn.time == Int64(Self.codeRedDay) * 1_000_000_000 + (nanoseconds ? 250_000_123 : 250_000_000))
        #expect(syn.source == ip(10, 0, 0, 1) && syn.destination == ip(192, 168, 1, 20))
        #expect(syn.sourcePort == 3345 && syn.destinationPort == 80 && syn.flags == 0x02)
        #expect(syn.payloadLength == 0 && syn.payload.isEmpty && syn.method.isEmpty)
        let udp = result.seen[1]
        #expect(udp.kind == .udpPacket && udp.record == 2 && udp.flags == 0)
        #expect(udp.time == Int64(Self.codeRedDay + 1) * 1_000_000_000 + (nanoseconds ? 999_999_999 : 999_999_000))
        #expect(udp.source == ip(172, 16, 0, 9) && udp.destination == ip(10, 1, 2, 3))
        #expect(udp.sourcePort == 1025 && udp.destinationPort == 1434)
        #expect(udp.payloadLength == 376 && udp.payload == [UInt8](repeating: 4, count: 376))
    }

    /// Two sections (little-, then big-endian), two interfaces each with different link types
    /// and timestamp resolutions, EPB, SPB and the obsolete PB, and blocks to skip.
    static func twoSections() -> [UInt8] {
        var b = Build.sectionHeader()
        b += Build.interface(linkType: 1)  // microseconds by default
        b += Build.interface(linkType: 101, snapLength: 65535, tsresol: 9)
        b += Build.enhancedPacket(interface: 0, ticks: 995_553_000_123_456,
                                  Build.ethernet(Build.tcpPacket(ip(10, 0, 0, 1), 1111, ip(10, 0, 0, 2), 80)))
        b += Build.block(4, [1, 0, 6, 0, 10, 0, 0, 1, 0x61, 0, 0, 0, 0, 0, 0, 0])  // name resolution: 10.0.0.1 is "a"
        b += Build.enhancedPacket(interface: 1, ticks: 995_553_001_000_000_789,
                                  Build.udpPacket(ip(10, 0, 0, 3), 53, ip(10, 0, 0, 4), 5353, payload: [1, 2, 3]))
        b += Build.simplePacket(Build.ethernet(Build.udpPacket(ip(10, 0, 0, 5), 1, ip(10, 0, 0, 6), 2)))
        b += Build.block(5, [UInt8](repeating: 0, count: 12))  // interface statistics block
        b += Build.block(0x0000_0BAD, Array("custom".utf8))  // custom block
        let be = true
        b += Build.sectionHeader(bigEndian: be)
        b += Build.interface(bigEndian: be, linkType: 113, tsresol: 0x86, tsoffset: 1000)  // 2^-6 s, +1000 s
        b += Build.interface(bigEndian: be, linkType: 1, tsresol: 3)  // milliseconds
        b += Build.enhancedPacket(bigEndian: be, interface: 0, ticks: 64 * 5 + 1,
                                  Build.sll(Build.tcpPacket(ip(1, 2, 3, 4), 2222, ip(5, 6, 7, 8), 80, flags: 0x12)))
        b += Build.enhancedPacket(bigEndian: be, interface: 1, ticks: 995_553_002_500,
                                  Build.ethernet(Build.tcpPacket(ip(9, 9, 9, 9), 3333, ip(8, 8, 8, 8), 8080), tags: [0x8100]))
        b += Build.simplePacket(bigEndian: be, Build.sll(Build.udpPacket(ip(4, 4, 4, 4), 4444, ip(3, 3, 3, 3), 137)))
        b += Build.obsoletePacket(bigEndian: be, interface: 1, ticks: 995_553_003_000,
                                  Build.ethernet(Build.tcpPacket(ip(7, 7, 7, 7), 7777, ip(6, 6, 6, 6), 80, flags: 0x11)))
        return b
    }

    @Test func pcapngSectionsInterfacesAndBlocks() throws {
        let bytes = Self.twoSections()
        #expect(CaptureFormat.detect(bytes) == .pcapng)
        let result = try readCapture(bytes, path: "t.pcapng")
        let s = result.statistics
        #expect(s.packets == 7 && s.tcpPackets == 4 && s.udpPackets == 3 && s.skipped.isEmpty)
        let summary = result.seen.map { "\($0.record) \($0.time) \(dotted($0.source)):\($0.sourcePort) > \(dotted($0.destination)):\($0.destinationPort) \($0.flags)" }
        #expect(summary == [
            "1 995553000123456000 10.0.0.1:1111 > 10.0.0.2:80 2",
            "2 995553001000000789 10.0.0.3:53 > 10.0.0.4:5353 0",
            "3 995553001000000789 10.0.0.5:1 > 10.0.0.6:2 0",  // SPB: the last packet's time
            "4 1005015625000 1.2.3.4:2222 > 5.6.7.8:80 18",  // 5 s + 1/64 s + 1000 s offset
            "5 995553002500000000 9.9.9.9:3333 > 8.8.8.8:8080 2",
            "6 995553002500000000 4.4.4.4:4444 > 3.3.3.3:137 0",
            "7 995553003000000000 7.7.7.7:7777 > 6.6.6.6:80 17",
        ])
        #expect(result.seen[1].payload == [1, 2, 3])
    }

    @Test func simplePacketBeforeAnyTimestampGetsZeroAndHonoursSnapLength() throws {
        var b = Build.sectionHeader()
        b += Build.interface(linkType: 1, snapLength: 50)
        let frame = Build.ethernet(Build.udpPacket(ip(1, 1, 1, 1), 1, ip(2, 2, 2, 2), 2, payload: [UInt8](repeating: 7, count: 40)))
        b += Build.simplePacket(frame)
        let result = try readCapture(b)
        #expect(result.seen.count == 1)
        #expect(result.seen[0].time == 0)
        #expect(result.seen[0].payloadLength == 40 && result.seen[0].payload.count == 50 - 42)
    }

    @Test func timestampResolutions() {
        #expect(TimestampResolution(tsresol: 6).nanoseconds(1_500_000) == 1_500_000_000)
        #expect(TimestampResolution(tsresol: 9).nanoseconds(123) == 123)
        #expect(TimestampResolution(tsresol: 0).nanoseconds(2) == 2_000_000_000)
        #expect(TimestampResolution(tsresol: 12).nanoseconds(1_234_567) == 1234)
        #expect(TimestampResolution(tsresol: 0x80 | 10).nanoseconds(3 * 1024 + 512) == 3_500_000_000)
        #expect(TimestampResolution(tsresol: 0x80 | 32).nanoseconds(1 << 32) == 1_000_000_000)
        #expect(TimestampResolution(tsresol: 0x80 | 100).nanoseconds(.max) == 0)
        #expect(TimestampResolution(tsresol: 0x80).nanoseconds(.max) == .max)
        #expect(TimestampResolution(tsresol: 127).nanoseconds(.max) == 0)
        #expect(TimestampResolution(tsresol: 0).nanoseconds(.max) == .max)
        #expect(TimestampResolution.microseconds.nanoseconds(.max) == .max)
    }

    /// Ethernet with VLAN tags, non-IPv4 frames, other IP protocols, fragments, options, padding.
    static func ethernetVariety() -> [UInt8] {
        let frames: [[UInt8]] = [
            Build.ethernet(Build.tcpPacket(ip(10, 0, 0, 1), 1000, ip(10, 0, 0, 2), 80), tags: [0x8100]),
            Build.ethernet(Build.udpPacket(ip(10, 0, 0, 3), 2000, ip(10, 0, 0, 4), 1434, payload: [9]), tags: [0x88A8, 0x8100]),
            Build.ethernet([UInt8](repeating: 0, count: 28), type: 0x0806),  // ARP
            Build.ethernet([0x60] + [UInt8](repeating: 0, count: 39), type: 0x86DD),  // IPv6
            Build.ethernet(Build.ipv4(proto: 1, source: ip(10, 0, 0, 5), destination: ip(10, 0, 0, 6), transport: [8, 0, 0, 0, 0, 0, 0, 0])),
            Build.ethernet(Build.ipv4(proto: 17, source: ip(10, 0, 0, 7), destination: ip(10, 0, 0, 8),
                                      transport: [UInt8](repeating: 1, count: 100), flagsAndOffset: 185)),
            Build.ethernet(Build.ipv4(proto: 17, source: ip(10, 0, 0, 9), destination: ip(10, 0, 0, 10),
                                      transport: Build.udp(sourcePort: 53, destinationPort: 53, payload: [UInt8](repeating: 2, count: 1472), length: 3000),
                                      flagsAndOffset: 0x2000)),
            Build.ethernet(Build.ipv4(proto: 6, source: ip(10, 0, 0, 11), destination: ip(10, 0, 0, 12),
                                      transport: Build.tcp(sourcePort: 1025, destinationPort: 80, flags: 0x18, payload: Array("hello".utf8),
                                                           options: [2, 4, 5, 0xB4, 1, 1, 4, 2, 1, 1, 1, 0]),
                                      options: [1, 1, 1, 0])),
            Build.ethernet(Build.udpPacket(ip(10, 0, 0, 13), 7, ip(10, 0, 0, 14), 7, payload: [0xAB, 0xCD]) + [UInt8](repeating: 0xEE, count: 16)),
            Build.ethernet(Build.ipv4(proto: 6, source: ip(10, 0, 0, 15), destination: ip(10, 0, 0, 16),
                                      transport: Build.tcp(sourcePort: 4000, destinationPort: 80, flags: 0x10, payload: [UInt8](repeating: 3, count: 100)),
                                      totalLength: 0)),
            Build.ethernet([UInt8](repeating: 0x42, count: 38), type: 0x0026),  // 802.3 length field
        ]
        return Build.pcap(frames.enumerated().map { Build.Record(seconds: 1_000_000_000, fraction: UInt32($0.offset), data: $0.element) })
    }

    @Test func ethernetVariety() throws {
        let result = try readCapture(Self.ethernetVariety())
        let s = result.statistics
        #expect(s.packets == 11 && s.tcpPackets == 3 && s.udpPackets == 3)
        #expect(s.nonIPv4Packets == 3 && s.otherIPv4Packets == 1 && s.nonFirstFragments == 1 && s.skipped.isEmpty)
        #expect(result.seen.map(\.record) == [1, 2, 7, 8, 9, 10])
        #expect(result.seen.map(\.sourcePort) == [1000, 2000, 53, 1025, 7, 4000])
        let fragment = result.seen[2]
        #expect(fragment.payloadLength == 2992 && fragment.payload == [UInt8](repeating: 2, count: 1472))
        let options = result.seen[3]
        #expect(options.payloadLength == 5 && options.payload == Array("hello".utf8) && options.flags == 0x18)
        #expect(result.seen[4].payload == [0xAB, 0xCD] && result.seen[4].payloadLength == 2)
        #expect(result.seen[5].payloadLength == 100 && result.seen[5].payload.count == 100)
    }

    @Test func linkTypes() throws {
        let tcp = Build.tcpPacket(ip(192, 0, 2, 1), 1234, ip(198, 51, 100, 2), 80)
        let udp = Build.udpPacket(ip(192, 0, 2, 3), 5678, ip(198, 51, 100, 4), 53)
        let ipv6: [UInt8] = [0x60] + [UInt8](repeating: 0, count: 39)
        let cases: [(UInt32, [[UInt8]], tcp: Int, udp: Int, other: Int)] = [
            (101, [tcp, ipv6], 1, 0, 1),
            (12, [udp], 0, 1, 0),
            (14, [tcp, udp], 1, 1, 0),
            (228, [udp], 0, 1, 0),
            (113, [Build.sll(tcp), Build.sll([UInt8](repeating: 0, count: 28), protocol: 0x0806)], 1, 0, 1),
            (276, [Build.sll2(udp), Build.sll2(ipv6, protocol: 0x86DD)], 0, 1, 1),
            (0, [[2, 0, 0, 0] + tcp, [0, 0, 0, 2] + udp, [24, 0, 0, 0] + ipv6], 1, 1, 1),
            (108, [[0, 0, 0, 2] + tcp], 1, 0, 0),
        ]
        for (linkType, frames, tcpCount, udpCount, other) in cases {
            let bytes = Build.pcap(linkType: linkType, frames.map { Build.Record(seconds: 1, fraction: 0, data: $0) })
            var reader = CaptureReader(source: MemoryByteSource(bytes), path: "t.pcap")
            var seen: [Seen] = []
            try reader.forEach { seen.append(Seen($0)) }
            #expect(reader.pcapLinkType == LinkType(rawValue: linkType))
            let s = reader.statistics
            #expect(s.tcpPackets == tcpCount && s.udpPackets == udpCount && s.nonIPv4Packets == other && s.skipped.isEmpty, "link type \(linkType)")
            if tcpCount > 0 {
                #expect(seen.first { $0.kind == .tcpPacket }.map { "\(dotted($0.source)):\($0.sourcePort)" } == "192.0.2.1:1234")
            }
            if udpCount > 0 {
                #expect(seen.first { $0.kind == .udpPacket }.map { "\(dotted($0.destination)):\($0.destinationPort)" } == "198.51.100.4:53")
            }
        }
    }

    @Test func httpRequestLines() throws {
        let requests: [(String, String?, String?)] = [
            ("GET /default.ida?NNNNNNNN%u9090%u6858=a HTTP/1.0\r\nContent-type: text/xml\r\n", "GET", "/default.ida?NNNNNNNN%u9090%u6858=a"),
            ("HEAD / HTTP/1.1\r\n", "HEAD", "/"),
            ("POST /scripts/..%c1%1c../winnt/system32/cmd.exe HTTP/1.0\r\n", "POST", "/scripts/..%c1%1c../winnt/system32/cmd.exe"),
            ("SEARCH /\u{1}\u{2} HTTP/1.1\r\n", "SEARCH", "/\u{1}\u{2}"),
            ("PROPFIND /x HTTP/1.1", "PROPFIND", "/x"),
            ("OPTIONS * HTTP/1.1\r\n", "OPTIONS", "*"),
            ("VERSION-CONTROL /a HTTP/1.1\r\n", "VERSION-CONTROL", "/a"),
            ("GET /nohttp\r\n", nil, nil),
            ("get / HTTP/1.0\r\n", nil, nil),
            ("HTTP/1.1 200 OK\r\n", nil, nil),
            ("GET  / HTTP/1.0\r\n", nil, nil),
            ("GET / HTTP/2.0\r\n", nil, nil),
            ("GET / HTTP/1.", nil, nil),
            ("X / HTTP/1.0", "X", "/"),
        ]
        var records = requests.map {
            Build.Record(seconds: 7, fraction: 0, data: Build.ethernet(
                Build.tcpPacket(ip(10, 9, 8, 7), 1200, ip(10, 0, 0, 80), 80, flags: 0x18, payload: Array($0.0.utf8))))
        }
        // UDP payloads are not HTTP requests.
        records.append(Build.Record(seconds: 7, fraction: 0, data: Build.ethernet(
            Build.udpPacket(ip(10, 9, 8, 7), 1200, ip(10, 0, 0, 80), 80, payload: Array("GET / HTTP/1.0\r\n".utf8)))))
        let result = try readCapture(Build.pcap(records))
        #expect(result.statistics.tcpPackets == requests.count && result.statistics.httpRequests == 8)
        var expected: [String] = []
        for (index, request) in requests.enumerated() {
            expected.append("tcpPacket \(index + 1)")
            if let method = request.1, let target = request.2 { expected.append("httpRequest \(index + 1) \(method) \(target)") }
        }
        expected.append("udpPacket \(requests.count + 1)")
        let got = result.seen.map { $0.kind == .httpRequest ? "\($0.kind) \($0.record) \($0.method) \($0.target)" : "\($0.kind) \($0.record)" }
        #expect(got == expected)
        let first = result.http[0]
        let firstTCP = result.tcp[0]
        #expect(first.source == firstTCP.source && first.destinationPort == 80 && first.time == firstTCP.time)
        #expect(first.payload == firstTCP.payload && first.flags == 0x18)
    }

    @Test func snapLengthCutsPayloadsNotLengths() throws {
        let tcp = Build.ethernet(Build.tcpPacket(ip(1, 0, 0, 1), 1, ip(1, 0, 0, 2), 80, flags: 0x18,
                                                 payload: Array(("GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\n").utf8)))
        let udp = Build.ethernet(Build.udpPacket(ip(1, 0, 0, 3), 3, ip(1, 0, 0, 4), 1434, payload: [UInt8](repeating: 5, count: 376)))
        let bytes = Build.pcap(snapLength: 68, [
            Build.Record(seconds: 1, fraction: 0, data: Array(tcp.prefix(68)), originalLength: UInt32(tcp.count)),
            Build.Record(seconds: 1, fraction: 0, data: Array(udp.prefix(68)), originalLength: UInt32(udp.count)),
        ])
        let result = try readCapture(bytes)
        #expect(result.seen.count == 2 && result.statistics.httpRequests == 0)
        #expect(result.seen[0].payloadLength == 216 && result.seen[0].payload == Array("GET /aaaaaaaaa".utf8))
        #expect(result.seen[1].payloadLength == 376 && result.seen[1].payload == [UInt8](repeating: 5, count: 68 - 42))
    }

    /// Reading in tiny chunks, or with a buffer that must grow, gives the same as one chunk.
    @Test func chunkBoundaries() throws {
        let fixtures: [[UInt8]] = [
            Self.twoSections(),
            Self.ethernetVariety(),
            Build.pcap(nanoseconds: true, bigEndian: true, Self.threeRecords(nanoseconds: true)),
            Build.pcap([Build.Record(seconds: 1, fraction: 2, data: Build.ethernet(
                Build.udpPacket(ip(1, 2, 3, 4), 5, ip(6, 7, 8, 9), 10, payload: [UInt8](repeating: 0x5A, count: 9000))))]),
        ]
        for bytes in fixtures {
            let whole = try readCapture(bytes)
            #expect(!whole.seen.isEmpty)
            for chunk in [1, 2, 3, 7, 64, 1000] {
                let chunked = try readCapture(bytes, chunk: chunk)
                #expect(chunked.seen == whole.seen, "chunk \(chunk)")
                #expect(chunked.statistics == whole.statistics, "chunk \(chunk)")
            }
            let growing = try readCapture(bytes, chunk: 7, bufferCapacity: 64)
            #expect(growing.seen == whole.seen && growing.statistics == whole.statistics)
        }
    }

    @Test func leadingBytesSniffedByTheCaller() throws {
        let bytes = Self.twoSections()
        var source = MemoryByteSource(bytes, maximumChunk: 5)
        var sniffed = [UInt8](repeating: 0, count: 4)
        let count = try sniffed.withUnsafeMutableBytes { (buffer) throws(SensorError) -> Int in try source.read(into: buffer) }
        #expect(count == 4 && CaptureFormat.detect(sniffed) == .pcapng)
        var reader = CaptureReader(source: source, path: "t.pcapng", input: 3, leadingBytes: sniffed)
        var seen: [Seen] = []
        try reader.forEach { seen.append(Seen($0)) }
        #expect(reader.format == .pcapng)
        let whole = try readCapture(bytes, input: 3)
        #expect(seen == whole.seen && reader.statistics == whole.statistics)
        #expect(seen.allSatisfy { $0.input == 3 })
    }

    @Test func detection() {
        #expect(CaptureFormat.detect([0xA1, 0xB2, 0xC3, 0xD4]) == .pcap)
        #expect(CaptureFormat.detect([0xD4, 0xC3, 0xB2, 0xA1, 0]) == .pcap)
        #expect(CaptureFormat.detect([0xA1, 0xB2, 0x3C, 0x4D]) == .pcap)
        #expect(CaptureFormat.detect([0x4D, 0x3C, 0xB2, 0xA1]) == .pcap)
        #expect(CaptureFormat.detect([0x0A, 0x0D, 0x0D, 0x0A]) == .pcapng)
        #expect(CaptureFormat.detect(Array("GET ".utf8)) == nil)
        #expect(CaptureFormat.detect([0xA1, 0xB2, 0xC3]) == nil)
        #expect(CaptureFormat.detect([]) == nil)
        #expect("\(CaptureFormat.pcap) \(CaptureFormat.pcapng) \(LinkType.linuxSLL) \(LinkType(rawValue: 147))" == "pcap pcapng linux-sll link type 147")
    }

    @Test func requestTargetDelimitersAcrossWords() {
        var random = SplitMix64(seed: 5)
        for length in 0..<40 {
            for delimiter: UInt8 in [0x20, 0x0D, 0x0A] {
                for position in 0...length {
                    var bytes = (0..<length).map { _ in UInt8(0x21 + random.below(0x5E)) }
                    if position < length { bytes[position] = delimiter }
                    let expected = bytes.firstIndex { $0 == 0x20 || $0 == 0x0D || $0 == 0x0A } ?? length
                    let found = bytes.withUnsafeBytes { buffer in
                        buffer.baseAddress.map { HTTPRequestLine.firstDelimiter($0, from: 0, to: length) } ?? 0
                    }
                    #expect(found == expected, "length \(length) delimiter \(delimiter) at \(position)")
                }
            }
        }
    }
}
