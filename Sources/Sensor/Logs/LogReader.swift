/// Reads an Apache (common or combined) or IIS W3C extended web server log and turns each
/// request line into an ``Observation`` of kind ``Observation/Kind/httpRequest``.
///
/// - The format is detected from the first non-blank lines (a `#` directive: IIS W3C; a line
///   in Apache's format: Apache), or forced. If no line can be read — the first 1000
///   non-blank lines, or the whole input if shorter — reading throws
///   ``SensorError/unrecognizedFormat(path:reason:)``.
/// - Observations carry the time in UTC nanoseconds (Apache's zone offset applied; IIS times
///   are UTC), the client (`%h`, `c-ip`; 0 if it is a host name or IPv6, counted in
///   ``LogStatistics/unresolvedClients``), the server (`s-ip`, else 0) and its port (`s-port`,
///   else 80), the method, and the target exactly as logged (IIS: `stem?query`). `record` is
///   the line number.
/// - Lines that cannot be read are skipped and counted in ``skipped`` as
///   `FILE:LINE: reason`; reading never stops for them.
/// - Lazy and allocation-free per line: only the fields above are parsed (plus, on demand,
///   ``status`` and ``userAgent``); the time of the previous line is reused when it repeats.
///
/// ```swift
/// var log = try LogReader(path: "access.log.gz")
/// while let request = try log.next() { matcher.match(request) }
/// print(log.statistics, log.skipped)
/// ```
public struct LogReader<Source: ByteSource>: ~Copyable {
    // Flat on purpose: per line, only non-generic code runs (the buffer and the parser);
    // the source is touched once per chunk.
    private var source: Source
    private var buffer: LineBuffer
    var parser: LogLineParser

    /// Reads the log in `source`, named `path` in messages; `format` forces a format, and
    /// `apacheFormat` reads it as an Apache log written with that `LogFormat` (whatever
    /// `format` says); `localTimeOffset` is the offset from UTC, in seconds east, of the
    /// local times an IIS native log records; `input` is copied into every observation.
    /// Lines longer than `lineLimit` bytes are skipped.
    public init(
        source: consuming Source, path: String, format: LogFormat? = nil, apacheFormat: ApacheLogFormat? = nil,
        localTimeOffset: Int = 0, input: Int = 0, lineLimit: Int = LineReader<Source>.defaultLineLimit,
        skipped: SkippedInput = SkippedInput()
    ) {
        self.source = source
        buffer = LineBuffer(lineLimit: lineLimit, chunkSize: LineReader<Source>.defaultChunkSize)
        parser = LogLineParser(
            path: path, input: input, format: format, custom: apacheFormat, localTimeOffset: Int64(localTimeOffset),
            lineLimit: buffer.lineLimit, skipped: skipped)
    }

    /// The input's name in messages.
    public var path: String { parser.path }

    /// The format read: the forced one, or the detected one once a line has shown it.
    public var format: LogFormat? { parser.format ?? parser.forced }

    /// Counts of what has been read so far.
    public var statistics: LogStatistics {
        var statistics = parser.statistics
        statistics.lines = buffer.lineNumber
        return statistics
    }

    /// The lines skipped so far (over-long, unparseable), with the first few locations.
    public var skipped: SkippedInput { parser.skipped }

    /// The next request, or `nil` at the end of the log. Its byte fields point into the
    /// reader's buffers and are valid until the next call.
    public mutating func next() throws(SensorError) -> Observation? {
        parser.lastLine = UnsafeRawBufferPointer(start: nil, count: 0)
        while true {
            switch buffer.step() {
            case .line(let bytes):
                if let observation = try parser.parse(TextLine(bytes: bytes, number: buffer.lineNumber)) {
                    return observation
                }
            case .tooLong(let number):
                parser.skipped.recordTooLong(path: parser.path, line: number, limit: buffer.lineLimit)
            case .needInput(let space):
                buffer.didRead(try source.read(into: space))
            case .finished:
                try parser.finish()
                return nil
            }
        }
    }

    /// Calls `body` with every remaining request, in order.
    public mutating func forEach(_ body: (borrowing Observation) throws(SensorError) -> Void) throws(SensorError) {
        while let observation = try next() { try body(observation) }
    }

    /// Hands every remaining request to `matcher`, calling `emit` with each event and adding
    /// one to `observed` for each request. The same as ``forEach(_:)`` with
    /// ``Matcher/observe(_:emit:)``, but faster: an Apache request that the matcher's
    /// prefilter turns away is counted without building its observation.
    ///
    /// Returns `true` at the end of the log; `false` if the source said it has nothing yet
    /// (``ByteSource/pending``): call again when it may have more, and reading goes on from
    /// where it stopped (a line cut by the pause is joined).
    @discardableResult
    public mutating func classify(
        with matcher: inout Matcher, observed: inout Int, emit: (SensorEvent) -> Void
    ) throws(SensorError) -> Bool {
        parser.lastLine = UnsafeRawBufferPointer(start: nil, count: 0)
        let gate = matcher.httpGate
        var gated = 0
        var decoded = 0
        defer {
            matcher.countGatedRequests(gated, decoded: decoded)
            observed += gated
        }
        while true {
            switch buffer.step() {
            case .line(let bytes):
                let verdict = parser.gate(bytes, gate)
                if verdict == .rejected {
                    gated += 1
                } else if verdict == .rejectedDecoded {
                    gated += 1
                    decoded += 1
                } else if let observation = try parser.parse(TextLine(bytes: bytes, number: buffer.lineNumber)) {
                    observed += 1
                    matcher.observe(observation, emit: emit)
                }
            case .tooLong(let number):
                parser.skipped.recordTooLong(path: parser.path, line: number, limit: buffer.lineLimit)
            case .needInput(let space):
                let count = try source.read(into: space)
                if count < 0 { return false }
                buffer.didRead(count)
            case .finished:
                try parser.finish()
                return true
            }
        }
    }

    /// The status code logged with the request ``next()`` returned last (`%>s`, `sc-status`),
    /// or `nil` if it is `-` or not logged.
    public var status: Int? { parser.status }

    /// The user agent logged with the request ``next()`` returned last, exactly as logged
    /// (Apache escapes like `\"` kept, IIS `+` for spaces kept); empty if not logged. Valid
    /// until the next call of ``next()``.
    public var userAgent: UnsafeRawBufferPointer { parser.userAgent }
}

extension LogReader where Source == InputSource<FileByteSource> {
    /// Opens the log file at `path` (`-` for standard input), gzip-compressed or not.
    public init(path: String, format: LogFormat? = nil, input: Int = 0) throws(SensorError) {
        self.init(source: try openInput(path: path), path: path, format: format, input: input)
    }
}
