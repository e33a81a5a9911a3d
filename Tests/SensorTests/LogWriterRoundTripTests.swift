import Foundation
import Testing
import WormWatchCore
import WormWatchTestSupport
@testable import Sensor

@Suite struct LogWriterRoundTripTests {
    struct Entry {
        var seconds: Int64
        var client: UInt32
        var server: UInt32
        var port: UInt16
        var method: String
        var target: String
        var status: Int
        var userAgent: String
    }

    static func entries(seed: UInt64, count: Int) -> [Entry] {
        var random = SeededRandom(seed: seed)
        // Printable ASCII without space, `"` and `\` (escaped by Apache), and `?` (splits IIS targets).
        let safe = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-~%+=&;:,!*'()[]{}<>|^`$@#")
        func text(_ length: Int, _ random: inout SeededRandom) -> String {
            String((0..<length).map { _ in random.pick(safe) })
        }
        let worms = [WormRequests.codeRed, WormRequests.codeRedII, "/scripts/root.exe?/c+dir",
                     "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir",
                     "/_vti_bin/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir"]
        let agents = ["", "Mozilla/4.0 (compatible; MSIE 5.5; Windows NT 5.0)", "Googlebot/2.1", "Wget/1.7"]
        var start = UTCCalendarSeconds.july19
        return (0..<count).map { _ in
            start += Int64(random.below(3))
            var target: String
            switch random.below(4) {
            case 0: target = random.pick(worms)
            case 1:
                // A query of just `-` would read back as no query (IIS logs none as `-`).
                target = "/" + text(1 + random.below(60), &random) + "?q" + text(random.below(40), &random)
            default: target = "/" + text(random.below(80), &random)
            }
            return Entry(
                seconds: start, client: UInt32(truncatingIfNeeded: random.next()),
                server: UInt32(truncatingIfNeeded: random.next()), port: UInt16(1 + random.below(65535)),
                method: random.pick(["GET", "HEAD", "POST", "OPTIONS", "PROPFIND", "SEARCH"]), target: target,
                status: random.pick([200, 304, 400, 403, 404, 500]), userAgent: random.pick(agents))
        }
    }

    enum UTCCalendarSeconds {
        static let july19: Int64 = 995_500_800  // 2001-07-19T00:00:00Z
    }

    func roundTrip(format: LogFormat, seed: UInt64) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("honeypot.log").path
        let entries = Self.entries(seed: seed, count: 10_000)
        var writer = try LogWriter(path: path, format: format, utcOffsetMinutes: -420)
        for e in entries {
            try writer.write(
                timeNanoseconds: e.seconds * 1_000_000_000 + 123, client: e.client, server: e.server, serverPort: e.port,
                method: e.method.utf8, target: e.target.utf8, status: e.status, userAgent: e.userAgent.utf8)
        }
        try writer.close()

        try runGzip(["-k", path])
        for file in [path, path + ".gz"] {
            // IIS native times are local (here -07:00) and the file does not say so.
            var reader = LogReader(source: try openInput(path: file), path: file, localTimeOffset: -420 * 60, input: 2)
            let result = try collect(&reader)
            #expect(result.format == format)
            #expect(result.skipped.isEmpty)
            #expect(result.requests.count == entries.count)
            var mismatches = 0
            for (seen, e) in zip(result.requests, entries) {
                let expected = SeenRequest(
                    isoTime(e.seconds * 1_000_000_000), dotted(e.client), e.method, e.target,
                    line: seen.record, destination: format == .apache ? "0.0.0.0" : dotted(e.server),
                    port: format == .iisW3C ? e.port : 80, input: 2)
                if seen != expected, mismatches < 5 {
                    mismatches += 1
                    Issue.record("\(file): \(seen) != \(expected)")
                }
            }
            #expect(result.statuses == entries.map(\.status))
            let agents = entries.map { e in
                e.userAgent.isEmpty || format == .iisNative ? (format == .apache ? "-" : "") :
                    (format == .apache ? e.userAgent : e.userAgent.replacingOccurrences(of: " ", with: "+"))
            }
            #expect(result.userAgents == agents)
            let header = format == .iisW3C ? 4 : 0
            #expect(result.requests.map(\.record) == Array((1 + header)...(10_000 + header)))
        }
    }

    @Test func apacheCombinedRoundTrip() throws { try roundTrip(format: .apache, seed: 2001) }

    @Test func iisW3CRoundTrip() throws { try roundTrip(format: .iisW3C, seed: 719) }

    @Test func iisNativeRoundTrip() throws { try roundTrip(format: .iisNative, seed: 918) }

    func written(_ format: LogFormat, offset: Int = 0, _ write: (inout LogWriter) throws(SensorError) -> Void) throws -> String {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.log").path
        var writer = try LogWriter(path: path, format: format, utcOffsetMinutes: offset)
        try write(&writer)
        try writer.close()
        return try String(contentsOfFile: path, encoding: .isoLatin1)
    }

    @Test func exactIISNativeLines() throws {
        let text = try written(.iisNative, offset: -420) { (w: inout LogWriter) throws(SensorError) in
            try w.write(
                timeNanoseconds: 995_562_252_999_999_999, client: 0x0A01_0203, server: 0xC633_6402, serverPort: 80,
                method: "GET".utf8, target: "/default.ida?NNNN%u9090=a".utf8, status: 404, userAgent: "Mozilla".utf8)
            try w.write(
                timeNanoseconds: 995_562_253_000_000_000, client: 0xC000_0207, server: 0, serverPort: 8080,
                method: "GET".utf8, target: "/a file.html".utf8, status: 0, userAgent: "".utf8)
        }
        #expect(text == """
            10.1.2.3, -, 7/19/01, 10:04:12, W3SVC1, WORMWATCH, 198.51.100.2, 0, 0, 0, 404, 0, GET, /default.ida, NNNN%u9090=a,
            192.0.2.7, -, 7/19/01, 10:04:13, W3SVC1, WORMWATCH, 0.0.0.0, 0, 0, 0, -, 0, GET, /a+file.html, -,

            """)
    }

    @Test func exactApacheLines() throws {
        let text = try written(.apache, offset: -420) { (w: inout LogWriter) throws(SensorError) in
            try w.write(
                timeNanoseconds: 995_562_252_999_999_999, client: 0x0A01_0203, server: 0, serverPort: 80,
                method: "GET".utf8, target: WormRequests.codeRed.utf8, status: 400, userAgent: "".utf8)
            try w.write(
                timeNanoseconds: 995_562_253_000_000_000, client: 0xC0A8_0114, server: 0, serverPort: 80,
                method: "GET".utf8, target: [UInt8](#"/a"b\c"#.utf8) + [10, 0xff], status: 42,
                userAgent: #"Evil "agent""#.utf8)
            try w.write(
                timeNanoseconds: 0, client: 0xFFFF_FFFF, server: 0, serverPort: 80,
                method: [UInt8](), target: [UInt8](), status: 408, userAgent: [UInt8]())
        }
        #expect(text == """
            10.1.2.3 - - [19/Jul/2001:10:04:12 -0700] "GET \(WormRequests.codeRed) HTTP/1.0" 400 - "-" "-"
            192.168.1.20 - - [19/Jul/2001:10:04:13 -0700] "GET /a\\"b\\\\c\\x0a\\xff HTTP/1.0" - - "-" "Evil \\"agent\\""
            255.255.255.255 - - [31/Dec/1969:17:00:00 -0700] "-" 408 - "-" "-"

            """)
        let back = try readLog(text)
        #expect(back.requests.map(\.target) == [WormRequests.codeRed, #"/a\"b\\c\x0a\xff"#])
        #expect(back.statuses == [400, nil])
        #expect(back.userAgents == ["-", #"Evil \"agent\""#])
        #expect(back.statistics.emptyRequests == 1)
    }

    @Test func exactIISLines() throws {
        let text = try written(.iisW3C) { (w: inout LogWriter) throws(SensorError) in
            try w.write(
                timeNanoseconds: 995_562_252_000_000_000, client: 0x0A01_0203, server: 0xC0A8_0705, serverPort: 80,
                method: "GET".utf8, target: WormRequests.codeRedII.utf8, status: 404, userAgent: "".utf8)
            try w.write(
                timeNanoseconds: 995_562_253_000_000_000, client: 0x0A01_0203, server: 0xC0A8_0705, serverPort: 8080,
                method: "GET".utf8, target: "/My Documents/a\tb?x y?z".utf8, status: 200,
                userAgent: "Mozilla/4.0 (compatible; MSIE 5.5)".utf8)
        }
        #expect(text == """
            #Software: Microsoft Internet Information Services 5.0
            #Version: 1.0
            #Date: 2001-07-19 17:04:12
            #Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)
            2001-07-19 17:04:12 10.1.2.3 - 192.168.7.5 80 GET /default.ida \(WormRequests.codeRedIIQuery) 404 -
            2001-07-19 17:04:13 10.1.2.3 - 192.168.7.5 8080 GET /My+Documents/a%09b x+y?z 200 Mozilla/4.0+(compatible;+MSIE+5.5)

            """)
        let back = try readLog(text)
        #expect(back.requests == [
            SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", WormRequests.codeRedII, line: 5, destination: "192.168.7.5"),
            SeenRequest("2001-07-19T17:04:13Z", "10.1.2.3", "GET", "/My+Documents/a%09b?x+y?z", line: 6,
                        destination: "192.168.7.5", port: 8080),
        ])
    }

    @Test func unwritablePathThrows() throws {
        #expect(throws: SensorError.unwritable(path: "/nonexistent-dir/x.log", reason: "No such file or directory")) {
            _ = try LogWriter(path: "/nonexistent-dir/x.log", format: .apache)
        }
    }
}

extension SplitMix64 {
    fileprivate mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
