/// The non-generic core of ``LogReader``: turns one line into an observation, a directive,
/// or a skip, and decides the format from the first lines when it is not forced.
struct LogLineParser: ~Copyable {
    /// How many non-blank lines may fail to parse before the input is declared not a log.
    static let detectionLimit = 1000

    let path: String
    let input: Int
    let forced: LogFormat?
    private(set) var format: LogFormat?
    var statistics = LogStatistics()
    /// Skipped lines, with the first few locations.
    var skipped: SkippedInput
    private var apache = ApacheLineParser()
    private var w3c = W3CLineParser()
    private var native = IISNativeLineParser()
    /// Seconds east of UTC of the local times IIS native logs record.
    let localTimeOffset: Int64
    /// Where IIS targets are rejoined (`stem?query`); as long as the longest line.
    private let scratch: UnsafeMutableRawPointer
    private var undecidedLines = 0
    /// The line of the last observation, for the on-demand fields (empty once stale).
    var lastLine = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The user's Apache `LogFormat`, when the log is not common or combined.
    let custom: ApacheLogFormat?
    private var lastApacheStatus = -1
    /// The status and user agent of the last line, for IIS and custom Apache formats.
    private var lastStatus = 0..<0
    private var lastUserAgent = 0..<0

    init(
        path: String, input: Int, format: LogFormat?, custom: ApacheLogFormat? = nil, localTimeOffset: Int64 = 0,
        lineLimit: Int, skipped: SkippedInput
    ) {
        self.localTimeOffset = localTimeOffset
        self.path = path
        self.skipped = skipped
        self.input = input
        self.custom = custom
        // A custom format is an Apache log by definition: nothing to detect.
        forced = custom == nil ? format : .apache
        // IIS native logs have no header to wait for.
        self.format = custom != nil ? .apache : format == .iisNative ? .iisNative : nil
        scratch = UnsafeMutableRawPointer.allocate(byteCount: max(1, lineLimit) + 2, alignment: 16)
    }

    deinit { scratch.deallocate() }

    @inline(__always)
    private static func slice(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: line.baseAddress.map { $0 + range.lowerBound }, count: range.count)
    }

    private mutating func skip(_ reason: LogSkipReason, _ line: TextLine) {
        let path = self.path
        skipped.record("\(path):\(line.number)", reason.message(line: line.bytes))
    }

    /// Parses one line; an observation for a request line, `nil` otherwise (counted in
    /// ``statistics`` or recorded in `skipped`). Throws when the format cannot be detected.
    mutating func parse(_ line: TextLine) throws(SensorError) -> Observation? {
        guard !line.bytes.isEmpty else {
            statistics.blankLines += 1
            return nil
        }
        switch format {
        case .apache: return apacheLine(line)
        case .iisW3C: return w3cLine(line)
        case .iisNative: return nativeLine(line)
        case nil: return try undecidedLine(line)
        }
    }

    /// What ``gate(_:_:)`` decided about a line.
    enum Gated {
        /// Parse the line with ``parse(_:)``.
        case no
        /// A request no rule can match, counted.
        case rejected
        /// The same, but the matcher would have decoded its path.
        case rejectedDecoded
    }

    /// Counts the line as a request and says so if it is an Apache request line that `gate`
    /// shows no rule can match (see ``ApacheLineParser/gate(_:_:)``); ``Gated/no`` means
    /// parse it with ``parse(_:)``.
    @inline(__always)
    mutating func gate(_ bytes: UnsafeRawBufferPointer, _ gate: HTTPGate) -> Gated {
        guard format == .apache, custom == nil, gate.enabled else { return .no }
        switch apache.gate(bytes, gate) {
        case .rejected:
            statistics.requests += 1
            return .rejected
        case .rejectedUnresolved:
            statistics.requests += 1
            statistics.unresolvedClients += 1
            return .rejected
        case .rejectedDecoded:
            statistics.requests += 1
            return .rejectedDecoded
        case .rejectedDecodedUnresolved:
            statistics.requests += 1
            statistics.unresolvedClients += 1
            return .rejectedDecoded
        case .parseInFull:
            return .no
        }
    }

    @inline(__always)
    private mutating func apacheLine(_ line: TextLine) -> Observation? {
        let bytes = line.bytes
        if let custom { return customLine(line, custom) }
        switch apache.parse(bytes) {
        case .parsed(let fields):
            if fields.requestIsEmpty {
                statistics.emptyRequests += 1
                return nil
            }
            statistics.requests += 1
            if fields.client == nil { statistics.unresolvedClients += 1 }
            lastLine = bytes
            lastApacheStatus = fields.statusOffset
            return Observation(
                kind: .httpRequest, timeNanoseconds: fields.seconds * 1_000_000_000,
                source: fields.client ?? 0, destination: 0, destinationPort: 80,
                method: Self.slice(bytes, fields.method), target: Self.slice(bytes, fields.target),
                input: input, record: line.number)
        case .failed(let reason):
            skip(reason, line)
            return nil
        }
    }

    /// A request read by the IIS or custom Apache parsers, counted, its status and user agent
    /// kept for ``status`` and ``userAgent``; `target` `nil` means the scratch buffer's first
    /// `targetLength` bytes.
    private mutating func request(
        _ line: TextLine, nanoseconds: Int64, client: UInt32?, server: UInt32, port: UInt16, method: Range<Int>,
        target: Range<Int>?, targetLength: Int, status: Range<Int>, userAgent: Range<Int>
    ) -> Observation {
        let bytes = line.bytes
        statistics.requests += 1
        if client == nil { statistics.unresolvedClients += 1 }
        lastLine = bytes
        lastApacheStatus = -1
        lastStatus = status
        lastUserAgent = userAgent
        return Observation(
            kind: .httpRequest, timeNanoseconds: nanoseconds, source: client ?? 0, destination: server,
            destinationPort: port, method: Self.slice(bytes, method),
            target: target.map { Self.slice(bytes, $0) } ?? UnsafeRawBufferPointer(start: scratch, count: targetLength),
            input: input, record: line.number)
    }

    private mutating func customLine(_ line: TextLine, _ custom: ApacheLogFormat) -> Observation? {
        let bytes = line.bytes
        switch custom.parse(bytes, time: &apache.time, scratch: scratch) {
        case .parsed(let fields):
            if fields.requestIsEmpty {
                statistics.emptyRequests += 1
                return nil
            }
            return request(
                line, nanoseconds: fields.seconds * 1_000_000_000, client: fields.client, server: fields.server,
                port: fields.port, method: fields.method, target: fields.target, targetLength: fields.targetLength,
                status: fields.status, userAgent: fields.userAgent)
        case .failed(let reason):
            skip(reason, line)
            return nil
        }
    }

    private mutating func w3cLine(_ line: TextLine) -> Observation? {
        let bytes = line.bytes
        if bytes[0] == 35 {
            if case .failed(let reason) = w3c.parseDirective(bytes) {
                skip(reason, line)
            } else {
                statistics.directives += 1
            }
            return nil
        }
        switch w3c.parseFields(bytes, scratch: scratch) {
        case .request(let fields):
            return request(
                line, nanoseconds: fields.seconds * 1_000_000_000 + fields.nanoseconds, client: fields.client,
                server: fields.server, port: fields.port, method: fields.method, target: fields.targetInLine,
                targetLength: fields.targetLength, status: fields.status, userAgent: fields.userAgent)
        case .failed(let reason):
            skip(reason, line)
            return nil
        case .directive:
            return nil
        }
    }

    private mutating func nativeLine(_ line: TextLine) -> Observation? {
        let bytes = line.bytes
        switch native.parse(bytes, scratch: scratch, offset: localTimeOffset) {
        case .parsed(let fields):
            return request(
                line, nanoseconds: fields.seconds * 1_000_000_000, client: fields.client, server: fields.server,
                port: 80, method: fields.method, target: fields.targetInLine, targetLength: fields.targetLength,
                status: fields.status, userAgent: 0..<0)
        case .failed(let reason):
            skip(reason, line)
            return nil
        }
    }

    private mutating func undecidedLine(_ line: TextLine) throws(SensorError) -> Observation? {
        let bytes = line.bytes
        if bytes[0] == 35, forced != .apache {
            format = .iisW3C
            return w3cLine(line)
        }
        if forced == .iisW3C {
            skip(.noFieldsDirective, line)
        } else {
            switch apache.parse(bytes) {
            case .parsed:
                format = .apache
                return apacheLine(line)
            case .failed(let reason):
                if forced == nil, case .parsed = native.parse(bytes, scratch: scratch, offset: localTimeOffset) {
                    format = .iisNative
                    return nativeLine(line)
                }
                if forced == nil, case .noTime = reason {
                    skip(.notALogLine, line)
                } else {
                    skip(reason, line)
                }
            }
        }
        undecidedLines += 1
        if undecidedLines >= Self.detectionLimit {
            throw .unrecognizedFormat(path: path, reason: "\(notALog): none of the first \(undecidedLines) lines could be read")
        }
        return nil
    }

    private var notALog: String {
        switch forced {
        case nil: "not an Apache or IIS log"
        case .apache: "not an Apache log (format forced)"
        case .iisW3C: "not an IIS W3C log (format forced)"
        case .iisNative: "not an IIS native log (format forced)"
        }
    }

    /// At the end of the input: throws if there were non-blank lines but none could be read.
    func finish() throws(SensorError) {
        if format == nil, undecidedLines > 0 {
            throw .unrecognizedFormat(path: path, reason: "\(notALog): none of its \(undecidedLines) lines could be read")
        }
    }

    /// The status code of the last observation's line (`sc-status`, `%>s`), `nil` if none.
    var status: Int? {
        guard let p = lastLine.baseAddress else { return nil }
        if lastApacheStatus >= 0 { return ApacheLineParser.status(in: lastLine, statusOffset: lastApacheStatus) }
        let range = lastStatus
        guard (1...3).contains(range.count) else { return nil }
        return LogTime.digits(p + range.lowerBound, range.count)
    }

    /// The user agent of the last observation's line, as logged; empty if none.
    var userAgent: UnsafeRawBufferPointer {
        guard lastLine.baseAddress != nil else { return lastLine }
        if lastApacheStatus >= 0 {
            return Self.slice(lastLine, ApacheLineParser.userAgent(in: lastLine, statusOffset: lastApacheStatus))
        }
        return Self.slice(lastLine, lastUserAgent)
    }
}
