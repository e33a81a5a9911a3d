/// Finds an HTTP/1.x request line at the start of a TCP payload.
///
/// A request line is a method token (1–24 bytes of `A`–`Z`, `-` or `_`: `GET`, `HEAD`, `POST`,
/// `OPTIONS`, `SEARCH`, `PROPFIND`, `VERSION-CONTROL`…), one space, a non-empty target
/// without spaces or line breaks, then ` HTTP/1.` and a digit. Only the beginning of the
/// payload is looked at: a request sent after another in the same segment is not found, and
/// neither is one whose request line the capture cut short.
@usableFromInline
enum HTTPRequestLine {
    @usableFromInline static let maximumMethodLength = 24

    /// The byte ranges of the method and the target in `payload`, or `nil`.
    @inlinable
    static func parse(_ payload: UnsafeRawBufferPointer) -> (method: Range<Int>, target: Range<Int>)? {
        let count = payload.count
        guard count >= 12, let base = payload.baseAddress else { return nil }
        var index = 0
        while index < count && index <= maximumMethodLength {
            let byte = CaptureBytes.byte(base, index)
            guard (byte >= 0x41 && byte <= 0x5A) || byte == 0x2D || byte == 0x5F else { break }
            index += 1
        }
        guard index > 0, index < count, CaptureBytes.byte(base, index) == 0x20 else { return nil }
        let method = 0..<index
        index += 1
        let targetStart = index
        index = firstDelimiter(base, from: index, to: count)
        guard index > targetStart, count - index >= 9 else { return nil }
        // " HTTP/1." as one big-endian 64-bit word, then a digit.
        let version = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        guard version == 0x2048_5454_502F_312E else { return nil }
        let digit = CaptureBytes.byte(base, index + 8)
        guard digit >= 0x30 && digit <= 0x39 else { return nil }
        return (method, targetStart..<index)
    }

    /// The index of the first space, CR or LF in `base[start..<end]`, or `end`.
    ///
    /// Request targets can be long (Code Red's is about 380 bytes), so eight bytes are tested
    /// at a time: `(v - 0x01…01) & ~v & 0x80…80` is non-zero exactly when a byte of `v` is zero.
    @inlinable
    static func firstDelimiter(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= end {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let space = word ^ (0x20 &* ones)
            let cr = word ^ (0x0D &* ones)
            let lf = word ^ (0x0A &* ones)
            let zeros = ((space &- ones) & ~space) | ((cr &- ones) & ~cr) | ((lf &- ones) & ~lf)
            if zeros & highs != 0 { break }
            index += 8
        }
        while index < end {
            let byte = CaptureBytes.byte(base, index)
            if byte == 0x20 || byte == 0x0D || byte == 0x0A { return index }
            index += 1
        }
        return end
    }
}
