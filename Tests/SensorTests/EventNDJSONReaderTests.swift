import Foundation
import Testing
import WormWatchCore
@testable import Sensor

/// The event stream read back: what the sensor writes is what the Watch Center reads.
@Suite("Event NDJSON reader")
struct EventNDJSONReaderTests {
    static let t0: Int64 = 995_536_800 * 1_000_000_000  // 2001-07-19T10:00:00Z

    /// Events that exercise every field: null and real addresses, both record kinds, times with
    /// and without fractions (before 1970 too), escapes, non-ASCII and line separators.
    static var events: [SensorEvent] {
        let evidences = ["/default.ida?NNNN", "a\"b\\c\u{7}", "café €😀", "x\u{2028}y", "", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir"]
        return (0..<60).map { i in
            SensorEvent(
                timeNanoseconds: t0 + Int64(i) * 1_234_567_891 - (i == 7 ? t0 * 2 : 0),
                source: i % 5 == 0 ? 0 : UInt32(0xC000_0200 + i), destination: i % 2 == 0 ? 0 : 0x0A01_0203,
                destinationPort: i % 3 == 0 ? 80 : 1434, transport: i % 3 == 0 ? .tcp : .udp,
                family: ["code-red-i", "nimda", "slammer"][i % 3], ruleID: "rule-\(i % 4)", severity: [.low, .medium, .high][i % 3],
                evidence: evidences[i % evidences.count], input: i % 4 == 0 ? "access \"log\".gz" : "day.pcap",
                recordKind: i % 2 == 0 ? .line : .packet, record: i + 1)
        }
    }

    @Test("events written as NDJSON read back equal, field for field")
    func roundTrip() throws {
        var bytes: [UInt8] = []
        for event in Self.events { EventNDJSON.append(event, to: &bytes) }
        let read = try EventNDJSONReader(name: "events.ndjson").events(bytes)
        #expect(read == Self.events)
        // CRLF line ends and blank lines are fine too.
        let crlf = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n\r\n")
        #expect(try EventNDJSONReader().events(Array(crlf.utf8)) == Self.events)
    }

    @Test("Codable: JSONEncoder writes the same keys and values EventNDJSON writes")
    func codable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for event in Self.events {
            let encoded = try encoder.encode(event)
            #expect(try JSONDecoder().decode(SensorEvent.self, from: encoded) == event)
            let ours = try JSONSerialization.jsonObject(with: Data(EventNDJSON.line(event).utf8)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
            #expect(ours == theirs, "\(event)")
        }
    }

    @Test("a line that is not an event names its line and what is wrong")
    func errors() {
        func problem(_ text: String) -> String? {
            do { _ = try EventNDJSONReader(name: "e.ndjson").events(Array(text.utf8)); return nil } catch { return error.description }
        }
        let good = EventNDJSON.line(Self.events[1])
        #expect(problem(good + "\n" + "{\"format\": 1}\n") == "e.ndjson:3: format: not the kind of value an event holds there")
        #expect(problem(good + "not json\n") == "e.ndjson:2: not a JSON object (a wormwatch.event/1 line)")
        #expect(problem(good.replacingOccurrences(of: "wormwatch.event/1", with: "wormwatch.event/2"))
                == "e.ndjson:1: format: 'wormwatch.event/2' is not wormwatch.event/1")
        #expect(problem(good.replacingOccurrences(of: "\"2001-07-19T", with: "\"2001-13-19T"))?.hasPrefix("e.ndjson:1: time: '2001-13-19T") == true)
        #expect(problem(good.replacingOccurrences(of: "\"192.0.2.1\"", with: "\"192.0.2.256\"")) == "e.ndjson:1: source: '192.0.2.256' is not an IPv4 address")
        #expect(problem(good.replacingOccurrences(of: "\"udp\"", with: "\"icmp\"")) == "e.ndjson:1: protocol: 'icmp' is not tcp or udp")
        #expect(problem(good.replacingOccurrences(of: ",\"packet\":2", with: "")) == "e.ndjson:1: line: missing (an event names its line or its packet)")
        #expect(problem(good.replacingOccurrences(of: ",\"family\":\"nimda\"", with: "")) == "e.ndjson:1: family: missing")
    }

    @Test("ISO 8601 times with fractions parse to the nanosecond")
    func times() {
        #expect(UTCCalendar.parseISO8601Nanoseconds("2001-07-19T10:00:00.250Z") == Self.t0 + 250_000_000)
        #expect(UTCCalendar.parseISO8601Nanoseconds("2001-07-19T10:00:00.000000001Z") == Self.t0 + 1)
        #expect(UTCCalendar.parseISO8601Nanoseconds("2001-07-19T10:00:00Z") == Self.t0)
        #expect(UTCCalendar.parseISO8601Nanoseconds("2001-07-19T10:00:00.Z") == nil)
        #expect(UTCCalendar.parseISO8601Nanoseconds("2001-07-19T10:00:00.1234567890Z") == nil)
        #expect(UTCCalendar.parseISO8601Nanoseconds("2263-01-01T00:00:00Z") == nil)
    }
}
