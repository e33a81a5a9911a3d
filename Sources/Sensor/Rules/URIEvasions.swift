/// The encoding tricks ``URIDecoder`` found in a request target.
///
/// 2001's IIS worms hid their probes from naive filters by encoding them: `..%255c..` (a
/// backslash encoded twice), `..%c0%af..` (an overlong UTF-8 slash), `%u` escapes. The decoder
/// undoes each trick as IIS did and records that it was there, so rules can match on the trick
/// itself (`evasion: [traversal, double-encoding]`).
public struct URIEvasions: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// One bit per evasion.
    public let rawValue: UInt8

    /// The evasions whose bits are set in `rawValue`.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// An escape remained after one round of percent-decoding and was decoded again
    /// (`%255c` → `%5c` → `\`, Nimda's `%%35c` → `%5c` → `\`). Anywhere in the target.
    public static let doubleEncoding = URIEvasions(rawValue: 1 << 0)
    /// An overlong UTF-8 form of an ASCII character (`%c0%af` → `/`, `%c1%9c` → `\`,
    /// `%e0%80%af` → `/`), including IIS's lax `%c1%1c` → `\`. Anywhere in the target.
    public static let overlongUTF8 = URIEvasions(rawValue: 1 << 1)
    /// An IIS `%uXXXX` escape (`%u002f`, Code Red's `%u9090`). Anywhere in the target.
    public static let percentU = URIEvasions(rawValue: 1 << 2)
    /// A backslash in the decoded path, literal or encoded (`..%5c..`); decoding turns it into `/`.
    public static let backslash = URIEvasions(rawValue: 1 << 3)
    /// A `..` path segment in the decoded path (`/scripts/../../winnt/system32/cmd.exe`).
    public static let traversal = URIEvasions(rawValue: 1 << 4)

    /// Every flag with its name in rules files, in a fixed order.
    public static let named: [(name: String, flag: URIEvasions)] = [
        ("double-encoding", .doubleEncoding), ("overlong-utf8", .overlongUTF8), ("percent-u", .percentU),
        ("backslash", .backslash), ("traversal", .traversal),
    ]

    /// The rules-file names of the flags that are set, in the order of ``named``.
    public var names: [String] { Self.named.filter { contains($0.flag) }.map(\.name) }

    /// The names, comma-separated (`double-encoding,traversal`), or `none`.
    public var description: String { isEmpty ? "none" : names.joined(separator: ",") }
}
