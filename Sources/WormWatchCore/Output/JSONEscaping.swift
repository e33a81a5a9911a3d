/// Writes JSON strings, for every JSON output of WormWatch (documents and event streams).
///
/// `"` and `\` are escaped with a backslash; control characters as `\n`, `\r`, `\t`, `\b`,
/// `\f` or `\u00XX`, and DEL as `\u007f`; U+2028 and U+2029 as `\u2028` and `\u2029` (valid
/// JSON, but line ends to JavaScript). Other characters are written as UTF-8. From raw bytes,
/// every byte that does not start a well-formed UTF-8 sequence becomes U+FFFD (the
/// replacement character), so the output is always valid UTF-8 and valid JSON.
public enum JSONEscaping {
    /// Appends `text` as a quoted JSON string.
    public static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(utf8: UnsafeRawBufferPointer($0), to: &out) }
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends bytes, meant to be UTF-8 but possibly not, as a quoted JSON string.
    public static func append(utf8 bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let n = bytes.count
        var i = 0
        var plain = 0  // start of the run of bytes copied as they are
        @inline(__always) func flush(_ end: Int) {
            if end > plain { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plain..<end])) }
        }
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if b >= 0x80 {
                let length = sequenceLength(bytes, i)
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                let lineSeparator = length == 3 && b == 0xE2 && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9)
                if length > 0 && !lineSeparator {
                    i += length
                    continue
                }
                flush(i)
                if lineSeparator {
                    appendUnicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    i += 3
                } else {
                    out.append(contentsOf: "\u{FFFD}".utf8)
                    i += 1
                }
                plain = i
                continue
            }
            flush(i)
            switch b {
            case 0x0A: appendEscape(UInt8(ascii: "n"), to: &out)
            case 0x0D: appendEscape(UInt8(ascii: "r"), to: &out)
            case 0x09: appendEscape(UInt8(ascii: "t"), to: &out)
            case 0x08: appendEscape(UInt8(ascii: "b"), to: &out)
            case 0x0C: appendEscape(UInt8(ascii: "f"), to: &out)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): appendEscape(b, to: &out)
            default: appendUnicodeEscape(UInt16(b), to: &out)
            }
            i += 1
            plain = i
        }
        flush(n)
        out.append(UInt8(ascii: "\""))
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (2 to 4), or 0 if there is
    /// none (Unicode's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Int {
        let n = bytes.count
        let b = bytes[i]
        @inline(__always) func byte(_ k: Int, _ range: ClosedRange<UInt8>) -> Bool { i + k < n && range.contains(bytes[i + k]) }
        switch b {
        case 0xC2...0xDF: return byte(1, 0x80...0xBF) ? 2 : 0
        case 0xE0: return byte(1, 0xA0...0xBF) && byte(2, 0x80...0xBF) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return byte(1, 0x80...0xBF) && byte(2, 0x80...0xBF) ? 3 : 0
        case 0xED: return byte(1, 0x80...0x9F) && byte(2, 0x80...0xBF) ? 3 : 0
        case 0xF0: return byte(1, 0x90...0xBF) && byte(2, 0x80...0xBF) && byte(3, 0x80...0xBF) ? 4 : 0
        case 0xF1...0xF3: return byte(1, 0x80...0xBF) && byte(2, 0x80...0xBF) && byte(3, 0x80...0xBF) ? 4 : 0
        case 0xF4: return byte(1, 0x80...0x8F) && byte(2, 0x80...0xBF) && byte(3, 0x80...0xBF) ? 4 : 0
        default: return 0
        }
    }

    static func appendUnicodeEscape(_ value: UInt16, to out: inout [UInt8]) {
        appendEscape(UInt8(ascii: "u"), to: &out)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex(UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 15))
        }
    }

    @inline(__always)
    static func appendEscape(_ letter: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(letter)
    }

    static func hex(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }
}
