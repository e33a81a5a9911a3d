/// Decimal digits written straight into byte buffers, for outputs written at millions of
/// lines a second (event streams, web logs) where `String` interpolation would allocate.
public enum DecimalText {
    /// Writes the decimal digits of `value`, zero-padded to `width` (at most 20 digits), at
    /// `p + i`, and advances `i` past them. `p` must have room for them.
    @inlinable @inline(__always)
    public static func put(_ value: UInt64, width: Int, _ p: UnsafeMutablePointer<UInt8>, _ i: inout Int) {
        var count = 1
        var v = value
        while v >= 10 {
            v /= 10
            count += 1
        }
        let n = Swift.max(count, width)
        var k = i + n - 1
        v = value
        while k >= i {
            p[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            k -= 1
        }
        i += n
    }

    /// Appends a decimal integer (with `-` when negative).
    public static func append(_ value: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            if value < 0 {
                p[i] = UInt8(ascii: "-")
                i += 1
            }
            put(UInt64(value.magnitude), width: 1, p, &i)
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }
}
