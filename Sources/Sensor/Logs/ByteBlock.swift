#if arch(x86_64) && !WORMWATCH_PORTABLE_SIMD
import _Builtin_intrinsics.intel
#endif

/// Sixteen bytes of input, classified all at once: which of them equal a byte, lie in a
/// range, or have their high bit set, as a 16-bit mask (bit `i` for byte `i`).
///
/// On x86-64 this is SSE2 (part of the architecture's baseline): a compare and a `movemask`
/// per question. Swift's own vector comparisons (`.==` on `SIMD16<UInt8>`) are generic code
/// that LLVM vectorizes only when it unrolls them, which it stops doing in large functions,
/// and Swift has no `movemask` at all. Elsewhere the same answers come from word-wide
/// arithmetic on the two halves (build with `-DWORMWATCH_PORTABLE_SIMD` to use that on
/// x86-64 too: `FUZZ_SWIFT_FLAGS=-DWORMWATCH_PORTABLE_SIMD scripts/fuzz logs` checks it).
@usableFromInline
struct ByteBlock {
    #if arch(x86_64) && !WORMWATCH_PORTABLE_SIMD
    @usableFromInline let vector: __m128i

    /// The 16 bytes at `p` (any alignment).
    @inlinable @inline(__always)
    init(_ p: UnsafeRawPointer) {
        vector = _mm_loadu_si128(p.assumingMemoryBound(to: __m128i.self))
    }

    /// Bit `i` set where byte `i` is `byte`.
    @inlinable @inline(__always)
    func mask(_ byte: UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(vector, _mm_set1_epi8(Int8(bitPattern: byte)))))
    }

    /// Bit `i` set where byte `i` is an ASCII digit.
    @inlinable @inline(__always)
    var digits: UInt32 {
        // Signed compares: bytes ≥ 0x80 are negative, below `0`.
        let atLeastZero = _mm_cmpgt_epi8(vector, _mm_set1_epi8(47))
        let atMostNine = _mm_cmplt_epi8(vector, _mm_set1_epi8(58))
        return UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_and_si128(atLeastZero, atMostNine)))
    }

    /// Bit `i` set where byte `i` is 0x80 or more.
    @inlinable @inline(__always)
    var highBytes: UInt32 {
        UInt32(truncatingIfNeeded: _mm_movemask_epi8(vector))
    }

    /// Bit `i` set where byte `i` is `a`, is `b`, or is 0x80 or more (one `movemask`).
    @inlinable @inline(__always)
    func mask(_ a: UInt8, _ b: UInt8, orHigh: Void) -> UInt32 {
        let equal = _mm_or_si128(
            _mm_cmpeq_epi8(vector, _mm_set1_epi8(Int8(bitPattern: a))), _mm_cmpeq_epi8(vector, _mm_set1_epi8(Int8(bitPattern: b))))
        return UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_or_si128(equal, vector)))
    }
    #else
    @usableFromInline let low: UInt64
    @usableFromInline let high: UInt64

    @inlinable @inline(__always)
    init(_ p: UnsafeRawPointer) {
        low = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        high = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// The high bit of each byte of `w`, gathered into eight bits.
    @inlinable @inline(__always)
    static func gather(_ w: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((w & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56)
    }

    /// The high bit set in each zero byte of `x` (exactly: no borrow crosses bytes).
    @inlinable @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x)
    }

    @inlinable @inline(__always)
    func mask(_ byte: UInt8) -> UInt32 {
        let splat = UInt64(byte) &* 0x0101_0101_0101_0101
        return Self.gather(Self.zeroBytes(low ^ splat)) | Self.gather(Self.zeroBytes(high ^ splat)) << 8
    }

    @inlinable @inline(__always)
    var digits: UInt32 {
        // 0x3_ with a low nibble under 10 (adding 0x76 to it leaves the high bit clear).
        @inline(__always) func digitBytes(_ w: UInt64) -> UInt64 {
            Self.zeroBytes((w & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
                & ~((w & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x7676_7676_7676_7676)
        }
        return Self.gather(digitBytes(low)) | Self.gather(digitBytes(high)) << 8
    }

    @inlinable @inline(__always)
    var highBytes: UInt32 { Self.gather(low) | Self.gather(high) << 8 }

    @inlinable @inline(__always)
    func mask(_ a: UInt8, _ b: UInt8, orHigh: Void) -> UInt32 { mask(a) | mask(b) | highBytes }
    #endif
}
