/// The Internet checksum (RFC 1071): the one's complement of the one's-complement sum of
/// big-endian 16-bit words, used by the IPv4, TCP and UDP headers the writer builds.
@usableFromInline
enum InternetChecksum {
    /// Adds the bytes at `bytes` (an odd last byte padded with zero) to `sum`, unfolded.
    ///
    /// 32-bit words are summed at a time: 2^16 ≡ 1 modulo 0xFFFF, so folding at the end gives
    /// the same result. Any IPv4 packet's sum fits in 64 bits.
    @inlinable
    static func add(_ bytes: UnsafeRawPointer, count: Int, to sum: UInt64 = 0) -> UInt64 {
        var sum = sum
        var index = 0
        while index + 4 <= count {
            sum &+= UInt64(CaptureBytes.bigEndian32(bytes, index))
            index += 4
        }
        if index + 2 <= count {
            sum &+= UInt64(CaptureBytes.bigEndian16(bytes, index))
            index += 2
        }
        if index < count {
            sum &+= UInt64(CaptureBytes.byte(bytes, index)) << 8
        }
        return sum
    }

    /// The checksum field's value for an unfolded `sum`.
    @inlinable
    static func finish(_ sum: UInt64) -> UInt16 {
        var folded = sum
        while folded >> 16 != 0 {
            folded = (folded & 0xFFFF) &+ (folded >> 16)
        }
        return ~UInt16(truncatingIfNeeded: folded)
    }

    /// The TCP/UDP pseudo-header's contribution: addresses, protocol and transport length.
    @inlinable
    static func pseudoHeader(source: UInt32, destination: UInt32, protocol proto: UInt8, length: Int) -> UInt64 {
        UInt64(source) &+ UInt64(destination) &+ UInt64(proto) &+ UInt64(length)
    }
}
