import Testing
@testable import Sensor

/// Microsoft's comma-separated IIS log file format (IIS 4 and 5's "IIS" format).
@Suite struct LogReaderIISNativeTests {
    static let codeRed = "/default.ida, " + String(repeating: "N", count: 224) + "%u9090%u6858%ucbd3%u7801=a"
    static let log = """
        192.0.2.7, -, 7/19/01, 10:04:12, W3SVC1, WEB1, 198.51.100.2, 30, 400, 200, 404, 2, GET, \(codeRed),
        www.example.org, -, 07/19/01, 10:04:13, W3SVC1, WEB1, 198.51.100.2, 10, 300, 1043, 200, 0, GET, /index.html, -,
        10.9.8.7, DOMAIN\\bob, 9/18/2001, 9:23:45, W3SVC1, WEB1, -, 10, 300, 1043, 404, 2, GET, /scripts/..%c0%af../winnt/system32/cmd.exe, /c+dir,\r
        10.9.8.7, -, 9/18/01, 9:23:46, W3SVC1, WEB1, 198.51.100.2, 10, 300, 1043, 404, 2, GET, /a, b,
        10.9.8.7, -, 2/30/01, 9:23:47, W3SVC1, WEB1, 198.51.100.2, 10, 300, 1043, 404, 2, GET, /a, -,
        10.9.8.7, -, 9/18/01, 9:23:48, W3SVC1, WEB1, 198.51.100.2, 10, 300, 1043, 404, 2, GET, /a, -

        """

    @Test("fields, rejoined targets, dates of two and four digits; damaged lines named")
    func readsLines() throws {
        let result = try readLog(Self.log)
        #expect(result.format == .iisNative)
        #expect(result.requests == [
            SeenRequest("2001-07-19T10:04:12Z", "192.0.2.7", "GET",
                        "/default.ida?" + String(repeating: "N", count: 224) + "%u9090%u6858%ucbd3%u7801=a",
                        line: 1, destination: "198.51.100.2"),
            SeenRequest("2001-07-19T10:04:13Z", "0.0.0.0", "GET", "/index.html", line: 2, destination: "198.51.100.2"),
            SeenRequest("2001-09-18T09:23:45Z", "10.9.8.7", "GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir",
                        line: 3),
            SeenRequest("2001-09-18T09:23:46Z", "10.9.8.7", "GET", "/a?b", line: 4, destination: "198.51.100.2"),
        ])
        #expect(result.statuses == [404, 200, 404, 404])
        #expect(result.userAgents == ["", "", "", ""])
        #expect(result.statistics.unresolvedClients == 1)
        #expect(result.skipMessages == [
            "test.log:5: bad date \"2/30/01, 9:23:47\"",
            "test.log:6: not an Apache or IIS log line",
        ])
    }

    @Test("local times are made UTC with the offset given; the format is detected from the first line")
    func offsetAndDetection() throws {
        var reader = LogReader(source: MemoryByteSource(Array(Self.log.utf8)), path: "ex.log", localTimeOffset: -7 * 3600)
        let result = try collect(&reader)
        #expect(result.requests.first?.time == "2001-07-19T17:04:12Z")
        #expect(LogFormat.detect(Array(Self.log.utf8)) == .iisNative)
        #expect(LogFormat.detect(Array("\n\n".utf8) + Array(Self.log.utf8)) == .iisNative)
        // Forced, the first line need not be good.
        var forced = LogReader(source: MemoryByteSource(Array(("junk\n" + Self.log).utf8)), path: "ex.log", format: .iisNative)
        let fromForced = try collect(&forced)
        #expect(fromForced.requests.count == 4)
        #expect(fromForced.skipMessages.first == "ex.log:1: not an Apache or IIS log line")
        // Fewer fields than the format has.
        let short = try readLog("192.0.2.7, -, 7/19/01, 10:04:12, W3SVC1, WEB1,\n", format: .iisNative)
        #expect(short.skipMessages == ["test.log:1: 6 fields, not the IIS format's 15"])
    }
}
