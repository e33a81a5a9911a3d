#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses IIS W3C extended log lines: `#` directives and space-separated fields laid out by
/// the latest `#Fields:` directive (which may change mid-file).
///
/// Times are UTC (IIS writes W3C logs in UTC). Without a `date` field, the date of the latest
/// `#Date:` directive is used. A field `-` is empty. `cs-uri-stem` and `cs-uri-query` are
/// rejoined as `stem?query` into a scratch buffer the caller owns (query `-`: no `?`).
struct W3CLineParser {
    /// One parsed request line; ranges are byte offsets into the line, except the target,
    /// which is `scratch[0..<targetLength]` unless ``targetInLine`` is set.
    struct Fields {
        var seconds: Int64
        var nanoseconds: Int64
        var client: UInt32?
        var server: UInt32
        var port: UInt16
        var method: Range<Int>
        /// The target when it is one column of the line (no query column, or query `-`).
        var targetInLine: Range<Int>?
        var targetLength: Int
        var status: Range<Int>
        var userAgent: Range<Int>
    }

    enum Result {
        case request(Fields)
        case directive
        case failed(LogSkipReason)
    }

    private(set) var map: W3CFieldMap?
    /// Midnight (UTC seconds) of the latest `#Date:` directive's date.
    private(set) var directiveDate: Int64?
    /// The last `date` field and its value.
    private var dateKey: UInt64 = 0, dateKey2: UInt16 = 0
    private var dateValue: Int64 = 0
    private var dateValid = false

    init() {}

    /// Whether `line` starts with `#name:` (name compared case-insensitively, ASCII).
    private static func directive(_ line: UnsafeRawBufferPointer, is name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard line.count > count + 1, line[count + 1] == 58 else { return false }
        let text = name.utf8Start
        for i in 0..<count where line[i + 1] | 0x20 != text[i] | 0x20 { return false }
        return true
    }

    /// A directive line (starting with `#`).
    mutating func parseDirective(_ line: UnsafeRawBufferPointer) -> Result {
        if Self.directive(line, is: "Fields") {
            map = W3CFieldMap(declaration: UnsafeRawBufferPointer(rebasing: line[8...]))
        } else if Self.directive(line, is: "Date") {
            var i = 6
            while i < line.count, line[i] == 32 || line[i] == 9 { i += 1 }
            guard let base = line.baseAddress, line.count - i >= 10, let midnight = LogTime.isoDate(base + i) else {
                return .failed(.badDateDirective(i..<line.count))
            }
            directiveDate = midnight
        }
        return .directive
    }

    /// The seconds of midnight of a `date` column, remembering the last one.
    @inline(__always)
    private mutating func date(_ p: UnsafeRawPointer, _ range: Range<Int>) -> Int64? {
        guard range.count == 10 else { return nil }
        let k = p.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self)
        let k2 = p.loadUnaligned(fromByteOffset: range.lowerBound + 8, as: UInt16.self)
        if dateValid, k == dateKey, k2 == dateKey2 { return dateValue }
        guard let value = LogTime.isoDate(p + range.lowerBound) else { return nil }
        dateKey = k
        dateKey2 = k2
        dateValue = value
        dateValid = true
        return value
    }

    /// `HH:MM:SS` with an optional fraction of up to 9 digits: (seconds, nanoseconds).
    @inline(__always)
    private static func time(_ p: UnsafeRawPointer, _ range: Range<Int>) -> (Int64, Int64)? {
        guard range.count >= 8, let seconds = LogTime.timeOfDay(p + range.lowerBound) else { return nil }
        if range.count == 8 { return (seconds, 0) }
        let fraction = range.count - 9
        guard fraction >= 1, fraction <= 9, p.load(fromByteOffset: range.lowerBound + 8, as: UInt8.self) == 46,
              var nanos = LogTime.digits(p + range.lowerBound + 9, fraction) else { return nil }
        for _ in fraction..<9 { nanos *= 10 }
        return (seconds, Int64(nanos))
    }

    /// A field line. `scratch` must hold at least `line.count` bytes.
    @inline(__always)
    mutating func parseFields(_ line: UnsafeRawBufferPointer, scratch: UnsafeMutableRawPointer) -> Result {
        guard let map else { return .failed(.noFieldsDirective) }
        guard let p = line.baseAddress else { return .failed(.notALogLine) }
        var n = line.count
        while n > 0, p.load(fromByteOffset: n - 1, as: UInt8.self) == 32 || p.load(fromByteOffset: n - 1, as: UInt8.self) == 9 {
            n -= 1
        }
        // Split into columns, keeping the ranges of the ones with a role.
        var ranges = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
        let roles = map.roles
        var column = 0
        var start = 0
        while true {
            let hit = memchr(p + start, 32, n - start)
            let end = hit.map { p.distance(to: UnsafeRawPointer($0)) } ?? n
            if column < roles.count {
                switch roles[column] {
                case .ignored: break
                case .date: if ranges.0.isEmpty { ranges.0 = start..<end }
                case .time: if ranges.1.isEmpty { ranges.1 = start..<end }
                case .clientIP: if ranges.2.isEmpty { ranges.2 = start..<end }
                case .serverIP: if ranges.3.isEmpty { ranges.3 = start..<end }
                case .serverPort: if ranges.4.isEmpty { ranges.4 = start..<end }
                case .method: if ranges.5.isEmpty { ranges.5 = start..<end }
                case .uriStem: if ranges.6.isEmpty { ranges.6 = start..<end }
                case .uriQuery: if ranges.7.isEmpty { ranges.7 = start..<end }
                case .status: if ranges.8.isEmpty { ranges.8 = start..<end }
                case .userAgent: if ranges.9.isEmpty { ranges.9 = start..<end }
                }
            }
            column += 1
            guard hit != nil else { break }
            start = end + 1
        }
        guard column == roles.count else { return .failed(.fieldCount(found: column, declared: roles.count)) }

        // When
        var midnight: Int64
        if map.column(.date) >= 0 {
            guard let day = date(p, ranges.0) else { return .failed(.badDate(ranges.0)) }
            midnight = day
        } else {
            guard let day = directiveDate else { return .failed(.noDate) }
            midnight = day
        }
        guard map.column(.time) >= 0 else { return .failed(.noTimeField) }
        guard let (seconds, nanos) = Self.time(p, ranges.1) else { return .failed(.badTime(ranges.1)) }
        midnight += seconds

        // Who
        let client = LogBytes.ipv4(p, from: ranges.2.lowerBound, to: ranges.2.upperBound)
        let server = LogBytes.ipv4(p, from: ranges.3.lowerBound, to: ranges.3.upperBound) ?? 0
        var port: UInt16 = 80
        if map.column(.serverPort) >= 0, !LogBytes.isDash(p, from: ranges.4.lowerBound, to: ranges.4.upperBound) {
            guard ranges.4.count >= 1, ranges.4.count <= 5,
                  let value = LogTime.digits(p + ranges.4.lowerBound, ranges.4.count), value <= 65535 else {
                return .failed(.badPort(ranges.4))
            }
            port = UInt16(value)
        }

        // What
        let method = LogBytes.isDash(p, from: ranges.5.lowerBound, to: ranges.5.upperBound) ? 0..<0 : ranges.5
        let stem = LogBytes.isDash(p, from: ranges.6.lowerBound, to: ranges.6.upperBound) ? 0..<0 : ranges.6
        let query = LogBytes.isDash(p, from: ranges.7.lowerBound, to: ranges.7.upperBound) ? 0..<0 : ranges.7
        var fields = Fields(
            seconds: midnight, nanoseconds: nanos, client: client, server: server, port: port,
            method: method, targetInLine: stem, targetLength: stem.count,
            status: ranges.8, userAgent: LogBytes.isDash(p, from: ranges.9.lowerBound, to: ranges.9.upperBound) ? 0..<0 : ranges.9)
        if !query.isEmpty {
            let length = stem.count + 1 + query.count
            if stem.count > 0 { scratch.copyMemory(from: p + stem.lowerBound, byteCount: stem.count) }
            scratch.storeBytes(of: 63, toByteOffset: stem.count, as: UInt8.self)  // ?
            (scratch + stem.count + 1).copyMemory(from: p + query.lowerBound, byteCount: query.count)
            fields.targetInLine = nil
            fields.targetLength = length
        }
        return .request(fields)
    }
}
