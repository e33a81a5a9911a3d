/// A request that names an unusable setting: which setting (in the request's own words,
/// `hours`, `emit_monitor`, `vary`), optionally what about it (`worm.probe_rate=-1`), and why.
///
/// Libraries name settings, not command-line flags; the command line shows a setting as its
/// flag (`hours` → `--hours`), a server as a request field.
public struct RequestError: UserFacingError, Sendable, Hashable {
    /// The setting, snake_case.
    public var setting: String
    /// What about the setting, when it takes several values (a parameter and its value).
    public var subject: String?
    public var reason: String
    public var hint: String?

    /// Creates an error.
    public init(setting: String, subject: String? = nil, reason: String, hint: String? = nil) {
        self.setting = setting
        self.subject = subject
        self.reason = reason
        self.hint = hint
    }

    /// `setting` or `setting subject`.
    public var location: String { subject.map { "\(setting) \($0)" } ?? setting }

    /// Bad usage (64).
    public var exitStatus: ExitStatus { .usage }

    /// Itself.
    public var requestError: RequestError? { self }
}
