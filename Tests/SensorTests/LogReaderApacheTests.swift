import Testing
@testable import Sensor

@Suite struct LogReaderApacheTests {
    static let combinedExpected: [SeenRequest] = [
        SeenRequest("2001-07-19T16:58:01Z", "192.168.1.20", "GET", "/", line: 1),
        SeenRequest("2001-07-19T16:58:02Z", "192.168.1.20", "GET", "/images/logo.gif", line: 2),
        SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", WormRequests.codeRed, line: 3),
        SeenRequest("2001-08-05T06:15:40Z", "172.16.5.9", "GET", WormRequests.codeRedII, line: 4),
        SeenRequest("2001-09-18T13:23:45Z", "10.9.8.7", "GET", "/scripts/root.exe?/c+dir", line: 5),
        SeenRequest("2001-09-18T13:23:45Z", "10.9.8.7", "GET", "/MSADC/root.exe?/c+dir", line: 6),
        SeenRequest("2001-09-18T13:23:46Z", "10.9.8.7", "GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", line: 7),
        SeenRequest("2001-09-18T13:23:47Z", "10.9.8.7", "GET", "/_vti_bin/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir", line: 8),
        SeenRequest("2001-07-19T17:05:00Z", "0.0.0.0", "GET", "/index.html", line: 9),
        SeenRequest("2001-07-19T17:05:02Z", "10.1.2.5", "GET", #"/search?q=\"worm\""#, line: 11),
        SeenRequest("2001-07-19T17:05:03Z", "10.1.2.6", "GET", #"/a"b"#, line: 13),
        SeenRequest("2001-07-19T17:05:04Z", "0.0.0.0", "HEAD", "/", line: 14),
        SeenRequest("2001-07-19T17:05:05Z", "10.1.2.7", "GET", "/", line: 15),
        SeenRequest("2001-07-19T17:05:06Z", "10.1.2.8", "GET", "/My Documents/x.html", line: 16),
        SeenRequest("2001-07-19T10:05:07Z", "10.1.2.9", "POST", "/cgi-bin/form", line: 17),
    ]

    @Test func combinedFormatFrom2001() throws {
        let result = try readLog(try fixtureBytes("apache-combined-2001.log"), path: "access.log")
        #expect(result.format == .apache)
        #expect(result.requests == Self.combinedExpected)
        #expect(result.statuses == [200, 200, 404, 404, 404, 404, 404, 404, 304, 200, 404, 200, 200, 404, 200])
        let msie = "Mozilla/4.0 (compatible; MSIE 5.5; Windows NT 5.0)"
        #expect(result.userAgents == [
            msie, msie, "-", "-", "-", "-", "-", "-", "Mozilla/4.77 [en] (X11; U; Linux 2.4.2 i686)",
            #"Lynx/2.8.4rel.1 \"libwww-FM\"/2.14"#, "-", "-", "-", "-", "curl/7.8",
        ])
        var statistics = LogStatistics()
        statistics.lines = 17
        statistics.requests = 15
        statistics.blankLines = 1
        statistics.emptyRequests = 1
        statistics.unresolvedClients = 2
        #expect(result.statistics == statistics)
        #expect(result.skipped.isEmpty)
    }

    @Test func commonFormatZonesToUTC() throws {
        let result = try readLog(try fixtureBytes("apache-common-2001.log"))
        #expect(result.requests == [
            SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", WormRequests.codeRed, line: 1),
            SeenRequest("2002-01-01T09:59:59Z", "10.20.30.40", "GET", WormRequests.codeRedII, line: 2),
            SeenRequest("2000-02-29T23:00:00Z", "10.20.30.41", "GET", "/index.html", line: 3),
            SeenRequest("2001-07-19T17:04:12Z", "127.0.0.1", "GET", "/server-status", line: 4),
        ])
        #expect(result.statuses == [400, 404, 200, 200])
        #expect(result.userAgents == ["", "", "", ""])
        #expect(result.statistics.lines == 4)
        #expect(result.skipped.isEmpty)
    }

    @Test func theBriefsCodeRedLineExactly() throws {
        let line = "10.1.2.3 - - [19/Jul/2001:10:04:12 -0700] \"GET /default.ida?NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a HTTP/1.0\" 400 -"
        let result = try readLog(line)
        #expect(result.requests == [SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", WormRequests.codeRed, line: 1)])
    }

    @Test(arguments: [1, 2, 7, 64, 4096])
    func chunkBoundariesGiveIdenticalResults(chunk: Int) throws {
        for name in ["apache-combined-2001.log", "apache-common-2001.log"] {
            let bytes = try fixtureBytes(name)
            let whole = try readLog(bytes)
            let pieces = try readLog(bytes, chunk: chunk)
            #expect(pieces.requests == whole.requests)
            #expect(pieces.statuses == whole.statuses)
            #expect(pieces.userAgents == whole.userAgents)
            #expect(pieces.statistics == whole.statistics)
        }
    }

    @Test func crlfLineEnds() throws {
        let text = try fixtureBytes("apache-combined-2001.log")
        var crlf: [UInt8] = []
        for byte in text {
            if byte == 10 { crlf.append(13) }
            crlf.append(byte)
        }
        let result = try readLog(crlf, chunk: 7)
        #expect(result.requests == Self.combinedExpected)
        #expect(result.userAgents.last == "curl/7.8")
    }

    @Test func timeCacheFollowsChangesOfSecondDayAndZone() throws {
        let text = """
            1.1.1.1 - - [19/Jul/2001:10:00:00 -0700] "GET /a HTTP/1.0" 200 1
            1.1.1.1 - - [19/Jul/2001:10:00:00 -0700] "GET /b HTTP/1.0" 200 1
            1.1.1.1 - - [19/Jul/2001:10:00:01 -0700] "GET /c HTTP/1.0" 200 1
            1.1.1.1 - - [19/Jul/2001:10:00:01 +0000] "GET /d HTTP/1.0" 200 1
            1.1.1.1 - - [20/Jul/2001:10:00:01 +0000] "GET /e HTTP/1.0" 200 1
            1.1.1.1 - - [20/Jul/2001:10:00:01 +0000] "GET /f HTTP/1.0" 200 1
            1.1.1.1 - - [20/Jul/2001:23:59:60 +0000] "GET /g HTTP/1.0" 200 1
            1.1.1.1 - - [20/Jul/2001:10:00:01 +0000] "GET /h HTTP/1.0" 200 1
            """
        let times = try readLog(text).requests.map(\.time)
        #expect(times == [
            "2001-07-19T17:00:00Z", "2001-07-19T17:00:00Z", "2001-07-19T17:00:01Z", "2001-07-19T10:00:01Z",
            "2001-07-20T10:00:01Z", "2001-07-20T10:00:01Z", "2001-07-21T00:00:00Z", "2001-07-20T10:00:01Z",
        ])
    }

    @Test func damagedLinesAreSkippedWithTheirReason() throws {
        var bytes: [UInt8] = []
        func add(_ text: String) { bytes += Array(text.utf8) + [10] }
        add(#"10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] "GET / HTTP/1.0" 200 1"#)
        add("this is not a log line")
        add(#"10.0.0.1 - - [31/Jun/2001:10:00:00 -0700] "GET / HTTP/1.0" 200 1"#)
        add(#"10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] "GET /default.ida?NNNN HTTP/1.0 400 -"#)
        bytes += Array(#"10.0.0.2 - - [19/Jul/2001:10:00:01 -0700] "GET /"#.utf8) + [0xff, 0xfe, 0xc0]
            + Array(#" HTTP/1.0" 404 -"#.utf8) + [10]
        bytes += [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x01, 10]
        add("10.0.0.3 - - [19/Jul/2001:10:0")
        add(#"10.0.0.4 - - [19/Jul/2001:10:00:02 -0700] GET / 200 1"#)
        add(#"10.0.0.5 - - [19/Jul/2001:10:00:02 -07x0] "GET / HTTP/1.0" 200 1"#)
        add(#"10.0.0.5 - - [19/Jul/2001:24:00:02 -0700] "GET / HTTP/1.0" 200 1"#)
        add(#"10.0.0.5 - - [19/Jul/1899:10:00:02 -0700] "GET / HTTP/1.0" 200 1"#)
        add(#"10.0.0.5 - - [19/Jux/2001:10:00:02 -0700] "GET / HTTP/1.0" 200 1"#)
        add(#"10.0.0.6 - - [19/Jul/2001:10:00:02 -0700] "GET / HTTP/1.0" abc 1"#)
        add(#"10.0.0.6 - - [19/Jul/2001:10:00:02 -0700] "#)
        bytes += Array(#"10.0.0.7 - - [19/Jul/2001:10:00:03 -0700] "GET /last HTTP/1.0" 200 1"#.utf8)
        let result = try readLog(bytes, path: "access.log")
        #expect(result.requests == [
            SeenRequest("2001-07-19T17:00:00Z", "10.0.0.1", "GET", "/", line: 1),
            SeenRequest("2001-07-19T17:00:01Z", "10.0.0.2", "GET", "/\u{FFFD}\u{FFFD}\u{FFFD}", line: 5),
            SeenRequest("2001-07-19T17:00:03Z", "10.0.0.7", "GET", "/last", line: 15),
        ])
        #expect(result.skipMessages == [
            "access.log:2: no [time] field",
            #"access.log:3: bad time "31/Jun/2001:10:00:00 -0700""#,
            "access.log:4: no closing quote in request",
            "access.log:6: no [time] field",
            #"access.log:7: bad time "19/Jul/2001:10:0""#,
            "access.log:8: no quoted request after the time",
            #"access.log:9: bad time "19/Jul/2001:10:00:02 -07x0""#,
            #"access.log:10: bad time "19/Jul/2001:24:00:02 -0700""#,
            #"access.log:11: bad time "19/Jul/1899:10:00:02 -0700""#,
            #"access.log:12: bad time "19/Jux/2001:10:00:02 -0700""#,
            "access.log:13: no closing quote in request",
            "access.log:14: no quoted request after the time",
        ])
        #expect(result.skipped.count == 12)
        #expect(result.statistics.lines == 15)
        #expect(result.statistics.requests == 3)
    }

    @Test func invalidUTF8TargetBytesAreKeptExactly() throws {
        let bytes = Array(#"10.0.0.2 - - [19/Jul/2001:10:00:01 -0700] "GET /"#.utf8) + [0xff, 0xfe, 0xc0, 0x00]
            + Array(#" HTTP/1.0" 404 -"#.utf8)
        var reader = LogReader(source: MemoryByteSource(bytes), path: "x")
        let observation = try #require(try reader.next())
        #expect(Array(observation.target) == [47, 0xff, 0xfe, 0xc0, 0x00])
        #expect(Array(observation.method) == Array("GET".utf8))
        #expect(observation.kind == .httpRequest)
        #expect(observation.destinationPort == 80)
        #expect(observation.payload.isEmpty)
    }

    @Test func overLongLinesInALog() throws {
        let good = #"10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] "GET / HTTP/1.0" 200 1"#
        let long = #"10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] "GET /default.ida?"# + String(repeating: "N", count: 70_000)
            + #" HTTP/1.0" 400 -"#
        let result = try readLog([good, long, good, long].joined(separator: "\n"), path: "big.log", chunk: 4099)
        #expect(result.requests.map(\.record) == [1, 3])
        #expect(result.skipMessages == ["big.log:2: line longer than 65536 bytes", "big.log:4: line longer than 65536 bytes"])
        #expect(result.statistics.lines == 4)
    }

    @Test func notALogThrows() throws {
        let error = #expect(throws: SensorError.self) {
            try readLog("hello\nworld\n\nthis is text\n", path: "notes.txt")
        }
        #expect(error == .unrecognizedFormat(
            path: "notes.txt", reason: "not an Apache or IIS log: none of its 3 lines could be read"))

        let many = String(repeating: "garbage line\n", count: 5000)
        let manyError = #expect(throws: SensorError.self) { try readLog(many, path: "g") }
        #expect(manyError == .unrecognizedFormat(
            path: "g", reason: "not an Apache or IIS log: none of the first 1000 lines could be read"))

        let empty = try readLog("", path: "empty.log")
        #expect(empty.requests.isEmpty)
        #expect(empty.format == nil)
        let blank = try readLog("\n\r\n\n", path: "blank.log")
        #expect(blank.statistics.blankLines == 3)
    }

    @Test func detectionSkipsLeadingDamage() throws {
        let text = "garbage\n" + #"10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] "GET / HTTP/1.0" 200 1"#
        let result = try readLog(text)
        #expect(result.format == .apache)
        #expect(result.requests.map(\.record) == [2])
        #expect(result.skipMessages == ["test.log:1: not an Apache or IIS log line"])
    }

    @Test func forcedFormatThatDoesNotMatchThrows() throws {
        let iis = try fixtureBytes("iis5-w3c.log")
        let error = #expect(throws: SensorError.self) { try readLog(iis, path: "ex010719.log", format: .apache) }
        #expect(error == .unrecognizedFormat(
            path: "ex010719.log", reason: "not an Apache log (format forced): none of its 17 lines could be read"))
        let apache = try fixtureBytes("apache-common-2001.log")
        let other = #expect(throws: SensorError.self) { try readLog(apache, path: "a", format: .iisW3C) }
        #expect(other == .unrecognizedFormat(
            path: "a", reason: "not an IIS W3C log (format forced): none of its 4 lines could be read"))
        #expect(try readLog(apache, format: .apache).requests.count == 4)
    }

    @Test func detectFromAPrefix() throws {
        #expect(LogFormat.detect(try fixtureBytes("apache-combined-2001.log")) == .apache)
        #expect(LogFormat.detect(try fixtureBytes("iis5-w3c.log")) == .iisW3C)
        #expect(LogFormat.detect(Array("\r\n\n#Fields: date\n".utf8)) == .iisW3C)
        #expect(LogFormat.detect(Array("hello world\n".utf8)) == nil)
        #expect(LogFormat.detect([]) == nil)
        #expect(LogFormat.detect([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]) == nil)  // a pcap header
    }

    @Test func forEachVisitsEveryRequest() throws {
        var reader = try LogReader(path: fixturePath("apache-combined-2001.log"), input: 3)
        var lines: [Int] = []
        try reader.forEach { observation throws(SensorError) in
            #expect(observation.input == 3)
            lines.append(observation.record)
        }
        #expect(lines == Self.combinedExpected.map(\.record))
        #expect(try reader.next() == nil)
    }
}
