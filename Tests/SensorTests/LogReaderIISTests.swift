import Testing
@testable import Sensor

@Suite struct LogReaderIISTests {
    static let iis5Expected: [SeenRequest] = [
        SeenRequest("2001-07-19T17:00:02Z", "192.168.7.21", "GET", "/default.htm", line: 5),
        SeenRequest("2001-07-19T17:04:12Z", "10.1.2.3", "GET", "/default.ida", line: 6),
        SeenRequest("2001-07-19T17:04:13Z", "10.1.2.4", "GET", "/default.ida", line: 7),
        SeenRequest("2001-08-04T23:58:11Z", "172.16.5.9", "GET", WormRequests.codeRedII, line: 12, destination: "192.168.7.5"),
        SeenRequest("2001-09-18T13:23:45Z", "10.9.8.7", "GET", "/scripts/root.exe?/c+dir", line: 13, destination: "192.168.7.5"),
        SeenRequest("2001-09-18T13:23:46Z", "10.9.8.7", "GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", line: 14, destination: "192.168.7.5"),
        SeenRequest("2001-09-18T13:23:47Z", "10.9.8.7", "GET", "/_vti_bin/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir", line: 15, destination: "192.168.7.5"),
        SeenRequest("2001-09-18T13:25:00Z", "192.168.7.21", "GET", "/default.htm", line: 16, destination: "192.168.7.5"),
    ]

    /// IIS 5's default fields (no `date`: the `#Date` directive's), CRLF, then a restart with
    /// more fields; the last line was cut short.
    @Test func iis5DefaultFieldsThenMore() throws {
        let result = try readLog(try fixtureBytes("iis5-w3c.log"), path: "ex010719.log")
        #expect(result.format == .iisW3C)
        #expect(result.requests == Self.iis5Expected)
        #expect(result.statuses == [200, 200, 200, 404, 404, 200, 200, 200])
        #expect(result.userAgents == ["", "", "", "", "", "", "", "Mozilla/4.0+(compatible;+MSIE+5.5;+Windows+NT+5.0)"])
        #expect(result.skipMessages == ["ex010719.log:17: fewer fields than #Fields declares (8 of 11)"])
        var statistics = LogStatistics()
        statistics.lines = 17
        statistics.requests = 8
        statistics.directives = 8
        #expect(result.statistics == statistics)
    }

    @Test func iis6FieldsAndAMidFileFieldsChange() throws {
        let result = try readLog(try fixtureBytes("iis6-w3c.log"), path: "u_ex030812.log")
        #expect(result.requests == [
            SeenRequest("2003-08-12T00:00:05Z", "10.44.1.9", "GET", WormRequests.codeRed, line: 5, destination: "192.168.10.4"),
            SeenRequest("2003-08-12T00:00:06Z", "10.44.1.10", "GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", line: 6, destination: "192.168.10.4"),
            SeenRequest("2003-08-12T00:01:17Z", "192.168.10.77", "GET", "/index.htm", line: 7, destination: "192.168.10.4"),
            SeenRequest("2003-08-12T00:01:18Z", "10.44.1.11", "GET", "/_vti_bin/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir", line: 8, destination: "192.168.10.4", port: 8080),
            SeenRequest("2003-08-12T06:30:00Z", "10.44.1.12", "POST", "/scripts/root.exe?/c+dir", line: 10, destination: "192.168.10.4"),
            SeenRequest("2003-08-12T06:30:01Z", "0.0.0.0", "GET", "/robots.txt", line: 11, destination: "192.168.10.4"),
        ])
        #expect(result.statuses == [400, 404, 200, 404, 404, 404])
        #expect(result.userAgents == ["", "", "Mozilla/4.0+(compatible;+MSIE+6.0;+Windows+NT+5.1)", "", "", "Googlebot/2.1"])
        #expect(result.statistics.directives == 5)
        #expect(result.statistics.unresolvedClients == 1)
        #expect(result.skipped.isEmpty)
    }

    @Test(arguments: [1, 2, 7, 333])
    func chunkBoundariesGiveIdenticalResults(chunk: Int) throws {
        for name in ["iis5-w3c.log", "iis6-w3c.log"] {
            let bytes = try fixtureBytes(name)
            let whole = try readLog(bytes)
            let pieces = try readLog(bytes, chunk: chunk)
            #expect(pieces.requests == whole.requests)
            #expect(pieces.statuses == whole.statuses)
            #expect(pieces.userAgents == whole.userAgents)
            #expect(pieces.statistics == whole.statistics)
            #expect(pieces.skipMessages == whole.skipMessages)
        }
    }

    @Test func damagedLinesAreSkippedWithTheirReason() throws {
        let text = """
            2001-07-19 10:00:00 10.0.0.1 GET /early
            #Software: Microsoft Internet Information Services 5.0
            #Fields: time c-ip cs-method cs-uri-stem cs-uri-query s-port
            10:00:00 10.0.0.1 GET /nodate - 80
            #Date: 2001-07-1x 00:00:00
            #Date:   2001-07-19 00:00:00
            10:00:01 10.0.0.1 GET /a q=1 80
            10:00:02.25 10.0.0.1 GET /b - 80
            10:00:03 10.0.0.1 GET /c - 80 extra
            10:00:04 10.0.0.1 GET /d -
            25:00:00 10.0.0.1 GET /e - 80
            10:00:05 10.0.0.1 GET /f - 99999
            10:00:06 10.0.0.1 GET /g - http
            10:00:07 10.0.0.1 GET /h - -
            10:00:08 10.0.0.1 - - - 80
            10:00:09 - GET /i ? 443
            10:00:10 10.0.0.1 GET /j - 80\u{20}\u{20}
            #Fields: date c-ip cs-uri-stem
            2001-07-20 10.0.0.2 /k
            #Fields: date time cs-uri-stem
            2001-02-29 10:00:00 /l
            20010720 10:00:00 /m
            2001-07-20 10:00:11.1234567890 /n
            2001-07-20 10:00:12.123456789 /o
            """
        let result = try readLog(text, path: "ex.log")
        #expect(result.requests == [
            SeenRequest("2001-07-19T10:00:01Z", "10.0.0.1", "GET", "/a?q=1", line: 7),
            SeenRequest("2001-07-19T10:00:02.25Z", "10.0.0.1", "GET", "/b", line: 8),
            SeenRequest("2001-07-19T10:00:07Z", "10.0.0.1", "GET", "/h", line: 14),
            SeenRequest("2001-07-19T10:00:08Z", "10.0.0.1", "", "", line: 15),
            SeenRequest("2001-07-19T10:00:09Z", "0.0.0.0", "GET", "/i??", line: 16, port: 443),
            SeenRequest("2001-07-19T10:00:10Z", "10.0.0.1", "GET", "/j", line: 17),
            SeenRequest("2001-07-20T10:00:12.123456789Z", "0.0.0.0", "", "/o", line: 24),
        ])
        #expect(result.skipMessages == [
            "ex.log:1: not an Apache or IIS log line",
            "ex.log:4: no date field and no #Date directive",
            #"ex.log:5: bad #Date directive "2001-07-1x 00:00:00""#,
            "ex.log:9: more fields than #Fields declares (7 for 6)",
            "ex.log:10: fewer fields than #Fields declares (5 of 6)",
            #"ex.log:11: bad time "25:00:00""#,
            #"ex.log:12: bad s-port "99999""#,
            #"ex.log:13: bad s-port "http""#,
            "ex.log:19: no time field in #Fields",
            #"ex.log:21: bad date "2001-02-29""#,
            #"ex.log:22: bad date "20010720""#,
            #"ex.log:23: bad time "10:00:11.1234567890""#,
        ])
        #expect(result.statistics.directives == 5)
        #expect(result.statistics.unresolvedClients == 2)
        #expect(result.format == .iisW3C)
    }

    @Test func fieldNamesAreCaseInsensitiveAndUnknownOnesIgnored() throws {
        let text = "#FIELDS: X-Custom DATE Time C-IP cs(Cookie) CS-URI-STEM\nv 2001-07-19 01:02:03 10.0.0.1 a=b /x\n"
        let result = try readLog(text)
        #expect(result.requests == [SeenRequest("2001-07-19T01:02:03Z", "10.0.0.1", "", "/x", line: 2)])
    }

    @Test func iisTargetsUseTheScratchBufferAndStayValidUntilNext() throws {
        let bytes = Array("#Fields: date time cs-uri-query cs-uri-stem\n2001-07-19 01:02:03 b=1 /a\n2001-07-19 01:02:04 c=2 /bb\n".utf8)
        var reader = LogReader(source: MemoryByteSource(bytes), path: "x", format: .iisW3C)
        let first = try #require(try reader.next())
        #expect(String(decoding: first.target, as: UTF8.self) == "/a?b=1")
        let second = try #require(try reader.next())
        #expect(String(decoding: second.target, as: UTF8.self) == "/bb?c=2")
        #expect(try reader.next() == nil)
    }
}
