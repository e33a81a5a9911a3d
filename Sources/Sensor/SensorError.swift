/// Why the sensor could not read an input at all.
///
/// Damage *inside* an input (a corrupt packet record, a garbage log line) is not an error:
/// readers skip it and count it in ``SkippedInput``. These cases stop reading a whole input.
public enum SensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened or read (exit status 66).
    case unreadable(path: String, reason: String)
    /// The input's format could not be recognised, or a forced format does not match (exit 65).
    case unrecognizedFormat(path: String, reason: String)
    /// A rules file is invalid; `location` is `file:line` or a field path (exit 65).
    case invalidRules(location: String, reason: String)
    /// An output file cannot be created or written (exit 73).
    case unwritable(path: String, reason: String)
    /// An Apache `LogFormat` string the reader cannot use (a bad option: exit 64).
    case invalidLogFormat(format: String, reason: String)

    /// The one-line description, `<where>: <what is wrong>`.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .unrecognizedFormat(path, reason): "\(path): \(reason)"
        case let .invalidRules(location, reason): "\(location): \(reason)"
        case let .unwritable(path, reason): "\(path): \(reason)"
        case let .invalidLogFormat(format, reason): "log format \"\(format)\": \(reason)"
        }
    }
}
