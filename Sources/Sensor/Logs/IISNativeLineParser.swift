/// Parses lines of Microsoft's IIS log file format, the fixed comma-separated one IIS 4 and 5
/// offered beside W3C extended:
///
/// ```
/// 192.168.114.201, -, 03/20/01, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,
/// ```
///
/// Fifteen fields, each followed by `,` and a space (the last by `,` alone): client IP, user
/// name, date (`M/D/YY`, or a four-digit year), time (`H:MM:SS`, the server's **local** time),
/// service and instance, server name, server IP, time taken, bytes received, bytes sent,
/// status, Windows status, method, target (the URI stem) and parameters (the query, `-` if
/// none). Stem and query are rejoined as `stem?query` into a scratch buffer the caller owns.
/// The first thirteen fields are split from the left; the target and parameters take what is
/// left (a stem with `, ` in it would be cut there).
///
/// Two-digit years 70–99 are 1970–1999, 00–69 are 2000–2069. The local time is made UTC
/// with the offset the caller gives (seconds east of UTC), since the format does not say.
struct IISNativeLineParser {
    /// One parsed line; ranges are byte offsets into the line.
    struct Fields {
        var seconds: Int64
        var client: UInt32?
        var server: UInt32
        var method: Range<Int>
        var status: Range<Int>
        /// The target in the line (no parameters), or `nil` when rejoined into the scratch
        /// buffer, `targetLength` bytes.
        var targetInLine: Range<Int>?
        var targetLength: Int
    }

    enum Result {
        case parsed(Fields)
        case failed(LogSkipReason)
    }

    static let fieldCount = 15

    /// The last date read and its midnight, UTC seconds (lines share their date).
    private var lastDate = 0..<0
    private var lastDateBytes: UInt64 = 0
    private var lastMidnight: Int64 = 0

    init() {}

    /// Parses `line`; `scratch` holds at least `line.count` bytes; `offset` is the local
    /// time's offset from UTC in seconds (east positive).
    mutating func parse(_ line: UnsafeRawBufferPointer, scratch: UnsafeMutableRawPointer, offset: Int64) -> Result {
        guard let p = line.baseAddress else { return .failed(.notALogLine) }
        var n = line.count
        // The trailing `,` (and any spaces after it).
        while n > 0, p.load(fromByteOffset: n - 1, as: UInt8.self) == LogBytes.space { n -= 1 }
        guard n > 0, p.load(fromByteOffset: n - 1, as: UInt8.self) == 44 else { return .failed(.notALogLine) }
        n -= 1
        // Fields 1–13 end at `, `; 14 (target) at the next `, `; 15 (parameters) at the end.
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.fieldCount) { ranges in
            var count = 0
            var start = 0
            var i = 0
            while count < Self.fieldCount - 1, i + 1 < n {
                if p.load(fromByteOffset: i, as: UInt8.self) == 44, p.load(fromByteOffset: i + 1, as: UInt8.self) == LogBytes.space {
                    ranges.initializeElement(at: count, to: start..<i)
                    count += 1
                    start = i + 2
                    i += 2
                } else {
                    i += 1
                }
            }
            guard count == Self.fieldCount - 1 else {
                return .failed(.iisFieldCount(found: count + 1))
            }
            ranges.initializeElement(at: count, to: start..<n)
            return fields(p, ranges, scratch: scratch, offset: offset)
        }
    }

    /// The fields of a line split into `ranges` (all fifteen).
    private mutating func fields(
        _ p: UnsafeRawPointer, _ ranges: UnsafeMutableBufferPointer<Range<Int>>, scratch: UnsafeMutableRawPointer, offset: Int64
    ) -> Result {
        guard let seconds = time(p, date: ranges[2], time: ranges[3]) else {
            return .failed(.badDate(ranges[2].lowerBound..<ranges[3].upperBound))
        }
        let client = LogBytes.ipv4(p, from: ranges[0].lowerBound, to: ranges[0].upperBound)
        let server = LogBytes.ipv4(p, from: ranges[6].lowerBound, to: ranges[6].upperBound) ?? 0
        let stem = ranges[13]
        let query = ranges[14]
        var fields = Fields(
            seconds: seconds - offset, client: client, server: server, method: ranges[12], status: ranges[10],
            targetInLine: stem, targetLength: stem.count)
        let noQuery = query.isEmpty || (query.count == 1 && p.load(fromByteOffset: query.lowerBound, as: UInt8.self) == LogBytes.dash)
        if !noQuery {
            fields.targetInLine = nil
            fields.targetLength = stem.count + 1 + query.count
            if stem.count > 0 { scratch.copyMemory(from: p + stem.lowerBound, byteCount: stem.count) }
            scratch.storeBytes(of: 63, toByteOffset: stem.count, as: UInt8.self)  // ?
            (scratch + stem.count + 1).copyMemory(from: p + query.lowerBound, byteCount: query.count)
        }
        return .parsed(fields)
    }

    /// `M/D/YY` (or `MM/DD/YYYY`) and `H:MM:SS` as seconds since the epoch, as if UTC.
    private mutating func time(_ p: UnsafeRawPointer, date: Range<Int>, time: Range<Int>) -> Int64? {
        guard (6...10).contains(date.count), (7...8).contains(time.count) else { return nil }
        // The date's bytes as one word: a repeat is recognised without parsing it again.
        var key: UInt64 = 0
        for k in date { key = key << 8 | UInt64(p.load(fromByteOffset: k, as: UInt8.self)) }
        let midnight: Int64
        if date.count == lastDate.count, key == lastDateBytes, lastDate.count > 0 {
            midnight = lastMidnight
        } else {
            guard let parsed = Self.midnight(p, date) else { return nil }
            midnight = parsed
            lastDate = date
            lastDateBytes = key
            lastMidnight = parsed
        }
        let t = time.lowerBound
        let hourDigits = time.count - 6
        guard let h = LogTime.digits(p + t, hourDigits), p.load(fromByteOffset: t + hourDigits, as: UInt8.self) == 58,
              let m = LogTime.digits(p + (t + hourDigits + 1), 2), p.load(fromByteOffset: t + hourDigits + 3, as: UInt8.self) == 58,
              let s = LogTime.digits(p + (t + hourDigits + 4), 2), h < 24, m < 60, s <= 60 else { return nil }
        return midnight + Int64(h * 3600 + m * 60 + s)
    }

    /// Midnight of a `M/D/YY` date, UTC seconds.
    private static func midnight(_ p: UnsafeRawPointer, _ date: Range<Int>) -> Int64? {
        var parts: [Int] = []
        var value = 0
        var digits = 0
        for k in date {
            let c = p.load(fromByteOffset: k, as: UInt8.self)
            if c == 47 {
                guard digits > 0 else { return nil }
                parts.append(value)
                value = 0
                digits = 0
            } else {
                guard c &- 48 < 10, digits < 4 else { return nil }
                value = value * 10 + Int(c &- 48)
                digits += 1
            }
        }
        guard parts.count == 2, digits == 2 || digits == 4, parts[0] < 100, parts[1] < 100 else { return nil }
        let year = digits == 4 ? value : value >= 70 ? 1900 + value : 2000 + value
        return LogTime.midnight(year: year, month: parts[0], day: parts[1])
    }
}
