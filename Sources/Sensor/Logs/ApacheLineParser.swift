#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses Apache/NCSA common and combined log lines:
/// `%h %l %u %t "%r" %>s %b` optionally followed by `"%{Referer}i" "%{User-agent}i"` (and
/// anything else, which is not read).
///
/// Lazy: it finds the fields it needs with `memchr` and reads only those — client, time,
/// request and the status code's position. Referer and user agent are found only on demand
/// (``userAgent(in:statusOffset:)``).
@usableFromInline
struct ApacheLineParser {
    /// One parsed line; ranges are byte offsets into the line.
    @usableFromInline
    struct Fields {
        var seconds: Int64
        /// The client address, or `nil` if `%h` is a host name or IPv6.
        var client: UInt32?
        var method: Range<Int>
        var target: Range<Int>
        /// The request was `"-"` or `""` (the client sent no request line).
        var requestIsEmpty: Bool
        /// Where the status code starts.
        var statusOffset: Int
    }

    @usableFromInline
    enum Result {
        case parsed(Fields)
        case failed(LogSkipReason)
    }

    var time = ApacheTimeCache()

    init() {}

    /// Whether the closing quote at `q` is followed by ` NNN` or ` -` and then a space or the end.
    @inline(__always)
    static func statusFollows(_ p: UnsafeRawPointer, _ q: Int, _ n: Int) -> Bool {
        guard q + 2 < n, p.load(fromByteOffset: q + 1, as: UInt8.self) == LogBytes.space else { return false }
        let first = p.load(fromByteOffset: q + 2, as: UInt8.self)
        var after = q + 3
        if first == LogBytes.dash {
            // status "-"
        } else {
            guard q + 4 < n, first &- 48 < 10,
                  p.load(fromByteOffset: q + 3, as: UInt8.self) &- 48 < 10,
                  p.load(fromByteOffset: q + 4, as: UInt8.self) &- 48 < 10 else { return false }
            after = q + 5
        }
        return after == n || p.load(fromByteOffset: after, as: UInt8.self) == LogBytes.space
    }

    /// Whether the quote at `q` is escaped (`\"`, an odd number of backslashes before it,
    /// not looking before `from`).
    @inline(__always)
    static func isEscaped(_ p: UnsafeRawPointer, _ q: Int, from: Int) -> Bool {
        var i = q - 1
        while i >= from, p.load(fromByteOffset: i, as: UInt8.self) == LogBytes.backslash { i -= 1 }
        return (q - 1 - i) & 1 == 1
    }

    /// The request's closing quote, searching from `from`: the first unescaped quote followed
    /// by a status (Apache 2 escapes quotes as `\"`), else the first quote followed by a status
    /// at all (Apache 1.3 did not escape, and a request may end in a backslash).
    @inline(__always)
    static func closingQuote(_ p: UnsafeRawPointer, from: Int, _ n: Int) -> Int? {
        var at = from
        var fallback: Int?
        while at < n, let hit = memchr(p + at, Int32(LogBytes.quote), n - at) {
            let q = p.distance(to: UnsafeRawPointer(hit))
            if statusFollows(p, q, n) {
                if !isEscaped(p, q, from: from) { return q }
                if fallback == nil { fallback = q }
            }
            at = q + 1
        }
        return fallback
    }

    @inline(__always)
    mutating func parse(_ line: UnsafeRawBufferPointer) -> Result {
        guard let p = line.baseAddress else { return .failed(.notALogLine) }
        let n = line.count
        // %h
        guard let hostHit = memchr(p, Int32(LogBytes.space), n) else { return .failed(.noTime) }
        let hostEnd = p.distance(to: UnsafeRawPointer(hostHit))
        let client = LogBytes.ipv4(p, from: 0, to: hostEnd)
        // %l %u, then [%t]
        guard let bracketHit = memchr(p + hostEnd, 91, n - hostEnd) else { return .failed(.noTime) }
        let t = p.distance(to: UnsafeRawPointer(bracketHit)) + 1
        let timeEnd = t + ApacheTimeCache.length
        guard timeEnd < n, p.load(fromByteOffset: timeEnd, as: UInt8.self) == 93,
              let seconds = time.seconds(p + t) else {
            var close = t
            while close < n, close - t < 64, p.load(fromByteOffset: close, as: UInt8.self) != 93 { close += 1 }
            return .failed(.badTime(t..<close))
        }
        // "%r"
        let open = timeEnd + 2
        guard open < n, p.load(fromByteOffset: timeEnd + 1, as: UInt8.self) == LogBytes.space,
              p.load(fromByteOffset: open, as: UInt8.self) == LogBytes.quote else { return .failed(.noRequest) }
        let r = open + 1
        guard let q = Self.closingQuote(p, from: r, n) else { return .failed(.noClosingQuote) }
        var fields = Fields(
            seconds: seconds, client: client, method: r..<r, target: r..<r,
            requestIsEmpty: false, statusOffset: q + 2)
        if q == r || (q == r + 1 && p.load(fromByteOffset: r, as: UInt8.self) == LogBytes.dash) {
            fields.requestIsEmpty = true
            return .parsed(fields)
        }
        // METHOD SP TARGET [SP HTTP/x.y]
        guard let spaceHit = memchr(p + r, Int32(LogBytes.space), q - r) else {
            fields.method = r..<q
            return .parsed(fields)
        }
        let methodEnd = p.distance(to: UnsafeRawPointer(spaceHit))
        fields.method = r..<methodEnd
        var targetEnd = q
        var i = q - 1
        while i > methodEnd, p.load(fromByteOffset: i, as: UInt8.self) != LogBytes.space { i -= 1 }
        if i > methodEnd, q - i > 5,
           p.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self) == UInt32(littleEndian: 0x5054_5448),  // "HTTP"
           p.load(fromByteOffset: i + 5, as: UInt8.self) == 47 {  // "/"
            targetEnd = i
        }
        fields.target = (methodEnd + 1)..<targetEnd
        return .parsed(fields)
    }

    /// The user agent of a combined-format line (the last quoted field, escapes kept as
    /// logged), or an empty range if the line has none.
    static func userAgent(in line: UnsafeRawBufferPointer, statusOffset: Int) -> Range<Int> {
        guard let p = line.baseAddress else { return 0..<0 }
        let n = line.count
        guard n >= 2, n - 1 > statusOffset, p.load(fromByteOffset: n - 1, as: UInt8.self) == LogBytes.quote else {
            return n..<n
        }
        var i = n - 2
        while i > statusOffset {
            if p.load(fromByteOffset: i, as: UInt8.self) == LogBytes.quote,
               p.load(fromByteOffset: i - 1, as: UInt8.self) == LogBytes.space,
               !isEscaped(p, i, from: statusOffset) {
                return (i + 1)..<(n - 1)
            }
            i -= 1
        }
        return n..<n
    }

    /// The status code, or `nil` if it is `-`.
    static func status(in line: UnsafeRawBufferPointer, statusOffset: Int) -> Int? {
        guard let p = line.baseAddress, statusOffset + 3 <= line.count else { return nil }
        return LogTime.digits(p + statusOffset, 3)
    }
}
