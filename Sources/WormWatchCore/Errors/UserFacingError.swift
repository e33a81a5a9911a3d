/// An error that a front end (the command line, the server) reports as one line,
/// `<where>: <what is wrong>`, with an optional hint and an exit status.
///
/// Library errors conform so that every front end reports them the same way: the command
/// line prints `wormwatch: error: <location>: <reason>` and exits with ``exitStatus``.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// Where: a file and line (`my-worm.yaml:12`), a field path, an option (`--runs`) or a
    /// URL; empty when the problem is nowhere in particular.
    var location: String { get }
    /// What is wrong, in words a user can act on.
    var reason: String { get }
    /// One line of help, if useful.
    var hint: String? { get }
    /// The exit status that goes with it.
    var exitStatus: ExitStatus { get }
    /// When the error is about a setting of a request: that setting, so that a front end can
    /// name it its own way (an option, a request field).
    var requestError: RequestError? { get }
}

extension UserFacingError {
    /// No hint unless the error gives one.
    public var hint: String? { nil }

    /// Not about a request's setting unless the error says so.
    public var requestError: RequestError? { nil }

    /// `location: reason`, or the reason alone.
    public var description: String { location.isEmpty ? reason : location + ": " + reason }
}

/// A problem reported with a location, a reason and an exit status: for front ends' own
/// problems (a bad option, an output that cannot be written) and for wrapping others.
public struct ReportedError: UserFacingError, Sendable, Hashable {
    public var location: String
    public var reason: String
    public var hint: String?
    public var exitStatus: ExitStatus

    /// Creates an error.
    public init(location: String, reason: String, exitStatus: ExitStatus, hint: String? = nil) {
        self.location = location
        self.reason = reason
        self.exitStatus = exitStatus
        self.hint = hint
    }
}
