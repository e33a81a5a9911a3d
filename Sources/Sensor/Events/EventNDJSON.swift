import WormWatchCore
/// Events as NDJSON, `wormwatch.event/1`: one complete JSON object per line, keys in a fixed
/// order, so the same events give the same bytes.
///
/// ```
/// {"format":"wormwatch.event/1","time":"2001-07-19T10:00:00Z","source":"192.0.2.7","destination":null,"destination_port":80,"protocol":"tcp","family":"code-red-i","rule":"code-red-i","severity":"high","evidence":"/default.ida?NNNN…","input":"access.log","line":17}
/// ```
///
/// `time` is ISO 8601 UTC (``OutputText``); `source` and `destination` are dotted quads, or
/// `null` when unknown (0; Apache logs do not name the server). The last key is `line` or
/// `packet` after the input's ``RecordKind``. Strings are escaped by ``JSONEscaping``.
public enum EventNDJSON {
    /// The value of every line's `format` key.
    public static let format = "wormwatch.event/1"

    /// Appends one line, ending in `\n`.
    public static func append(_ event: SensorEvent, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"format":"wormwatch.event/1","time":""#.utf8)
        UTCCalendar.appendISO8601(nanoseconds: event.timeNanoseconds, to: &out)
        out.append(contentsOf: #"","source":"#.utf8)
        appendAddress(event.source, to: &out)
        out.append(contentsOf: #","destination":"#.utf8)
        appendAddress(event.destination, to: &out)
        out.append(contentsOf: #","destination_port":"#.utf8)
        DecimalText.append(Int(event.destinationPort), to: &out)
        out.append(contentsOf: #","protocol":""#.utf8)
        out.append(contentsOf: event.transport.rawValue.utf8)
        out.append(contentsOf: #"","family":"#.utf8)
        JSONEscaping.append(event.family, to: &out)
        out.append(contentsOf: #","rule":"#.utf8)
        JSONEscaping.append(event.ruleID, to: &out)
        out.append(contentsOf: #","severity":""#.utf8)
        out.append(contentsOf: event.severity.rawValue.utf8)
        out.append(contentsOf: #"","evidence":"#.utf8)
        JSONEscaping.append(event.evidence, to: &out)
        out.append(contentsOf: #","input":"#.utf8)
        JSONEscaping.append(event.input, to: &out)
        out.append(contentsOf: event.recordKind == .line ? #","line":"#.utf8 : #","packet":"#.utf8)
        DecimalText.append(event.record, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    /// One line, ending in `\n`.
    public static func line(_ event: SensorEvent) -> String {
        var out: [UInt8] = []
        append(event, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendAddress(_ value: UInt32, to out: inout [UInt8]) {
        guard value != 0 else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        IPv4Address(value).appendDottedQuad(to: &out)
        out.append(UInt8(ascii: "\""))
    }
}
