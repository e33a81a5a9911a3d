/// An Apache `LogFormat` string, for logs that are not plain common or combined: a
/// `vhost_combined` log with the virtual host first, a proxy's `%a`, a `%U%q` target, fields in
/// another order.
///
/// The string is written as in Apache's configuration (`\"` for a quote, `\t`, `\\`), or is
/// one of the nicknames ``nicknames`` lists. The reader needs `%t` (the default
/// `[dd/Mon/yyyy:HH:MM:SS +zzzz]` form) and `%r`, or `%U` (with `%m` and `%q` if logged); it
/// also reads the client (`%a`, else `%h`), `%A` and `%p` (the server and its port), `%>s`
/// and `%{User-agent}i`. Every other directive is a field it steps over. Two directives
/// must be separated by text, except `%U%q`.
///
/// ```swift
/// let format = try ApacheLogFormat(parsing: "vhost_combined")
/// var log = LogReader(source: source, path: "other_vhosts_access.log", apacheFormat: format)
/// ```
public struct ApacheLogFormat: Sendable, Hashable, CustomStringConvertible {
    /// What a directive holds, as far as the reader cares.
    enum Role: Sendable, Hashable {
        case remoteHost, remoteAddress, time, request, method, path, query, status, userAgent
        case serverAddress, serverPort, other
    }

    /// A run of literal text, or one directive.
    enum Token: Sendable, Hashable {
        case literal([UInt8])
        case field(Role, directive: String)
    }

    /// Apache's own nicknames for its usual formats, and what they stand for.
    public static let nicknames: [(name: String, format: String)] = [
        ("common", #"%h %l %u %t \"%r\" %>s %b"#),
        ("combined", #"%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\""#),
        ("vhost_combined", #"%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""#),
        ("combinedio", #"%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\" %I %O"#),
    ]

    /// The format as given (a nickname, or the string).
    public let text: String
    let tokens: [Token]

    public var description: String { text }

    /// Parses `text`, a nickname or a `LogFormat` string.
    ///
    /// - Throws: ``SensorError/invalidLogFormat(format:reason:)`` naming the problem: an
    ///   unknown directive, a `%` at the end, two directives without text between them, a
    ///   `%{…}t` time (only `%t` is read), or no `%t` or no request.
    public init(parsing text: String) throws(SensorError) {
        self.text = text
        let format = Self.nicknames.first { $0.name == text }?.format ?? text
        var tokens: [Token] = []
        var literal: [UInt8] = []
        let bytes = Array(format.utf8)
        func fail(_ reason: String) -> SensorError { .invalidLogFormat(format: text, reason: reason) }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 92, i + 1 < bytes.count {
                // Apache's escapes in a quoted LogFormat: \" \\ \t \n.
                switch bytes[i + 1] {
                case 116: literal.append(9)
                case 110: literal.append(10)
                default: literal.append(bytes[i + 1])
                }
                i += 2
                continue
            }
            guard c == 37 else {
                literal.append(c)
                i += 1
                continue
            }
            // %[condition][<>]{argument}letter, or %%.
            let start = i
            i += 1
            guard i < bytes.count else { throw fail("a % at the end") }
            if bytes[i] == 37 {
                literal.append(37)
                i += 1
                continue
            }
            // Status conditions (%400,501{User-agent}i, %!200…): the field may then be "-".
            while i < bytes.count, bytes[i] == 33 || bytes[i] == 44 || (bytes[i] &- 48) < 10 { i += 1 }
            while i < bytes.count, bytes[i] == 60 || bytes[i] == 62 { i += 1 }
            var argument = ""
            if i < bytes.count, bytes[i] == 123 {
                guard let close = bytes[i...].firstIndex(of: 125) else { throw fail("an unclosed { in \(String(decoding: bytes[start...], as: UTF8.self))") }
                argument = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                i = close + 1
            }
            guard i < bytes.count else { throw fail("a directive without its letter at the end") }
            let letter = bytes[i]
            i += 1
            let directive = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let role = Self.role(letter, argument) else {
                if letter == 116 { throw fail("\(directive): only %t, Apache's default time format, can be read") }
                throw fail("\(directive): unknown directive")
            }
            if !literal.isEmpty {
                tokens.append(.literal(literal))
                literal = []
            } else if case .field(let previous, let before)? = tokens.last, !(previous == .path && role == .query) {
                throw fail("\(before)\(directive): two directives need text between them (only %U%q may touch)")
            }
            tokens.append(.field(role, directive: directive))
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        let roles = tokens.compactMap { token -> Role? in
            if case .field(let role, _) = token { return role }
            return nil
        }
        guard roles.contains(.time) else { throw fail("no %t: the reader needs each request's time") }
        guard roles.contains(.request) || roles.contains(.path) else { throw fail("no %r or %U: the reader needs each request's target") }
        for role in [Role.time, .request, .method, .path, .query, .status, .userAgent, .remoteHost, .remoteAddress, .serverAddress, .serverPort]
        where roles.filter({ $0 == role }).count > 1 {
            throw fail("a field the reader uses is logged twice (\(role))")
        }
        self.tokens = tokens
    }

    /// The role of directive `letter` with `argument` (`nil`: not a directive Apache has).
    static func role(_ letter: UInt8, _ argument: String) -> Role? {
        switch letter {
        case 104: return .remoteHost  // h
        case 97: return argument.isEmpty || argument == "c" ? .remoteAddress : .other  // a
        case 65: return .serverAddress  // A
        case 116: return argument.isEmpty ? .time : nil  // t
        case 114: return .request  // r
        case 109: return .method  // m
        case 85: return .path  // U
        case 113: return .query  // q
        case 115: return .status  // s (%>s, %<s)
        case 105: return argument.lowercased() == "user-agent" ? .userAgent : .other  // i
        case 112: return argument.isEmpty || argument == "canonical" || argument == "local" ? .serverPort : .other  // p
        // b B D T I O S k l L u v V X P R f H e n o C ^ti ^to: fields stepped over.
        case 98, 66, 68, 84, 73, 79, 83, 107, 108, 76, 117, 118, 86, 88, 80, 82, 102, 72, 101, 110, 111, 67:
            return .other
        default: return nil
        }
    }
}
