import Foundation
import Testing
@testable import Sensor

@Suite("Custom Apache LogFormats")
struct ApacheLogFormatTests {
    static func read(_ text: String, format: String) throws -> LogReadResult {
        let custom = try ApacheLogFormat(parsing: format)
        var reader = LogReader(
            source: MemoryByteSource(Array(text.utf8)), path: "custom.log", apacheFormat: custom,
            skipped: SkippedInput(exampleLimit: 20))
        return try collect(&reader)
    }

    @Test("nicknames and format strings are parsed; what the reader cannot use is refused by name")
    func parsing() throws {
        for (name, format) in ApacheLogFormat.nicknames {
            let a = try ApacheLogFormat(parsing: name)
            let b = try ApacheLogFormat(parsing: format)
            #expect(a.tokens == b.tokens, "\(name)")
            #expect(a.description == name)
        }
        // Escapes as in Apache's configuration, %% and conditions.
        let escaped = try ApacheLogFormat(parsing: #"%h\t%t \"%r\" 100%% %!200,304{Referer}i"#)
        #expect(escaped.tokens.first == .field(.remoteHost, directive: "%h"))
        #expect(escaped.tokens[1] == .literal([9]))
        #expect(escaped.tokens.last == .field(.other, directive: "%!200,304{Referer}i"))
        #expect(escaped.tokens.contains(.literal(Array("\" 100% ".utf8))))
        let refused: [(String, String)] = [
            ("%h %t %Z \"%r\"", "%Z: unknown directive"),
            ("%h %t \"%r\" %", "a % at the end"),
            ("%h%l %t \"%r\"", "%h%l: two directives need text between them (only %U%q may touch)"),
            ("%h %{%d/%b/%Y}t \"%r\"", "%{%d/%b/%Y}t: only %t, Apache's default time format, can be read"),
            ("%h \"%r\"", "no %t: the reader needs each request's time"),
            ("%h %t %>s", "no %r or %U: the reader needs each request's target"),
            ("%h %t \"%r\" %{Referer", "an unclosed { in %{Referer"),
            ("%h %t \"%r\" \"%r\"", "a field the reader uses is logged twice (request)"),
        ]
        for (format, reason) in refused {
            #expect(throws: SensorError.invalidLogFormat(format: format, reason: reason)) { try ApacheLogFormat(parsing: format) }
        }
        #expect(SensorError.invalidLogFormat(format: "%q", reason: "no %t").description == "log format \"%q\": no %t")
    }

    @Test("`combined` read as a custom format gives what the built-in reader gives")
    func combinedAsCustom() throws {
        let bytes = try fixtureBytes("apache-combined-2001.log")
        let builtIn = try readLog(bytes, exampleLimit: 20)
        var reader = LogReader(
            source: MemoryByteSource(bytes), path: "test.log", apacheFormat: try ApacheLogFormat(parsing: "combined"),
            skipped: SkippedInput(exampleLimit: 20))
        let custom = try collect(&reader)
        #expect(builtIn.requests.count > 10)
        #expect(custom.requests == builtIn.requests)
        #expect(custom.statuses == builtIn.statuses)
        #expect(custom.userAgents == builtIn.userAgents)
        #expect(custom.statistics == builtIn.statistics)
        #expect(custom.format == .apache)
    }

    @Test("vhost_combined: the client is %h, the port %p; escaped quotes stay inside their field")
    func vhostCombined() throws {
        let text = """
            www.example.com:80 10.1.2.3 - - [19/Jul/2001:10:04:12 -0700] "GET /default.ida?NNNN HTTP/1.0" 404 312 "-" "-"
            shop.example.com:443 192.0.2.9 - bob [19/Jul/2001:10:04:13 -0700] "GET /say \\"hi\\" HTTP/1.1" 200 1043 "http://example.org/" "Mozilla/4.0 (\\"x\\")"
            shop.example.com:8080 crawler.example.org - - [19/Jul/2001:10:04:14 -0700] "-" 408 0 "-" "-"
            shop.example.com:99999 192.0.2.10 - - [19/Jul/2001:10:04:15 -0700] "GET / HTTP/1.0" 200 1 "-" "-"
            garbage line
            """
        let result = try Self.read(text, format: "vhost_combined")
        #expect(result.requests == [
            SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", "/default.ida?NNNN", line: 1, port: 80),
            SeenRequest("2001-07-19T17:04:13Z", "192.0.2.9", "GET", #"/say \"hi\""#, line: 2, port: 443),
        ])
        #expect(result.statuses == [404, 200])
        #expect(result.userAgents == ["-", #"Mozilla/4.0 (\"x\")"#])
        #expect(result.statistics.emptyRequests == 1)
        #expect(result.skipMessages == [
            "custom.log:4: bad s-port \"99999\"",
            "custom.log:5: does not match the log format at byte 1 (expected \":\")",
        ])
    }

    @Test("%U and %q make the target, joined in place or from apart; %a is preferred to %h")
    func pathAndQuery() throws {
        let together = try Self.read(
            "proxy.example 203.0.113.5 [19/Jul/2001:10:04:12 +0000] POST /default.ida?XXXX 404\n"
                + "proxy.example 203.0.113.6 [19/Jul/2001:10:04:13 +0000] GET /index.html 200\n",
            format: "%h %a %t %m %U%q %>s")
        #expect(together.requests == [
            SeenRequest("2001-07-19T10:04:12Z", "203.0.113.5", "POST", "/default.ida?XXXX", line: 1),
            SeenRequest("2001-07-19T10:04:13Z", "203.0.113.6", "GET", "/index.html", line: 2),
        ])
        let apart = try Self.read(
            "192.0.2.1 [19/Jul/2001:10:04:12 +0000] /default.ida ?NNNN 198.51.100.7\n"
                + "192.0.2.2 [19/Jul/2001:10:04:13 +0000] /index.html  198.51.100.7\n",
            format: "%h %t %U %q %A")
        #expect(apart.requests == [
            SeenRequest("2001-07-19T10:04:12Z", "192.0.2.1", "", "/default.ida?NNNN", line: 1, destination: "198.51.100.7"),
            SeenRequest("2001-07-19T10:04:13Z", "192.0.2.2", "", "/index.html", line: 2, destination: "198.51.100.7"),
        ])
        let badTime = try Self.read("192.0.2.1 [19/Jul/2001:10:04:1x +0000] /x ?y 1.2.3.4\n", format: "%h %t %U %q %A")
        #expect(badTime.skipMessages == ["custom.log:1: bad time \"19/Jul/2001:10:04:1x +0000\""])
    }

    @Test("the logformat fuzz target's seeds: each format parses and reads its log the same in any chunks")
    func fuzzSeeds() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/corpus/logformat").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 3)
        for name in names {
            let seed = Array(try Data(contentsOf: folder.appendingPathComponent(name)).dropFirst())
            let newline = try #require(seed.firstIndex(of: 10))
            let format = try ApacheLogFormat(parsing: String(decoding: seed[..<newline], as: UTF8.self))
            let log = Array(seed[(newline + 1)...])
            var results: [LogReadResult] = []
            for chunk in [Int.max, 7, 1] {
                var reader = LogReader(source: MemoryByteSource(log, maximumChunk: chunk), path: name, apacheFormat: format)
                results.append(try collect(&reader))
            }
            #expect(!results[0].requests.isEmpty, "\(name)")
            #expect(results.allSatisfy { $0.requests == results[0].requests && $0.statistics == results[0].statistics }, "\(name)")
        }
    }
}
