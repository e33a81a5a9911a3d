/// What a ``LogReader`` has read so far. Skipped lines are counted apart, in
/// ``LogReader/skipped``.
public struct LogStatistics: Sendable, Equatable {
    /// Lines read: requests, directives, blank, skipped and everything else.
    public var lines = 0
    /// Request lines turned into observations.
    public var requests = 0
    /// IIS `#` directive lines.
    public var directives = 0
    /// Empty lines (or only a `CR`).
    public var blankLines = 0
    /// Apache lines whose request is `"-"` or `""` (a connection that sent no request line,
    /// logged with status 400 or 408): well-formed, but there is nothing to observe.
    public var emptyRequests = 0
    /// Requests whose client (`%h`, `c-ip`) is not an IPv4 address — a host name (Apache with
    /// `HostnameLookups On`), IPv6 or `-` — so their observation's `source` is 0.
    public var unresolvedClients = 0

    public init() {}
}
