/// The exit statuses every `wormwatch` command uses (sysexits, ../shared/design/conventions.md).
public enum ExitStatus: Int32, Sendable, Hashable, CaseIterable {
    /// Success.
    case success = 0
    /// Finished, but found what the user asked to be told about or skipped some input (a
    /// damaged line, a fit that did not converge); the output says which.
    case findings = 1
    /// Bad usage or options (EX_USAGE).
    case usage = 64
    /// Bad data in an input file (EX_DATAERR).
    case dataError = 65
    /// An input file missing or unreadable, or an unknown preset (EX_NOINPUT).
    case noInput = 66
    /// A service (database, server) unavailable (EX_UNAVAILABLE).
    case unavailable = 69
    /// An internal error: a bug (EX_SOFTWARE).
    case software = 70
    /// An output file cannot be created (EX_CANTCREAT).
    case cannotCreate = 73
    /// Reading or writing failed part-way (EX_IOERR).
    case ioError = 74
}
