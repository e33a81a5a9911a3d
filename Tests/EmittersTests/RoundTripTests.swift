import Emitters
import Foundation
import Outbreak
import Sensor
import Testing
import WormWatchCore
import WormWatchTestSupport

/// simulate → real-format files → scan gives back exactly what the engine recorded.
@Suite("Round trip: engine probes → pcap / web log → scan")
struct RoundTripTests {
    /// Code Red v2's day (the codered-v2 preset's numbers) with a /16 telescope and a /24
    /// honeypot inside it, both keeping every probe.
    static let codeRedDay = Scenario(
        name: "codered-v2-telescope", space: AddressSpace.ipv4,
        population: Population(size: 360_000),
        worm: Worm(probeRate: .fixed(6), infectionDelay: 1, initialInfected: 10, lifecycle: Lifecycle()),
        monitors: [
            Monitor(name: "telescope", prefixes: [IPv4Prefix(base: 0x83F3_0000, length: 16)], recordProbes: true),
            Monitor(name: "honeypot", prefixes: [IPv4Prefix(base: 0x83F3_0700, length: 24)], recordProbes: true),
        ],
        startTime: 995_536_800, duration: 86_400)  // 2001-07-19T10:00:00Z

    /// One run of the day, shared by the tests (about a second).
    static let dayResult = Result { () throws -> OutbreakRecord in
        try ExactEngine(scenario: codeRedDay).run(seed: 7, options: EngineOptions(keepProbes: true))
    }
    static var record: OutbreakRecord { get throws { try dayResult.get() } }

    /// Each source's first probe, in nanoseconds since 1970 as the emitter writes it.
    static func firstSeen(_ probes: [MonitorProbe], start: Int64, wholeSeconds: Bool = false) -> [UInt32: Int64] {
        var first: [UInt32: Int64] = [:]
        for p in probes {
            var t = ProbeEmitter.timeNanoseconds(p.time, startTime: start)
            if wholeSeconds { t = t / 1_000_000_000 * 1_000_000_000 }
            if let seen = first[p.source], seen <= t { continue }
            first[p.source] = t
        }
        return first
    }

    /// Scans `path` and returns the events' first time per source, the event count and the report.
    static func scan(_ path: String, format: InputFormat = .auto, extraRules: [Rule] = [])
        throws -> (first: [UInt32: Int64], events: Int, families: Set<String>, report: InputReport)
    {
        var rules = RuleSet.default
        rules.rules += extraRules
        var scan = try SensorScan(paths: [path], format: format, rules: rules)
        var first: [UInt32: Int64] = [:]
        var events = 0
        var families: Set<String> = []
        let reports = scan.run { event in
            events += 1
            families.insert(event.family)
            if let seen = first[event.source], seen <= event.timeNanoseconds { return }
            first[event.source] = event.timeNanoseconds
        }
        return (first, events, families, reports[0])
    }

    static func telescopeRules() throws -> [Rule] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/telescope.yaml").path
        return try RulesFile.load(path: path).rules
    }

    @Test("a /16 telescope over a full Code Red v2 day: every source and first-seen time, to the nanosecond")
    func telescopeDay() throws {
        let probes = try Self.record.probes[0]
        #expect(probes.count > 900_000, "a /16 receives about a million probes a day (got \(probes.count))")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("telescope.pcap").path
        try ProbeEmitter.writeCapture(probes, startTime: Self.codeRedDay.startTime, signature: .codeRedI, to: path)
        let scanned = try Self.scan(path, extraRules: try Self.telescopeRules())
        let expected = Self.firstSeen(probes, start: Self.codeRedDay.startTime)
        #expect(scanned.report.error == nil && scanned.report.skipped.isEmpty)
        #expect(scanned.report.records == probes.count)
        #expect(scanned.events == probes.count)
        #expect(scanned.families == ["http-probe"])
        #expect(scanned.first.count == expected.count)
        let engineSources = try Self.record.summary.monitorSources[0]
        #expect(scanned.first.count == engineSources)
        expectSameEntries(scanned.first, expected, "first-seen times by source")
    }

    @Test("the honeypot's Apache and IIS logs give back every Code Red source, first seen to the second",
          arguments: [LogFormat.apache, .iisW3C])
    func honeypotLog(_ format: LogFormat) throws {
        let probes = try Self.record.probes[1]
        #expect(probes.count > 3_000)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("honeypot.log").path
        try ProbeEmitter.writeLog(probes, startTime: Self.codeRedDay.startTime, signature: .codeRedI, format: format, to: path)
        let scanned = try Self.scan(path)
        #expect(scanned.report.error == nil && scanned.report.skipped.isEmpty)
        #expect(scanned.report.kind == format.rawValue)
        #expect(scanned.events == probes.count)
        #expect(scanned.families == ["code-red-i"])
        expectSameEntries(scanned.first, Self.firstSeen(probes, start: Self.codeRedDay.startTime, wholeSeconds: true), "first-seen seconds by source")
    }

    @Test("Code Red II's log lines are reported as Code Red II")
    func codeRedIILog() throws {
        let probes = Array(try Self.record.probes[1].prefix(200))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("crii.log").path
        try ProbeEmitter.writeLog(probes, startTime: Self.codeRedDay.startTime, signature: .codeRedII, format: .apache, to: path)
        let scanned = try Self.scan(path)
        #expect(scanned.events == probes.count)
        #expect(scanned.families == ["code-red-ii"])
    }

    @Test("Slammer's datagrams: one slammer event per packet, every source")
    func slammer() throws {
        let s = Scenario(
            name: "slammer-small", space: AddressSpace(bits: 24), population: Population(size: 2_000),
            worm: Worm(probeRate: .fixed(2_000), initialInfected: 5),
            monitors: [Monitor(name: "dark", prefixes: [IPv4Prefix(base: 0x00_1000, length: 20)], recordProbes: true)],
            startTime: 1_043_472_540, duration: 120, interval: 10)  // 2003-01-25T05:29:00Z
        let record = try ExactEngine(scenario: s).run(seed: 3, options: EngineOptions(keepProbes: true))
        let probes = record.probes[0]
        #expect(probes.count > 10_000)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("slammer.pcap").path
        try ProbeEmitter.writeCapture(probes, startTime: s.startTime, signature: .slammer, to: path)
        let scanned = try Self.scan(path)
        #expect(scanned.events == probes.count)
        #expect(scanned.families == ["slammer"])
        expectSameEntries(scanned.first, Self.firstSeen(probes, start: s.startTime), "first-seen times by source")
        #expect(throws: SensorError.self) {
            try ProbeEmitter.writeLog(probes, startTime: s.startTime, signature: .slammer, format: .apache,
                                      to: directory.appendingPathComponent("no.log").path)
        }
    }

    @Test("capinfos, tcpdump and tshark read the emitted captures and count the packets and sources the sensor counts",
          .enabled(if: ExternalTool.runs(ExternalTool.capinfos, ExternalTool.tcpdump, ExternalTool.tshark),
                   "needs capinfos, tcpdump and tshark (installed by .ci/run)"))
    func independentTools() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The whole day for capinfos (it only counts); tcpdump and tshark take ~60 µs a packet
        // when every packet is a new flow, so they read the day's first 20,000 probes.
        let day = directory.appendingPathComponent("day.pcap").path
        let probes = try Self.record.probes[0]
        try ProbeEmitter.writeCapture(probes, startTime: Self.codeRedDay.startTime, signature: .codeRedI, to: day)
        let capinfos = try ExternalTool.run(ExternalTool.capinfos, ["-c", "-M", day])
        #expect(capinfos.status == 0, "\(capinfos.stderr)")
        #expect(capinfos.stdout.contains("Number of packets:   \(probes.count)\n"), "\(capinfos.stdout)")

        let part = directory.appendingPathComponent("part.pcap").path
        try ProbeEmitter.writeCapture(Array(probes.prefix(20_000)), startTime: Self.codeRedDay.startTime, signature: .codeRedI, to: part)
        let sensor = try Self.scan(part, extraRules: try Self.telescopeRules())
        #expect(sensor.events == 20_000)
        let tcpdump = try ExternalTool.run(ExternalTool.tcpdump, ["-r", part, "-n", "-q", "tcp dst port 80 and tcp[tcpflags] == tcp-syn"])
        #expect(tcpdump.status == 0, "\(tcpdump.stderr)")
        let lines = tcpdump.stdout.split(separator: "\n")
        #expect(lines.count == sensor.events)
        // "10:06:10.846239 IP 183.92.77.52.4871 > 131.243.175.122.80: tcp 0": field 3 less its port.
        let tcpdumpSources = Set(lines.compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 2, let dot = fields[2].lastIndex(of: ".") else { return nil }
            return String(fields[2][..<dot])
        })
        let ours = Set(sensor.first.keys.map { IPv4Address($0).description })
        expectSameMembers(tcpdumpSources, ours, "sources tcpdump saw")

        let tshark = try ExternalTool.run(ExternalTool.tshark, ["-n", "-r", part, "-Y", "tcp.flags.syn == 1 && tcp.dstport == 80",
                                                       "-T", "fields", "-e", "ip.src"])
        #expect(tshark.status == 0, "\(tshark.stderr)")
        let tsharkLines = tshark.stdout.split(separator: "\n").map(String.init)
        #expect(tsharkLines.count == sensor.events)
        expectSameMembers(Set(tsharkLines), ours, "sources tshark saw")
    }
}

