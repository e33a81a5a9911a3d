import Foundation
import Testing
import WormWatchCore
@testable import Sensor

/// Event lines: exact bytes, times, addresses, and escaping that survives any input.
@Suite("Event NDJSON")
struct EventNDJSONTests {
    static let t0: Int64 = 995_536_800 * 1_000_000_000  // 2001-07-19T10:00:00Z

    static func event(evidence: String = "/default.ida?NNNN", time: Int64 = t0, destination: UInt32 = 0, kind: RecordKind = .line) -> SensorEvent {
        SensorEvent(timeNanoseconds: time, source: 0xC000_0207, destination: destination, destinationPort: 80, transport: .tcp,
                    family: "code-red-i", ruleID: "code-red-i", severity: .high, evidence: evidence, input: "access.log",
                    recordKind: kind, record: 17)
    }

    static func json(utf8 bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        bytes.withUnsafeBytes { JSONEscaping.append(utf8: $0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("one exact line per event, keys in a fixed order")
    func exactLine() {
        #expect(EventNDJSON.line(Self.event()) == """
            {"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","source":"192.0.2.7","destination":null,"destination_port":80,"protocol":"tcp","family":"code-red-i","rule":"code-red-i","severity":"high","evidence":"/default.ida?NNNN","input":"access.log","line":17}

            """)
        let packet = EventNDJSON.line(Self.event(destination: 0x0A01_0203, kind: .packet))
        #expect(packet.contains(#""destination":"10.1.2.3""#))
        #expect(packet.hasSuffix(#""input":"access.log","packet":17}"# + "\n"))
    }

    @Test("quotes, backslashes, control bytes, DEL and U+2028 are escaped")
    func escaping() {
        #expect(Self.json(utf8: Array("a\"b\\c".utf8) + [0x0A, 0x0D, 0x09, 0x08, 0x0C, 0x00, 0x01, 0x1F, 0x7F]) == #""a\"b\\c\n\r\t\b\f\u0000\u0001\u001f\u007f""#)
        #expect(Self.json(utf8: Array("x\u{2028}y\u{2029}z".utf8)) == #""x\u2028y\u2029z""#)
        #expect(Self.json(utf8: Array("café €😀".utf8)) == "\"café €😀\"")
    }

    @Test("invalid UTF-8: each byte that starts no well-formed sequence becomes U+FFFD")
    func invalidUTF8() {
        #expect(Self.json(utf8: [0x2F, 0xC1, 0x1C, 0x2F]) == "\"/\u{FFFD}\\u001c/\"")
        #expect(Self.json(utf8: [0xC0, 0xAF]) == "\"\u{FFFD}\u{FFFD}\"")
        #expect(Self.json(utf8: [0xE2, 0x80]) == "\"\u{FFFD}\u{FFFD}\"")
        #expect(Self.json(utf8: [0xED, 0xA0, 0x80]) == "\"\u{FFFD}\u{FFFD}\u{FFFD}\"")
        #expect(Self.json(utf8: [0xF4, 0x90, 0x80, 0x80]) == "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"")
        #expect(Self.json(utf8: [0xFF, 0x41]) == "\"\u{FFFD}A\"")
    }

    @Test("every line is one valid JSON object that reads back, whatever the bytes")
    func readsBack() throws {
        var random = TestRandom(seed: 7)
        for _ in 0..<300 {
            let bytes = (0..<random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var out: [UInt8] = []
            bytes.withUnsafeBytes { JSONEscaping.append(utf8: $0, to: &out) }
            #expect(String(validating: out, as: UTF8.self) != nil)
            let evidence = String(decoding: bytes, as: UTF8.self)
            let line = EventNDJSON.line(Self.event(evidence: evidence, time: Self.t0 + Int64(random.below(1_000_000_000))))
            #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["evidence"] as? String == evidence)
            #expect(object["format"] as? String == "wormwatch.event/1")
        }
    }
}
