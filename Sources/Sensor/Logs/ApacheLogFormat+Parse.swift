#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a line written with an ``ApacheLogFormat``.
extension ApacheLogFormat {
    /// One parsed line; ranges are byte offsets into the line.
    struct Fields {
        var seconds: Int64 = 0
        /// The client address (`%a`, else `%h`), or `nil` if it is not an IPv4 address.
        var client: UInt32?
        /// The server address (`%A`), 0 if not logged or not IPv4; its port (`%p`), 80 if not logged.
        var server: UInt32 = 0
        var port: UInt16 = 80
        var method = 0..<0
        /// The target in the line, or `nil` when it was rejoined (`%U` and `%q` apart) into
        /// the scratch buffer, `targetLength` bytes.
        var target: Range<Int>? = 0..<0
        var targetLength = 0
        /// The request was `"-"` or empty (the client sent no request line).
        var requestIsEmpty = false
        var status = 0..<0
        var userAgent = 0..<0
    }

    enum Result {
        case parsed(Fields)
        case failed(LogSkipReason)
    }

    /// Parses `line`; `time` caches the last time read, `scratch` (at least `line.count`
    /// bytes) receives a target that must be rejoined.
    func parse(_ line: UnsafeRawBufferPointer, time: inout ApacheTimeCache, scratch: UnsafeMutableRawPointer) -> Result {
        guard let p = line.baseAddress else { return .failed(.notALogLine) }
        let n = line.count
        var fields = Fields()
        var host: Range<Int>?
        var address: Range<Int>?
        var request: Range<Int>?
        var path: Range<Int>?
        var query: Range<Int>?
        var at = 0
        var k = 0
        while k < tokens.count {
            switch tokens[k] {
            case .literal(let text):
                guard Self.matches(p, n, at, text) else {
                    return .failed(.formatMismatch(at: at, expected: text))
                }
                at += text.count
                k += 1
            case .field(let role, _):
                if role == .time {
                    // [dd/Mon/yyyy:HH:MM:SS +zzzz]
                    let end = at + ApacheTimeCache.length + 2
                    guard end <= n, p.load(fromByteOffset: at, as: UInt8.self) == 91,
                          p.load(fromByteOffset: end - 1, as: UInt8.self) == 93 else {
                        return .failed(at < n ? .badTime(at..<Swift.min(n, at + 28)) : .noTime)
                    }
                    guard let seconds = time.seconds(p + (at + 1)) else { return .failed(.badTime((at + 1)..<(end - 1))) }
                    fields.seconds = seconds
                    at = end
                    k += 1
                    continue
                }
                // The field ends where the text after it starts (after `%U%q`, the text after both).
                let pair = role == .path && k + 1 < tokens.count && tokens[k + 1].isQuery
                let next = pair ? k + 2 : k + 1
                var end = n
                if next < tokens.count, case .literal(let text) = tokens[next] {
                    let quoted = k > 0 && tokens[k - 1].endsWithQuote && text.first == LogBytes.quote
                    guard let found = Self.find(p, n, from: at, text, quoted: quoted) else {
                        return .failed(.formatMismatch(at: at, expected: text))
                    }
                    end = found
                }
                var range = at..<end
                if pair {
                    var question = at
                    while question < end, p.load(fromByteOffset: question, as: UInt8.self) != 63 { question += 1 }
                    range = at..<question
                    query = question..<end
                }
                switch role {
                case .remoteHost: host = range
                case .remoteAddress: address = range
                case .request: request = range
                case .method: fields.method = range
                case .path: path = range
                case .query: query = range
                case .status: fields.status = range
                case .userAgent: fields.userAgent = range
                case .serverAddress: fields.server = LogBytes.ipv4(p, from: range.lowerBound, to: range.upperBound) ?? 0
                case .serverPort:
                    guard (1...5).contains(range.count), let port = LogTime.digits(p + range.lowerBound, range.count),
                          port > 0, port < 65536 else {
                        return .failed(.badPort(range))
                    }
                    fields.port = UInt16(port)
                case .time, .other: break
                }
                at = end
                k = next
            }
        }
        if let client = address ?? host {
            fields.client = LogBytes.ipv4(p, from: client.lowerBound, to: client.upperBound)
        }
        if let r = request {
            let first: UInt8 = r.isEmpty ? 0 : p.load(fromByteOffset: r.lowerBound, as: UInt8.self)
            if r.isEmpty || (r.count == 1 && first == LogBytes.dash) {
                fields.requestIsEmpty = true
                return .parsed(fields)
            }
            // METHOD SP TARGET [SP HTTP/x.y]
            var methodEnd = r.lowerBound
            while methodEnd < r.upperBound, p.load(fromByteOffset: methodEnd, as: UInt8.self) != LogBytes.space { methodEnd += 1 }
            fields.method = r.lowerBound..<methodEnd
            fields.target = methodEnd < r.upperBound
                ? (methodEnd + 1)..<ApacheLineParser.targetEnd(p, methodEnd: methodEnd, quote: r.upperBound)
                : methodEnd..<methodEnd
        } else if let path {
            // %U, then %q (`?query`, or empty) wherever it was logged.
            let query = query.flatMap { q in q.isEmpty || (q.count == 1 && p.load(fromByteOffset: q.lowerBound, as: UInt8.self) == LogBytes.dash) ? nil : q }
            if let query, query.lowerBound != path.upperBound {
                let questionMark = p.load(fromByteOffset: query.lowerBound, as: UInt8.self) == 63 ? 0 : 1
                scratch.copyMemory(from: p + path.lowerBound, byteCount: path.count)
                if questionMark == 1 { scratch.storeBytes(of: 63, toByteOffset: path.count, as: UInt8.self) }
                (scratch + path.count + questionMark).copyMemory(from: p + query.lowerBound, byteCount: query.count)
                fields.target = nil
                fields.targetLength = path.count + questionMark + query.count
            } else {
                fields.target = path.lowerBound..<(query?.upperBound ?? path.upperBound)
            }
        }
        return .parsed(fields)
    }

    /// Whether `text` is at `p[at...]`.
    @inline(__always)
    static func matches(_ p: UnsafeRawPointer, _ n: Int, _ at: Int, _ text: [UInt8]) -> Bool {
        guard at + text.count <= n else { return false }
        for (j, b) in text.enumerated() where p.load(fromByteOffset: at + j, as: UInt8.self) != b { return false }
        return true
    }

    /// Where `text` next starts at or after `from`. In a quoted field, a quote escaped as `\"`
    /// is skipped if an unescaped one follows (Apache 2 escapes quotes; Apache 1.3 did not).
    static func find(_ p: UnsafeRawPointer, _ n: Int, from: Int, _ text: [UInt8], quoted: Bool) -> Int? {
        var fallback: Int?
        var at = from
        while at + text.count <= n {
            guard let hit = memchr(p + at, Int32(text[0]), n - text.count + 1 - at) else { break }
            at = p.distance(to: UnsafeRawPointer(hit))
            if matches(p, n, at, text) {
                guard quoted, ApacheLineParser.isEscaped(p, at, from: from) else { return at }
                if fallback == nil { fallback = at }
            }
            at += 1
        }
        return fallback
    }
}

extension ApacheLogFormat.Token {
    var isQuery: Bool {
        if case .field(.query, _) = self { return true }
        return false
    }

    var endsWithQuote: Bool {
        if case .literal(let text) = self { return text.last == LogBytes.quote }
        return false
    }
}
