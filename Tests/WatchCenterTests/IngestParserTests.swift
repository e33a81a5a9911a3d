import Foundation
import Sensor
import Testing
import WatchCenterTestSupport
@testable import WatchCenter
import WormWatchCore

/// The ingest format: what is accepted, and the exact error — line, field, words — for what is not.
@Suite struct IngestParserTests {
    let parser = IngestParser()
    static let event = #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","source":"192.0.2.7","destination":null,"destination_port":80,"protocol":"tcp","family":"code-red-i","rule":"code-red-i","severity":"high","evidence":"/default.ida?NNNN","input":"access.log","line":17}"#
    static let count = #"{"format":"wormwatch.observation/1","family":"code-red-v2","start":"2001-07-19T12:00:00Z","seconds":60,"probes":5210,"distinct_sources":1204,"new_sources":[{"source":"12.34.56.78","first_seen":"2001-07-19T12:00:03.25Z"}]}"#

    func parse(_ text: String) throws(IngestError) -> IngestBatch {
        try parser.parse(Array(text.utf8), now: Make.now)
    }

    func error(_ text: String, limits: IngestLimits = IngestLimits()) -> IngestError? {
        do {
            _ = try IngestParser(limits: limits).parse(Array(text.utf8), now: Make.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsBothKindsOfLineWithBlankLinesAndCRLF() throws {
        let batch = try parse("\n" + Self.event + "\r\n   \n" + Self.count + "\n")
        #expect(batch.events.count == 1 && batch.counts.count == 1)
        let e = try #require(batch.events.first)
        #expect(e.source == Make.address("192.0.2.7") && e.destination == 0 && e.record == 17 && e.family == "code-red-i")
        let c = try #require(batch.counts.first)
        #expect(c.probes == 5210 && c.distinctSources == 1204 && c.seconds == 60)
        #expect(c.newSources == [MonitorCount.NewSource(source: Make.address("12.34.56.78"), firstSeenNanoseconds: UTCCalendar.parseISO8601Nanoseconds("2001-07-19T12:00:03.25Z")!)])
    }

    @Test func aBatchRoundTripsThroughItsNDJSON() throws {
        let batch = try parse(Self.event + "\n" + Self.count + "\n")
        let again = try parser.parse(batch.ndjson(), now: Make.now)
        #expect(again == batch)
        #expect(again.ndjson() == batch.ndjson())
        // Events come back byte for byte as the sensor wrote them.
        #expect(String(decoding: batch.ndjson(), as: UTF8.self).hasPrefix(Self.event + "\n"))
    }

    @Test func unnamedNewSourcesRoundTrip() throws {
        let line = Self.count.replacingOccurrences(of: #""new_sources":["#, with: #""new_source_count":900,"new_sources":["#)
        let c = try #require(try parse(line).counts.first)
        #expect(c.newSourceCount == 900 && c.unnamedNewSources == 899)
        #expect(try parser.parse(IngestBatch(counts: [c]).ndjson(), now: Make.now).counts == [c])
    }

    @Test func whatScanWritesIsAccepted() throws {
        let event = Make.event(source: Make.address("10.1.2.3"), at: Make.day + 123_456_789)
        let batch = try parse(EventNDJSON.line(event))
        #expect(batch.events == [event])
    }

    @Test("the generic scan rule's events are filed under their port: unknown scanners on TCP 445, UDP 1434")
    func unknownScannersByPort() throws {
        let tcp = Self.event.replacingOccurrences(of: #""destination_port":80"#, with: #""destination_port":445"#)
            .replacingOccurrences(of: #""family":"code-red-i""#, with: #""family":"address-scan""#)
        // The same line through Foundation's decoder (an extra key keeps it off the fast path).
        let udp = Self.event.replacingOccurrences(of: #""destination_port":80,"protocol":"tcp""#, with: #""destination_port":1434,"protocol":"udp""#)
            .replacingOccurrences(of: #""family":"code-red-i""#, with: #""family":"address-scan","extra":1"#)
        let batch = try parse([tcp, udp, Self.event].joined(separator: "\n"))
        #expect(batch.events.map(\.family) == ["unknown-tcp-445", "unknown-udp-1434", "code-red-i"])
        #expect(UnknownScanners.port(ofFamily: "unknown-tcp-445")?.port == 445)
        #expect(UnknownScanners.port(ofFamily: "unknown-udp-1434")?.transport == .udp)
        for other in ["unknown-tcp-0445", "unknown-tcp-65536", "unknown-icmp-1", "unknown-tcp", "code-red-i"] {
            #expect(UnknownScanners.port(ofFamily: other) == nil, "\(other)")
        }
        let guidance = FamilyGuidance.for("unknown-tcp-445")
        #expect(guidance.name == "Unknown scanners on TCP port 445")
        #expect(guidance.actions[1] == "Filter TCP port 445 at the network edge, inbound and outbound, where the service need not be reached.")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var expected: IngestError
        init(_ line: String, _ expected: IngestError) {
            self.line = line
            self.expected = expected
        }
        var testDescription: String { expected.description }
    }

    static let cases: [Case] = [
        Case("{\"format\":", IngestError(code: .malformedJSON, line: 2, message: "not valid JSON")),
        Case("[1,2]", IngestError(code: .malformedJSON, line: 2, message: "not a JSON object")),
        Case(#"{"format":"wormwatch.event/2"}"#, IngestError(code: .invalidValue, line: 2, field: "format", message: "'wormwatch.event/2' is not wormwatch.event/1 or wormwatch.observation/1")),
        Case(#"{"time":"2001-07-19T10:00:00Z"}"#, IngestError(code: .missingField, line: 2, field: "format", message: "missing")),
        Case(Self.event.replacingOccurrences(of: #""source":"192.0.2.7""#, with: #""source":"192.0.2.999""#), IngestError(code: .invalidValue, line: 2, field: "source", message: "'192.0.2.999' is not an IPv4 address")),
        Case(Self.event.replacingOccurrences(of: #""source":"192.0.2.7""#, with: #""source":"2001:db8::1""#), IngestError(code: .invalidValue, line: 2, field: "source", message: "'2001:db8::1' is not an IPv4 address")),
        Case(Self.event.replacingOccurrences(of: #""destination_port":80"#, with: #""destination_port":99999"#), IngestError(code: .wrongType, line: 2, field: "destination_port", message: "99999 is not a whole number from 0 to 65535")),
        Case(Self.event.replacingOccurrences(of: #""line":17"#, with: #""line":1e400"#), IngestError(code: .malformedJSON, line: 2, message: "not valid JSON")),
        Case(Self.event.replacingOccurrences(of: #""destination_port":80"#, with: #""destination_port":"80""#), IngestError(code: .wrongType, line: 2, field: "destination_port", message: "expected an integer")),
        Case(Self.event.replacingOccurrences(of: #""family":"code-red-i""#, with: #""family":7"#), IngestError(code: .wrongType, line: 2, field: "family", message: "expected a string")),
        Case(Self.event.replacingOccurrences(of: #""family":"code-red-i""#, with: #""family":"code red""#), IngestError(code: .invalidValue, line: 2, field: "family", message: FamilyName.rule)),
        Case(Self.event.replacingOccurrences(of: "2001-07-19T10:00:00Z", with: "1970-01-01T00:00:00Z"), IngestError(code: .timeOutOfRange, line: 2, field: "time", message: "1970-01-01T00:00:00Z is before 1995-01-01T00:00:00Z")),
        Case(Self.event.replacingOccurrences(of: "2001-07-19T10:00:00Z", with: "2031-01-01T00:00:00Z"), IngestError(code: .timeOutOfRange, line: 2, field: "time", message: "2031-01-01T00:00:00Z is more than 86400 s after the server's clock")),
        Case(Self.event.replacingOccurrences(of: "2001-07-19T10:00:00Z", with: "yesterday"), IngestError(code: .invalidValue, line: 2, field: "time", message: "'yesterday' is not an ISO 8601 UTC time like 2001-07-19T10:00:00Z")),
        Case(Self.count.replacingOccurrences(of: #""probes":5210"#, with: #""probes":-1"#), IngestError(code: .invalidValue, line: 2, field: "probes", message: "negative")),
        Case(Self.count.replacingOccurrences(of: #""probes":5210"#, with: #""probes":100"#), IngestError(code: .invalidValue, line: 2, field: "distinct_sources", message: "1204 sources cannot have sent 100 probes")),
        Case(Self.count.replacingOccurrences(of: #""new_sources":["#, with: #""new_source_count":0,"new_sources":["#), IngestError(code: .invalidValue, line: 2, field: "new_source_count", message: "0 is less than the 1 sources listed")),
        Case(Self.count.replacingOccurrences(of: #""new_sources":["#, with: #""new_source_count":1205,"new_sources":["#), IngestError(code: .invalidValue, line: 2, field: "new_source_count", message: "1205 new sources but only 1204 distinct sources")),
        Case(Self.count.replacingOccurrences(of: #""probes":5210"#, with: #""probes":2000000000"#), IngestError(code: .invalidValue, line: 2, field: "probes", message: "2000000000 is more than 1000000000 in one interval")),
        Case(Self.count.replacingOccurrences(of: #""seconds":60"#, with: #""seconds":0"#), IngestError(code: .invalidValue, line: 2, field: "seconds", message: "0 is not between 1 and 86400")),
        Case(Self.count.replacingOccurrences(of: "12:00:03.25Z", with: "13:00:03Z"), IngestError(code: .invalidValue, line: 2, field: "new_sources[0].first_seen", message: "2001-07-19T13:00:03Z is outside the interval")),
        Case(Self.count.replacingOccurrences(of: "12.34.56.78", with: "12.34.56"), IngestError(code: .invalidValue, line: 2, field: "new_sources[0].source", message: "'12.34.56' is not an IPv4 address")),
        Case(Self.count.replacingOccurrences(of: #"{"source":"12.34.56.78""#, with: #"{"sourc":"12.34.56.78""#), IngestError(code: .missingField, line: 2, field: "new_sources[0].source", message: "missing")),
        Case(Self.count.replacingOccurrences(of: #"[{"source""#, with: #"[{"source":"12.34.56.78","first_seen":"2001-07-19T12:00:01Z"},{"source""#), IngestError(code: .invalidValue, line: 2, field: "new_sources[1].source", message: "12.34.56.78 is listed twice")),
    ]

    @Test(arguments: cases)
    func eachProblemIsNamedWithItsLineAndField(_ c: Case) {
        #expect(error(Self.event + "\n" + c.line + "\n" + Self.event) == c.expected)
    }

    @Test func limitsAreEnforced() {
        var small = IngestLimits()
        small.maxLines = 2
        #expect(error(Self.event + "\n\n" + Self.event + "\n" + Self.event, limits: small)
            == IngestError(code: .tooManyLines, line: 4, message: "the batch has more than 2 lines"))
        small.maxBodyBytes = 100
        #expect(error(Self.event, limits: small)?.code == .bodyTooLarge)
        #expect(error("\n \n") == IngestError(code: .emptyBatch, message: "the batch has no lines"))
        #expect(error(Self.event + "\n" + String(decoding: [0x7B, 0xFF, 0x7D], as: UTF8.self))?.code == .malformedJSON)
        #expect(error(Self.event.replacingOccurrences(of: #""line":17"#, with: #""line":2.5"#)) == IngestError(code: .wrongType, line: 1, field: "line", message: "2.5 is not a whole number from 0 to 9007000000000000"))
        var bytes = Array((Self.event + "\n").utf8)
        bytes += [0x7B, 0x22, 0xFF, 0x22, 0x7D]
        #expect(throws: IngestError(code: .notUTF8, line: 2, message: "the line is not UTF-8")) { try parser.parse(bytes, now: Make.now) }
        var long = IngestLimits()
        long.maxFieldBytes = 10
        #expect(error(Self.event, limits: long) == IngestError(code: .invalidValue, line: 1, field: "evidence", message: "longer than 10 bytes"))
    }

    @Test func statusesFollowTheKind() {
        #expect(IngestError.Code.bodyTooLarge.httpStatus == 413 && IngestError.Code.tooManyLines.httpStatus == 413)
        #expect(IngestError.Code.allCases.filter { $0 != .bodyTooLarge && $0 != .tooManyLines }.allSatisfy { $0.httpStatus == 400 })
        #expect(IngestError(code: .invalidValue, line: 3, field: "source", message: "bad").description == "line 3: source: bad")
    }
}

/// The fast event scanner reads what sensors write, and agrees with the full decoder.
@Suite struct EventLineScannerTests {
    let parser = IngestParser()

    func slow(_ line: String) -> SensorEvent? {
        guard case .event(let e)? = try? parser.decodeLine(Data(line.utf8), number: 1, decoder: JSONDecoder()) else { return nil }
        return e
    }

    func fast(_ line: String) -> SensorEvent? {
        Array(line.utf8).withUnsafeBufferPointer { EventLineScanner.scan($0) }
    }

    @Test func takesWhatScanWrites() {
        let evidences = ["/default.ida?NNNN%u9090", "quote \" backslash \\ tab \t", "ünïcödé ✓ 𝄞", "\u{01}\u{1F}", ""]
        for (i, evidence) in evidences.enumerated() {
            var e = Make.event(source: UInt32(0x0C00_0000 + i), at: Make.day + Int64(i) * 1_234_567)
            e.evidence = evidence
            if i % 2 == 1 {
                e.recordKind = .packet
                e.destination = 0
                e.transport = .udp
                e.severity = .low
            }
            let line = EventNDJSON.line(e).dropLast()
            #expect(fast(String(line)) == e, "\(line)")
            #expect(slow(String(line)) == e)
        }
    }

    @Test(arguments: [
        // Taken by both, the same.
        #"  { "format" : "wormwatch.event/1", "time":"2001-07-19T10:00:00.5Z","source":null,"destination":"44.0.0.1","destination_port":0,"protocol":"udp","family":"f","rule":"r","severity":"medium","evidence":"a\/b\u00e9\ud834\udd1e","input":"i","packet":3}  "#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":null,"packet":9}"#,
        // Left to the decoder (another key, a fraction, a duplicate, a lone surrogate, a leading zero, a negative).
        #"{"format":"wormwatch.event/1","extra":1,"time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80.0,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","time":"2001-07-19T10:00:01Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"\ud834","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":080,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":-1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"TCP","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#,
        #"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1} x"#,
    ])
    func agreesWithTheDecoder(_ line: String) {
        if let f = fast(line) {
            #expect(slow(line) == f)
        }
    }

    @Test func theFastPathIsTakenForPlainLinesOnly() {
        #expect(fast(#"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#) != nil)
        #expect(fast(#"{"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","destination_port":80.0,"protocol":"tcp","family":"f","rule":"r","severity":"high","evidence":"e","input":"i","line":1}"#) == nil)
        #expect(fast(#"{"format":"wormwatch.observation/1"}"#) == nil)
    }
}
