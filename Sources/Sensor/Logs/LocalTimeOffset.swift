/// A UTC offset as logs and users write it: `+HH:MM`, `-HH:MM` or without the colon.
public enum LocalTimeOffset {
    /// The offset in seconds east of UTC, or `nil` if `text` is not `±HH:MM` / `±HHMM` with at
    /// most 14 hours (the largest offset in use, UTC+14).
    public static func seconds(parsing text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 4, bytes.count == 5 || (bytes.count == 6 && bytes[3] == UInt8(ascii: ":")),
              digits.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = values[2] * 10 + values[3]
        guard minutes < 60, hours * 60 + minutes <= 14 * 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
