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
struct ApacheLineParser {
    /// One parsed line; ranges are byte offsets into the line.
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

    /// The first quote in `from..<n`, looked for 16 bytes at a time in place (requests are
    /// short: a call to `memchr` would cost more), the last few bytes with `memchr`.
    @inline(__always)
    static func nextQuote(_ p: UnsafeRawPointer, from: Int, _ n: Int) -> Int? {
        var at = from
        let quotes = SIMD16<UInt8>(repeating: LogBytes.quote)
        while at + 16 <= n {
            let v = p.loadUnaligned(fromByteOffset: at, as: SIMD16<UInt8>.self)
            let lanes = unsafeBitCast(v .== quotes, to: UInt128.self)
            if lanes != 0 { return at + lanes.trailingZeroBitCount / 8 }
            at += 16
        }
        guard at < n, let hit = memchr(p + at, Int32(LogBytes.quote), n - at) else { return nil }
        return p.distance(to: UnsafeRawPointer(hit))
    }

    /// The request's closing quote, searching from `from`: the first unescaped quote followed
    /// by a status (Apache 2 escapes quotes as `\"`), else the first quote followed by a status
    /// at all (Apache 1.3 did not escape, and a request may end in a backslash).
    @inline(__always)
    static func closingQuote(_ p: UnsafeRawPointer, from: Int, _ n: Int) -> Int? {
        var at = from
        var fallback: Int?
        while at < n, let q = nextQuote(p, from: at, n) {
            if statusFollows(p, q, n) {
                if !isEscaped(p, q, from: from) { return q }
                if fallback == nil { fallback = q }
            }
            at = q + 1
        }
        return fallback
    }

    mutating func parse(_ line: UnsafeRawBufferPointer) -> Result {
        guard let p = line.baseAddress else { return .failed(.notALogLine) }
        let n = line.count
        // %h, parsed as IPv4 while looking for its end.
        let (hostEnd, client) = Self.host(p, n)
        guard hostEnd < n else { return .failed(.noTime) }
        // %l %u, then [%t]
        var bracket = hostEnd + 1
        if hostEnd + 5 < n, p.loadUnaligned(fromByteOffset: hostEnd + 1, as: UInt32.self) == UInt32(littleEndian: 0x202D_202D),
           p.load(fromByteOffset: hostEnd + 5, as: UInt8.self) == 91 {
            // Nearly always `- - [`.
            bracket = hostEnd + 5
        } else {
            while bracket < n, p.load(fromByteOffset: bracket, as: UInt8.self) != 91 { bracket += 1 }
        }
        let t = bracket + 1
        let timeEnd = t + ApacheTimeCache.length
        guard timeEnd < n, p.load(fromByteOffset: timeEnd, as: UInt8.self) == 93,
              let seconds = time.seconds(p + t) else {
            guard t < n else { return .failed(.noTime) }
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
        var methodEnd = r
        if q - r > 4, p.loadUnaligned(fromByteOffset: r, as: UInt32.self) == UInt32(littleEndian: 0x2054_4547) {
            // `GET `, most requests.
            methodEnd = r + 3
        } else {
            while methodEnd < q, p.load(fromByteOffset: methodEnd, as: UInt8.self) != LogBytes.space { methodEnd += 1 }
        }
        fields.method = r..<methodEnd
        guard methodEnd < q else { return .parsed(fields) }
        fields.target = (methodEnd + 1)..<Self.targetEnd(p, methodEnd: methodEnd, quote: q)
        return .parsed(fields)
    }

    /// Where the request's target ends, given the method's end and the closing quote: before
    /// ` HTTP/x.y` if the request has one (nearly always ` HTTP/1.x`, 9 bytes), else at the quote.
    @inline(__always)
    static func targetEnd(_ p: UnsafeRawPointer, methodEnd: Int, quote q: Int) -> Int {
        if q - methodEnd > 9, p.load(fromByteOffset: q - 9, as: UInt8.self) == LogBytes.space,
           isHTTP(p + (q - 8)) {
            return q - 9
        }
        var i = q - 1
        while i > methodEnd, p.load(fromByteOffset: i, as: UInt8.self) != LogBytes.space { i -= 1 }
        return i > methodEnd && q - i > 5 && isHTTP(p + (i + 1)) ? i : q
    }

    /// Whether `HTTP/` starts at `p`.
    @inline(__always)
    static func isHTTP(_ p: UnsafeRawPointer) -> Bool {
        p.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x5054_5448)  // "HTTP"
            && p.load(fromByteOffset: 4, as: UInt8.self) == 47  // "/"
    }

    /// One octet of 1–3 digits at `i` and the separator after it, without branches on the
    /// digit count; `bad` becomes non-zero if it is not one.
    @inline(__always)
    private static func octet(
        _ p: UnsafeRawPointer, _ i: inout Int, _ value: inout UInt32, _ bad: inout UInt32, separator: UInt8
    ) {
        let d0 = UInt32(p.load(fromByteOffset: i, as: UInt8.self) &- 48)
        let d1 = UInt32(p.load(fromByteOffset: i &+ 1, as: UInt8.self) &- 48)
        let d2 = UInt32(p.load(fromByteOffset: i &+ 2, as: UInt8.self) &- 48)
        let has1: UInt32 = d1 < 10 ? 1 : 0
        let has2: UInt32 = d2 < 10 ? has1 : 0
        // Arithmetic rather than selects, so no digit count can become a branch.
        let upToTwo = d0 &+ has1 &* (d0 &* 9 &+ d1)
        let octet = upToTwo &+ has2 &* (upToTwo &* 9 &+ d2)
        bad |= (d0 < 10 ? 0 : 1) | (octet < 256 ? 0 : 1)
        value = value << 8 | octet
        i = i &+ Int(1 &+ has1 &+ has2)
        bad |= p.load(fromByteOffset: i, as: UInt8.self) == separator ? 0 : 1
        i = i &+ 1
    }

    /// Finds the end of `%h` (its space, or `n`) and parses it as a dotted quad.
    ///
    /// Fast path: four octets of 1–3 digits read without data-dependent branches (client
    /// addresses vary line to line, so their digit counts do too, and branches on them would
    /// mispredict); anything else (a host name, IPv6, `::ffff:a.b.c.d`) takes the slow path.
    @inline(__always)
    static func host(_ p: UnsafeRawPointer, _ n: Int) -> (end: Int, client: UInt32?) {
        // At most 15 bytes of address and its space, read 3 bytes at a time: within 20 bytes.
        if n >= 20 {
            var i = 0
            var value: UInt32 = 0
            var bad: UInt32 = 0
            octet(p, &i, &value, &bad, separator: 46)
            octet(p, &i, &value, &bad, separator: 46)
            octet(p, &i, &value, &bad, separator: 46)
            octet(p, &i, &value, &bad, separator: 32)
            if bad == 0 { return (i &- 1, value) }
        }
        guard let hit = memchr(p, Int32(LogBytes.space), n) else { return (n, nil) }
        let end = p.distance(to: UnsafeRawPointer(hit))
        return (end, LogBytes.ipv4(p, from: 0, to: end))
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
