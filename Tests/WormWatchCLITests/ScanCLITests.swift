import Foundation
import Testing

@Suite("wormwatch scan")
struct ScanCLITests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/SensorTests/Fixtures/logs")

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func events(_ outcome: Outcome) throws -> [[String: Any]] {
        try outcome.output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("NDJSON events (the default off a terminal) from a 2001 Apache log, exit 0")
    func apacheEvents() throws {
        let run = try wormwatch("scan", Self.fixtures.appendingPathComponent("apache-common-2001.log").path)
        #expect(run.status == 0, "\(run)")
        let list = try events(run)
        #expect(list.map { $0["family"] as? String } == ["code-red-i", "code-red-ii"])
        #expect(list.allSatisfy { $0["format"] as? String == "wormwatch.event/1" })
        #expect(list.first?["time"] as? String == "2001-07-19T17:04:12Z")
        #expect(list.first?["line"] as? Int == 1)
    }

    @Test("a summary as JSON, and the new sources per minute as CSV")
    func summaryAndSeries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let series = folder.appendingPathComponent("series.csv").path
        let run = try wormwatch("scan", Self.fixtures.appendingPathComponent("apache-combined-2001.log").path,
                                "--format", "json", "--series", series)
        #expect(run.status == 0, "\(run)")
        let summary = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(summary["format"] as? String == "wormwatch.scan-summary/1")
        #expect(summary["total_events"] as? Int == 6)
        let csv = try String(contentsOfFile: series, encoding: .utf8)
        #expect(csv.hasPrefix("minute,family,new_sources,cumulative_sources\n"), "\(csv)")
    }

    @Test("skipped damaged lines: the rest is read, the first skips are named, exit 1")
    func skippedInput() throws {
        let run = try wormwatch("scan", Self.fixtures.appendingPathComponent("iis5-w3c.log").path, "--format", "csv")
        #expect(run.status == 1, "\(run)")
        let path = Self.fixtures.appendingPathComponent("iis5-w3c.log").path
        #expect(run.stderrLines == [
            "wormwatch: warning: \(path): skipped 1 damaged lines of 17",
            "  \(path):17: fewer fields than #Fields declares (8 of 11)",
        ])
        #expect(run.output.hasPrefix("family,events,distinct_sources,first_seen,last_seen\n"), "\(run.output)")
    }

    @Test("gzip-compressed logs are read like plain ones")
    func gzipInput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("access.log")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("apache-combined-2001.log"), to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let run = try wormwatch("scan", plain.path + ".gz", "--format", "json")
        #expect(run.status == 0, "\(run)")
        let summary = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        #expect(summary?["total_events"] as? Int == 6)
    }

    @Test("missing input exits 66; not a log exits 65; both after reading the others")
    func badInputs() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.bin")
        try Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: garbage)
        let good = Self.fixtures.appendingPathComponent("apache-common-2001.log").path
        let missing = try wormwatch("scan", folder.appendingPathComponent("nope.log").path, good)
        #expect(missing.status == 66)
        #expect(missing.stderrLines == ["wormwatch: error: \(folder.appendingPathComponent("nope.log").path): No such file or directory"])
        #expect(try events(missing).count == 2)
        let notALog = try wormwatch("scan", garbage.path, "--format", "json")
        #expect(notALog.status == 65)
        #expect(notALog.stderrLines.first?.hasPrefix("wormwatch: error: \(garbage.path): not an Apache or IIS log") == true, "\(notALog)")
        let forced = try wormwatch("scan", good, "--input-format", "pcap")
        #expect(forced.status == 65)
        #expect(forced.stderrLines == ["wormwatch: error: \(good): not a pcap or pcapng capture (no capture magic number)"])
    }

    @Test("an invalid rules file exits 65 naming file, line and key; bad options exit 64")
    func badRulesAndOptions() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("bad.yaml")
        try "format: wormwatch.rules/1\nrules:\n  - id: x\n    family: y\n    kind: http\n    path_sufix: .ida\n".write(to: rules, atomically: true, encoding: .utf8)
        let good = Self.fixtures.appendingPathComponent("apache-common-2001.log").path
        let bad = try wormwatch("scan", "--rules", rules.path, good)
        #expect(bad.status == 65)
        #expect(bad.stderrLines.first?.hasPrefix("wormwatch: error: \(rules.path):6: rules[0].path_sufix: unknown key (did you mean 'path_suffix'?)") == true, "\(bad)")
        let none = try wormwatch("scan")
        #expect(none.status == 64)
        #expect(none.stderrLines.first == "wormwatch: error: give at least one log or capture to read (- for standard input)")
        let stdin = try wormwatch("scan", "--follow", good, "-")
        #expect(stdin.status == 64)
        #expect(stdin.stderrLines.first == "wormwatch: error: --follow: needs files, not standard input")
    }

    @Test("--apache-log-format reads a vhost_combined log; a format it cannot use exits 64 naming why")
    func apacheLogFormat() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("other_vhosts_access.log")
        try """
            www.example.com:80 10.1.2.3 - - [19/Jul/2001:10:04:12 -0700] "GET /default.ida?\(String(repeating: "N", count: 224))%u9090=a HTTP/1.0" 404 312 "-" "-"
            shop.example.com:443 192.0.2.10 - - [19/Jul/2001:10:04:14 -0700] "GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0" 404 300 "-" "-"

            """.write(to: log, atomically: true, encoding: .utf8)
        let run = try wormwatch("scan", log.path, "--apache-log-format", "vhost_combined", "--format", "ndjson")
        #expect(run.status == 0, "\(run)")
        let events = String(decoding: run.stdout, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(events.map { $0["source"] as? String } == ["10.1.2.3", "192.0.2.10"])
        #expect(events.map { $0["destination_port"] as? Int } == [80, 443])
        #expect(events.map { $0["family"] as? String } == ["code-red-i", "nimda"])
        // Read as a plain combined log, the virtual host is taken for the client.
        let plain = try wormwatch("scan", log.path, "--format", "ndjson")
        #expect(String(decoding: plain.stdout, as: UTF8.self).contains("\"source\":null"))
        let bad = try wormwatch("scan", log.path, "--apache-log-format", "%h %t %Z")
        #expect(bad.status == 64)
        #expect(bad.stderrLines.first == "wormwatch: error: --apache-log-format: log format \"%h %t %Z\": %Z: unknown directive")
        let offset = try wormwatch("scan", log.path, "--utc-offset", "7")
        #expect(offset.status == 64)
        #expect(offset.stderrLines.first == "wormwatch: error: --utc-offset: expected +HH:MM or -HH:MM, at most 14 hours (got '7')")
        let iis = try wormwatch("scan", log.path, "--apache-log-format", "combined", "--input-format", "iis")
        #expect(iis.status == 64)
        #expect(iis.stderrLines.first == "wormwatch: error: --apache-log-format: reads Apache logs, not input format iis")
    }

    @Test("--follow reads what is appended to several files and survives rotation, like tail -F")
    func follow() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("access.log")
        let other = folder.appendingPathComponent("other.log")
        let line = { (n: Int) in
            "10.0.0.\(n) - - [19/Jul/2001:10:00:0\(n % 10) +0000] \"GET /default.ida?\(String(repeating: "N", count: 224))%u9090=a HTTP/1.0\" 404 -\n"
        }
        func append(_ text: String, to url: URL) throws {
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        }
        try line(1).write(to: log, atomically: false, encoding: .utf8)
        let executable = try #require(wormwatchExecutable)
        let process = Process()
        process.executableURL = executable
        // The second file does not exist yet: it is waited for.
        process.arguments = ["scan", "--follow", log.path, other.path, "--idle-timeout", "3", "--format", "ndjson"]
        let output = folder.appendingPathComponent("out.ndjson")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        Thread.sleep(forTimeInterval: 0.8)
        try append(line(2) + line(3), to: log)
        try line(6).write(to: other, atomically: false, encoding: .utf8)
        Thread.sleep(forTimeInterval: 0.8)
        // Rotate: the old file is renamed, a new one takes its place.
        try FileManager.default.moveItem(at: log, to: folder.appendingPathComponent("access.log.1"))
        try (line(4) + line(5)).write(to: log, atomically: false, encoding: .utf8)
        try append(line(7), to: other)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let sources = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").compactMap { text -> String? in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["source"] as? String
        }
        // Each file's events in order; the two files' events interleave by when they were read.
        #expect(sources.filter { ["10.0.0.6", "10.0.0.7"].contains($0) } == ["10.0.0.6", "10.0.0.7"])
        #expect(sources.filter { !["10.0.0.6", "10.0.0.7"].contains($0) } == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"])
    }

    @Test("simulate --emit-pcap and --emit-log write what scan finds; options are checked")
    func emit() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("s.yaml")
        try """
        format: wormwatch.scenario/1
        name: tiny-telescope
        start: 2001-07-19T10:00:00Z
        duration_hours: 1
        space: {bits: 20}
        population: {size: 500}
        worm: {probe_rate: 20, initial_infected: 5}
        monitors:
          - {name: dark, prefixes: [0.8.0.0/16], record_probes: true}
          - {name: plain, prefixes: [0.9.0.0/16]}
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let pcap = folder.appendingPathComponent("dark.pcap").path
        let log = folder.appendingPathComponent("dark.log").path
        let sim = try wormwatch("simulate", scenario.path, "--emit-pcap", pcap, "--emit-log", log, "--log-format", "iis", "--format", "json")
        #expect(sim.status == 0, "\(sim)")
        let summary = try #require((try JSONSerialization.jsonObject(with: sim.stdout) as? [String: Any])?["summary"] as? [String: Any])
        let sources = (summary["monitor_sources"] as? [String: Any])?["dark"] as? Double
        let scanned = try wormwatch("scan", log, "--format", "json")
        #expect(scanned.status == 0, "\(scanned)")
        let scanSummary = try JSONSerialization.jsonObject(with: scanned.stdout) as? [String: Any]
        #expect((scanSummary?["distinct_sources"] as? Int).map(Double.init) == sources)
        // The same probes in IIS's comma-separated format, written in UTC and read back with
        // an offset that shifts every time by seven hours.
        let native = folder.appendingPathComponent("dark-native.log").path
        let simNative = try wormwatch("simulate", scenario.path, "--emit-log", native, "--log-format", "iis-native", "--format", "json")
        #expect(simNative.status == 0, "\(simNative)")
        let scannedNative = try wormwatch("scan", native, "--format", "json")
        let nativeSummary = try JSONSerialization.jsonObject(with: scannedNative.stdout) as? [String: Any]
        #expect(nativeSummary?["distinct_sources"] as? Int == scanSummary?["distinct_sources"] as? Int)
        let shifted = try wormwatch("scan", native, "--format", "json", "--utc-offset", "-07:00")
        func firstSeen(_ run: Outcome) throws -> Date {
            let summary = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
            let family = try #require((summary["families"] as? [[String: Any]])?.first)
            return try #require((family["first_seen"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        }
        #expect(try firstSeen(shifted).timeIntervalSince(firstSeen(scannedNative)) == 7 * 3600)
        let telescope = packageRoot.appendingPathComponent("rules/telescope.yaml").path
        let fromPcap = try wormwatch("scan", pcap, "--rules", telescope, "--format", "json")
        #expect((try JSONSerialization.jsonObject(with: fromPcap.stdout) as? [String: Any])?["distinct_sources"] as? Int == scanSummary?["distinct_sources"] as? Int)

        let notRecording = try wormwatch("simulate", scenario.path, "--emit-pcap", pcap, "--emit-monitor", "plain")
        #expect(notRecording.status == 64)
        #expect(notRecording.stderrLines.first == "wormwatch: error: --emit-monitor: monitor 'plain' does not have record_probes: true")
        let udpLog = try wormwatch("simulate", scenario.path, "--emit-log", log, "--signature", "slammer")
        #expect(udpLog.status == 64)
        #expect(udpLog.stderrLines.first == "wormwatch: error: --emit-log: slammer probes are UDP datagrams: no web server logs them (write a capture instead)")
    }
}
