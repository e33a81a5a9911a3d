/// CSV as conventions.md has it: a header row, comma separator, `.` decimal point.
public enum CSV {
    /// A field (RFC 4180): quoted when it holds a comma, a quote or a line break, with quotes doubled.
    public static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return text
        }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// A number as JSON writes it (``JSONWriter/format(_:)``); empty for NaN and infinities.
    public static func number(_ value: Double) -> String { value.isFinite ? JSONWriter.format(value) : "" }

    /// One line of fields, each quoted as needed, without a line end.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
