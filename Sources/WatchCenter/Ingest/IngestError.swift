import WormWatchCore

/// Why a batch was refused as a whole: which line and field, what is wrong, and the HTTP status
/// that goes with it. Nothing of a refused batch is stored.
public struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, as the error's `code` in the JSON answer.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The body is larger than the limit (413).
        case bodyTooLarge = "body_too_large"
        /// The batch has more lines than the limit (413).
        case tooManyLines = "too_many_lines"
        /// The batch has no lines (400).
        case emptyBatch = "empty_batch"
        /// A line is not JSON, or not a JSON object (400).
        case malformedJSON = "malformed_json"
        /// A field is missing (400).
        case missingField = "missing_field"
        /// A field has the wrong JSON type or a number out of range (400).
        case wrongType = "wrong_type"
        /// A field's value is not acceptable: an address outside IPv4, an unknown format (400).
        case invalidValue = "invalid_value"
        /// A time far in the past or the future (400).
        case timeOutOfRange = "time_out_of_range"
        /// The body is not UTF-8 (400).
        case notUTF8 = "not_utf8"

        /// The HTTP status.
        public var httpStatus: Int {
            switch self {
            case .bodyTooLarge, .tooManyLines: 413
            default: 400
            }
        }
    }

    /// The kind of problem.
    public var code: Code
    /// The 1-based line, when one line is at fault.
    public var line: Int?
    /// The field (`source`, `new_sources[2].first_seen`), when one field is at fault.
    public var field: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(code: Code, line: Int? = nil, field: String? = nil, message: String) {
        self.code = code
        self.line = line
        self.field = field
        self.message = message
    }

    /// `line 3: source: '1.2.3' is not an IPv4 address`.
    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
