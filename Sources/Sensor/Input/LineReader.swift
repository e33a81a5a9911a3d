/// Splits a ``ByteSource`` into lines, with one reusable buffer.
///
/// - Lines end with `LF` or `CRLF` (the `CR` is stripped); a final line without a line end
///   is still a line. Line numbers are 1-based.
/// - Memory is flat: the reader holds one chunk (128 KiB by default) plus at most one partial
///   line, so a file of any size streams through. Newlines are found with `memchr`.
/// - A line longer than `lineLimit` bytes (line end excluded) is not buffered whole: it is
///   skipped and counted in ``skipped`` as `FILE:LINE: line longer than N bytes`, and the
///   reader continues with the next line.
///
/// ```swift
/// var lines = LineReader(source: try FileByteSource(path: "access.log"), path: "access.log")
/// while let line = try lines.next() { use(line.bytes, line.number) }
/// ```
public struct LineReader<Source: ByteSource>: ~Copyable {
    /// The longest line kept by default, in bytes.
    public static var defaultLineLimit: Int { 65_536 }
    /// How much is read at a time by default: small enough that the chunk stays in a core's
    /// L2 cache between the read that fills it and the parse that follows (measured: 1 MiB
    /// chunks made the Apache benchmark up to 30 % slower and far noisier).
    public static var defaultChunkSize: Int { 1 << 17 }

    private var source: Source
    var buffer: LineBuffer
    /// The input's name in messages (`FILE` in `FILE:LINE`).
    public let path: String
    /// Over-long lines, and whatever else the caller counts against this input's lines.
    public var skipped: SkippedInput

    /// Reads lines from `source`; `path` names it in skip messages.
    public init(
        source: consuming Source, path: String, lineLimit: Int = defaultLineLimit,
        chunkSize: Int = defaultChunkSize, skipped: SkippedInput = SkippedInput()
    ) {
        self.source = source
        self.path = path
        self.skipped = skipped
        buffer = LineBuffer(lineLimit: lineLimit, chunkSize: chunkSize)
    }

    /// The longest line kept, in bytes.
    public var lineLimit: Int { buffer.lineLimit }

    /// How many lines have been read so far (handed out or skipped).
    public var lineCount: Int { buffer.lineNumber }

    /// The next line, or `nil` at the end of the input. The line's bytes are valid until the
    /// next call.
    public mutating func next() throws(SensorError) -> TextLine? {
        while true {
            switch buffer.step() {
            case .line(let bytes):
                return TextLine(bytes: bytes, number: buffer.lineNumber)
            case .tooLong(let number):
                recordTooLong(number)
            case .needInput(let space):
                buffer.didRead(try source.read(into: space))
            case .finished:
                return nil
            }
        }
    }

    mutating func recordTooLong(_ number: Int) {
        skipped.recordTooLong(path: path, line: number, limit: buffer.lineLimit)
    }
}
