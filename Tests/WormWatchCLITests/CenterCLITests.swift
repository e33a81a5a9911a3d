import Foundation
import Testing
import WormWatchTestSupport

/// The Watch Center as operators run it: real `wormwatch serve` processes, killed, restarted,
/// pushed to by `wormwatch scan --push` and `wormwatch replay`, and attacked with bad requests.
/// Traffic stays on 127.0.0.1.
@Suite(.serialized) struct CenterCLITests {
    static let hasCurl = ExternalTool.runs(Curl.path)
    static let postgresURL = ProcessInfo.processInfo.environment["WORMWATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let hasPostgres = hasCurl && (postgresURL != nil || ExternalTool.isCI)

    /// A new, empty PostgreSQL database on the test server; its URL.
    static func freshDatabase() throws -> String {
        let base = try #require(postgresURL, "set WORMWATCH_TEST_POSTGRES_URL (scripts/postgres-for-tests start)")
        let name = "wwcli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let r = try ExternalTool.run("/usr/bin/psql", [base, "-q", "-c", "CREATE DATABASE \(name)"])
        #expect(r.status == 0, "\(r.stderr)")
        var c = try #require(URLComponents(string: base))
        c.path = "/" + name
        return try #require(c.string)
    }

    /// Registers a sensor with the CLI; its token.
    static func register(_ name: String, store: [String], in folder: URL) throws -> String {
        let r = try runWormwatch(["sensor", "add", name, "--monitors", "44.0.0.0/8"] + store, in: folder)
        #expect(r.status == 0, "\(r)")
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func sensor(_ center: CenterProcess, _ name: String) throws -> [String: Any] {
        let list = try Curl.json(center.url + "/api/v1/sensors")["sensors"] as? [[String: Any]] ?? []
        return list.first { $0["name"] as? String == name } ?? [:]
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func serveStopsCleanlyOnSIGTERMAndSIGINT() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        for signal in [SIGTERM, SIGINT] {
            let center = try CenterProcess.start(["--data", folder.file("data")], in: folder.url)
            #expect(try Curl.get(center.url + "/healthz").body == "ok\n")
            #expect(try Curl.get(center.url + "/readyz").status == 200)
            #expect(center.stop(signal) == 0)
        }
        // A taken port is a clear error, not a crash.
        let first = try CenterProcess.start(["--data", folder.file("data")], in: folder.url)
        defer { first.stop() }
        let second = try runWormwatch(["serve", "--port", String(first.port), "--data", folder.file("data2")], in: folder.url)
        #expect(second.status == 69)
        #expect(second.stderr.contains("wormwatch: error: 127.0.0.1:\(first.port): cannot serve"))
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func anAcknowledgedBatchSurvivesKill9() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        let token = try Self.register("isc", store: store, in: folder.url)
        var center = try CenterProcess.start(store, in: folder.url)
        for i in 1...5 {
            let batch = try folder.write("batch\(i).ndjson", CenterData.events(count: 500, distinct: 50, first: i * 1_000))
            let r = try Curl.post(center.url, file: batch, token: token, key: "batch-\(i)")
            #expect(r.status == 200, "\(r.body)")
            // Killed the moment the answer arrived: what was acknowledged must be there.
            center.stop(SIGKILL)
            center = try center.restart()
            let isc = try Self.sensor(center, "isc")
            #expect(isc["batches"] as? Int == i && isc["events"] as? Int == 500 * i)
        }
        let families = try Curl.json(center.url + "/api/v1/families")["families"] as? [[String: Any]] ?? []
        #expect(families.first?["sources"] as? Int == 250)
        center.stop()
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func aPushSurvivesTheCenterRestartingMidway() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        let token = try Self.register("isc", store: store, in: folder.url)
        try folder.write("isc.token", token + "\n")
        let log = try folder.write("access.log", CenterData.codeRedLog(count: 6_000, sources: 1_500))
        var center = try CenterProcess.start(store, in: folder.url)
        let executable = try #require(wormwatchExecutable)
        let scan = Process()
        scan.executableURL = executable
        scan.arguments = ["scan", log, "--push", center.url, "--token-file", "isc.token", "--batch-lines", "100", "--format", "json"]
        scan.currentDirectoryURL = folder.url
        scan.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        scan.standardError = errors
        try scan.run()
        // Stop the center once some batches are in, keep it down a while, start it again.
        let deadline = Date().addingTimeInterval(30)
        while (try Self.sensor(center, "isc")["batches"] as? Int ?? 0) < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        center.stop(SIGKILL)
        Thread.sleep(forTimeInterval: 1.5)
        center = try center.restart()
        scan.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(scan.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("pushed 6000 events in 60 batches"))
        // Nothing lost, nothing counted twice.
        let isc = try Self.sensor(center, "isc")
        #expect(isc["events"] as? Int == 6_000 && isc["batches"] as? Int == 60)
        let families = try Curl.json(center.url + "/api/v1/families")["families"] as? [[String: Any]] ?? []
        #expect(families.first?["sources"] as? Int == 1_500 && families.first?["events"] as? Int == 6_000)
        center.stop()
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func aCenterDownLeavesBatchesInTheSpoolForTheNextRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        let token = try Self.register("isc", store: store, in: folder.url)
        try folder.write("isc.token", token)
        let log = try folder.write("access.log", CenterData.codeRedLog(count: 250, sources: 40))
        let center = try CenterProcess.start(store, in: folder.url)
        let url = center.url
        center.stop()
        let down = try runWormwatch(["scan", log, "--push", url, "--token-file", "isc.token", "--batch-lines", "100", "--push-timeout", "1", "--format", "json"], in: folder.url)
        #expect(down.status == 69)
        #expect(down.stderr.contains("3 batches kept in wormwatch-spool/"))
        let again = try center.restart()
        defer { again.stop() }
        let empty = try folder.write("empty.log", "")
        let later = try runWormwatch(["scan", empty, "--push", url, "--token-file", "isc.token", "--format", "json"], in: folder.url)
        #expect(later.status == 0, "\(later)")
        #expect(later.stderr.contains("pushed 250 events in 3 batches"))
        #expect(try Self.sensor(again, "isc")["events"] as? Int == 250)
        // Without a token there is no push, and the token never comes from the command line.
        let noToken = try runWormwatch(["scan", log, "--push", url, "--format", "json"], in: folder.url)
        #expect(noToken.status == 64 && noToken.stderr.contains("--token-file: pushing needs the sensor's token"))
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func aFollowingPushReportsAsLinesArriveAndFlushesOnSIGINT() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        let token = try Self.register("isc", store: store, in: folder.url)
        try folder.write("isc.token", token)
        let lines = CenterData.codeRedLog(count: 400, sources: 100).split(separator: "\n", omittingEmptySubsequences: false)
        let log = try folder.write("access.log", lines[0..<150].joined(separator: "\n") + "\n")
        let center = try CenterProcess.start(store, in: folder.url)
        defer { center.stop() }
        let executable = try #require(wormwatchExecutable)
        let scan = Process()
        scan.executableURL = executable
        scan.arguments = ["scan", "--follow", log, "--push", center.url, "--token-file", "isc.token", "--format", "json"]
        scan.currentDirectoryURL = folder.url
        scan.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        scan.standardError = errors
        try scan.run()
        func events() throws -> Int { try Self.sensor(center, "isc")["events"] as? Int ?? 0 }
        // A partial batch is sealed and sent within a few seconds, without waiting for 1,000 lines.
        var deadline = Date().addingTimeInterval(20)
        while try events() < 150 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try events() == 150)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines[150..<400].joined(separator: "\n") + "\n").utf8))
        try handle.close()
        deadline = Date().addingTimeInterval(20)
        while try events() < 400 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try events() == 400)
        // SIGINT ends the follow cleanly: exit 0, everything sent.
        kill(scan.processIdentifier, SIGINT)
        scan.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(scan.terminationReason == .exit && scan.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("pushed 400 events"))
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func hostileRequestsGet4xxWhileOthersAreServed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        let token = try Self.register("isc", store: store, in: folder.url)
        let center = try CenterProcess.start(store + ["--body-timeout", "3"], in: folder.url)
        defer { center.stop() }
        let good = try folder.write("good.ndjson", CenterData.events(count: 10, distinct: 10))
        let cases: [(String, Int, String)] = [
            ("{not json", 400, "malformed_json"),
            (#"{"format":"wormwatch.event/1","time":7}"#, 400, "wrong_type"),
            (CenterData.events(count: 1, distinct: 1).replacingOccurrences(of: #""destination_port":80"#, with: #""destination_port":123456789012345678901234567890"#), 400, "wrong_type"),
            (CenterData.events(count: 1, distinct: 1).replacingOccurrences(of: #""destination_port":80"#, with: #""destination_port":70000"#), 400, "wrong_type"),
            (CenterData.events(count: 1, distinct: 1).replacingOccurrences(of: #""source":"13.0.0.0""#, with: #""source":"13.0.0.256""#), 400, "invalid_value"),
            (CenterData.events(count: 1, distinct: 1).replacingOccurrences(of: "2001-07-19", with: "2099-07-19"), 400, "time_out_of_range"),
        ]
        for (i, (body, status, code)) in cases.enumerated() {
            let file = try folder.write("bad\(i).ndjson", body)
            let r = try Curl.post(center.url, file: file, token: token, key: "bad-\(i)")
            #expect(r.status == status && r.body.contains("\"code\":\"\(code)\""), "\(body.prefix(80)): \(r.status) \(r.body)")
        }
        // A 100 MB body is refused before it is read.
        let huge = folder.file("huge.ndjson")
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        let big = try Curl.post(center.url, file: huge, token: token, key: "huge")
        #expect(big.status == 413 && big.body.contains("body_too_large"))
        // A client sending 200 bytes a second is cut off after the body timeout, and meanwhile
        // the others are served at once.
        let slowBody = try folder.write("slow.ndjson", CenterData.events(count: 20, distinct: 20))
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: Curl.path)
        let slowOut = Pipe()
        slow.standardOutput = slowOut
        slow.arguments = [
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "--limit-rate", "200", "-X", "POST", "-H", "Authorization: Bearer \(token)",
            "-H", "Idempotency-Key: slow", "--data-binary", "@" + slowBody, center.url + "/api/v1/observations",
        ]
        let started = Date()
        try slow.run()
        Thread.sleep(forTimeInterval: 0.5)
        let meanwhile = try Curl.post(center.url, file: good, token: token, key: "good")
        #expect(meanwhile.status == 200 && meanwhile.seconds < 2)
        slow.waitUntilExit()
        #expect(String(decoding: slowOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "408")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try Curl.get(center.url + "/healthz").status == 200)
        let isc = try Self.sensor(center, "isc")
        #expect(isc["batches"] as? Int == 1 && isc["events"] as? Int == 10)
    }

    @Test(.enabled(if: hasPostgres, "needs curl and WORMWATCH_TEST_POSTGRES_URL"))
    func twoServersOnOnePostgresAnswerAsOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let shared = ["--database", try Self.freshDatabase()]
        let alone = ["--database", try Self.freshDatabase()]
        var tokens: [String: [String: String]] = ["shared": [:], "alone": [:]]
        for name in ["isc", "caida"] {
            tokens["shared"]?[name] = try Self.register(name, store: shared, in: folder.url)
            tokens["alone"]?[name] = try Self.register(name, store: alone, in: folder.url)
        }
        let a = try CenterProcess.start(shared, in: folder.url)
        let b = try CenterProcess.start(shared, in: folder.url)
        let one = try CenterProcess.start(alone, in: folder.url)
        defer {
            a.stop()
            b.stop()
            one.stop()
        }
        // 2 sensors × 12 batches with overlapping sources; to the pair, batches alternate between
        // the servers, all in flight at once, and each batch is also retried on the other server.
        var pushes: [Process] = []
        for (s, name) in ["isc", "caida"].enumerated() {
            for i in 0..<12 {
                let file = try folder.write("\(name)-\(i).ndjson", CenterData.events(count: 300, distinct: 120, first: s * 60 + i * 40, minuteOffset: i * 7))
                let key = "\(name)-\(i)"
                for (server, token) in [(i % 2 == 0 ? a : b, tokens["shared"]?[name]), (i % 2 == 0 ? b : a, tokens["shared"]?[name]), (one, tokens["alone"]?[name])] {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: Curl.path)
                    p.arguments = [
                        "-s", "-o", "/dev/null", "--retry", "5", "--retry-all-errors", "-X", "POST", "-H", "Authorization: Bearer \(token ?? "")",
                        "-H", "Idempotency-Key: \(key)", "--data-binary", "@" + file, server.url + "/api/v1/observations",
                    ]
                    try p.run()
                    pushes.append(p)
                }
            }
        }
        for p in pushes { p.waitUntilExit() }
        let queries = [
            "/api/v1/families", "/api/v1/series?family=code-red-i&from=2001-07-19T09:00:00Z&to=2001-07-19T14:00:00Z&step=60",
            "/api/v1/series?family=code-red-i&sensor=isc&from=2001-07-19T09:00:00Z&to=2001-07-19T14:00:00Z&step=600",
            "/api/v1/sources?family=code-red-i&limit=10000",
        ]
        for q in queries {
            let fromA = try Curl.get(a.url + q).body, fromB = try Curl.get(b.url + q).body, fromOne = try Curl.get(one.url + q).body
            #expect(fromA == fromB, "\(q)")
            #expect(fromA == fromOne, "\(q)")
        }
        let isc = try Self.sensor(a, "isc")
        #expect(isc["batches"] as? Int == 12 && isc["events"] as? Int == 3_600)
    }

    @Test(.enabled(if: hasCurl, "needs curl"))
    func replayPushesEachMonitorAsARegisteredSensor() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = ["--data", folder.file("data")]
        try FileManager.default.createDirectory(atPath: folder.file("tokens"), withIntermediateDirectories: true)
        let scenario = try folder.write("tiny.yaml", tinyScenario + """
            start: 2001-07-19T10:00:00Z
            monitors:
              - name: wide
                prefixes: [0.0.0.0/13]
              - name: honeypots
                prefixes: [0.1.0.0/16]
                record_probes: true

            """)
        let missing = try runWormwatch(["replay", scenario, "--push", "http://127.0.0.1:9", "--token-dir", "tokens"], in: folder.url)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no token for monitors 'wide', 'honeypots'"))
        #expect(missing.stderr.contains("wormwatch sensor add honeypots --monitors 0.1.0.0/16 > tokens/honeypots.token"))
        for (name, prefix) in [("wide", "0.0.0.0/13"), ("honeypots", "0.1.0.0/16")] {
            let r = try runWormwatch(["sensor", "add", name, "--monitors", prefix] + store, in: folder.url)
            try folder.write("tokens/\(name).token", r.output)
        }
        let center = try CenterProcess.start(store, in: folder.url)
        defer { center.stop() }
        // Half an hour at 900×: about two seconds.
        let started = Date()
        let replay = try runWormwatch(["replay", scenario, "--speed", "900", "--push", center.url, "--token-dir", "tokens", "--family", "tiny-worm"], in: folder.url)
        let seconds = Date().timeIntervalSince(started)
        #expect(replay.status == 0, "\(replay)")
        #expect(seconds > 1.8 && seconds < 30, "took \(seconds) s")
        let simulated = try runWormwatch(["simulate", scenario, "--format", "json"], in: folder.url)
        let summary = try #require(try JSONSerialization.jsonObject(with: simulated.stdout) as? [String: Any])
        let totals = try #require((summary["summary"] as? [String: Any])?["monitor_sources"] as? [String: Int])
        #expect(totals.count == 2)
        for (name, total) in totals {
            let series = try Curl.json(center.url + "/api/v1/series?family=tiny-worm&sensor=\(name)&from=2001-07-19T00:00:00Z&to=2001-07-20T00:00:00Z&step=3600")
            let last = (series["points"] as? [[String: Any]])?.last?["cumulative_sources"] as? Int
            #expect(last == total, "\(name)")
        }
        // The honeypots record probes: their new sources are named.
        let named = try Curl.json(center.url + "/api/v1/sources?family=tiny-worm&limit=1000")["sources"] as? [[String: Any]] ?? []
        #expect(!named.isEmpty && named.allSatisfy { ($0["sensors"] as? [String]) == ["honeypots"] })
    }
}
