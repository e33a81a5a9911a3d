import WormWatchCore

/// Why the sensor could not read an input at all.
///
/// Damage *inside* an input (a corrupt packet record, a garbage log line) is not an error:
/// readers skip it and count it in ``SkippedInput``. These cases stop reading a whole input.
public enum SensorError: UserFacingError, Sendable, Equatable {
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
    /// Writing an output failed part-way (a closed pipe, a full disk: exit 74).
    case outputFailed(path: String, reason: String)

    /// The one-line description, `<where>: <what is wrong>`.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .unrecognizedFormat(path, reason): "\(path): \(reason)"
        case let .invalidRules(location, reason): "\(location): \(reason)"
        case let .unwritable(path, reason): "\(path): \(reason)"
        case let .invalidLogFormat(format, reason): "log format \"\(format)\": \(reason)"
        case let .outputFailed(path, reason): "\(path): \(reason)"
        }
    }

    /// The file, the rules file and line, or the log format.
    public var location: String {
        switch self {
        case let .unreadable(path, _), let .unrecognizedFormat(path, _), let .unwritable(path, _), let .outputFailed(path, _): path
        case let .invalidRules(location, _): location
        case let .invalidLogFormat(format, _): "log format \"\(format)\""
        }
    }

    /// What is wrong.
    public var reason: String {
        switch self {
        case let .unreadable(_, reason), let .unrecognizedFormat(_, reason), let .invalidRules(_, reason),
             let .unwritable(_, reason), let .invalidLogFormat(_, reason), let .outputFailed(_, reason): reason
        }
    }

    /// 66 unreadable, 65 not a log or capture or bad rules, 73 cannot create, 64 bad log
    /// format, 74 a write failed.
    public var exitStatus: ExitStatus {
        switch self {
        case .unreadable: .noInput
        case .unrecognizedFormat, .invalidRules: .dataError
        case .unwritable: .cannotCreate
        case .invalidLogFormat: .usage
        case .outputFailed: .ioError
        }
    }
}
