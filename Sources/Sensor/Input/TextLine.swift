/// One line of a text input, as ``LineReader`` hands it out.
///
/// `bytes` excludes the line end (`LF`, or `CRLF` with the `CR` stripped) and points into the
/// reader's buffer: it is valid only until the reader's next `next()` call.
@frozen
public struct TextLine {
    /// The line's bytes, without its line end.
    public var bytes: UnsafeRawBufferPointer
    /// The line number, 1-based.
    public var number: Int

    @inlinable
    public init(bytes: UnsafeRawBufferPointer, number: Int) {
        self.bytes = bytes
        self.number = number
    }
}
