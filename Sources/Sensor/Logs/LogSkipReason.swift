/// Why a log line was skipped; turned into text only when the example is kept.
///
/// Ranges are byte offsets into the line, which is still valid when the reason is recorded.
enum LogSkipReason {
    case notALogLine
    case noTime
    case badTime(Range<Int>)
    case noRequest
    case noClosingQuote
    case noFieldsDirective
    case fieldCount(found: Int, declared: Int)
    case noDate
    case noTimeField
    case badDate(Range<Int>)
    case badPort(Range<Int>)
    case badDateDirective(Range<Int>)
    case formatMismatch(at: Int, expected: [UInt8])
    case iisFieldCount(found: Int)

    /// The short reason shown after `FILE:LINE:`.
    func message(line: UnsafeRawBufferPointer) -> String {
        func text(_ range: Range<Int>) -> String {
            let clamped = range.clamped(to: 0..<line.count)
            return LogBytes.excerpt(UnsafeRawBufferPointer(rebasing: line[clamped]))
        }
        switch self {
        case .notALogLine: return "not an Apache or IIS log line"
        case .noTime: return "no [time] field"
        case .badTime(let range): return "bad time \"\(text(range))\""
        case .noRequest: return "no quoted request after the time"
        case .noClosingQuote: return "no closing quote in request"
        case .noFieldsDirective: return "no #Fields directive before this line"
        case let .fieldCount(found, declared):
            return found < declared
                ? "fewer fields than #Fields declares (\(found) of \(declared))"
                : "more fields than #Fields declares (\(found) for \(declared))"
        case .noDate: return "no date field and no #Date directive"
        case .noTimeField: return "no time field in #Fields"
        case .badDate(let range): return "bad date \"\(text(range))\""
        case .badPort(let range): return "bad s-port \"\(text(range))\""
        case .badDateDirective(let range): return "bad #Date directive \"\(text(range))\""
        case let .iisFieldCount(found):
            return "\(found) fields, not the IIS format's \(IISNativeLineParser.fieldCount)"
        case let .formatMismatch(at, expected):
            let shown = expected.withUnsafeBytes { LogBytes.excerpt($0) }
            return "does not match the log format at byte \(at + 1) (expected \"\(shown)\")"
        }
    }
}
