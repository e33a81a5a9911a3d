/// The first look at a request target, 16 bytes at a time: where the path ends (the first
/// `?`), whether the path needs decoding (`%`, `\` or a byte ≥ 0x80 in it), and whether it
/// holds `..`. Most requests are rejected on this and the rules' gates alone.
@usableFromInline
struct PathScan {
    /// The index of the first `?`, or the target's length.
    @usableFromInline var end: Int
    /// Whether the path holds `%`, `\` or a byte ≥ 0x80 (so decoding could change more than case).
    @usableFromInline var needsDecoding: Bool
    /// Whether the path holds two dots in a row.
    @usableFromInline var dotDot: Bool

    @inlinable
    init(end: Int, needsDecoding: Bool, dotDot: Bool) {
        self.end = end
        self.needsDecoding = needsDecoding
        self.dotDot = dotDot
    }

    /// Scans `target`.
    @inlinable
    static func scan(_ target: UnsafeRawBufferPointer) -> PathScan {
        let n = target.count
        guard n >= 16, let base = target.baseAddress else { return scanSmall(target) }
        let percent = SIMD16<UInt8>(repeating: UInt8(ascii: "%"))
        let backslash = SIMD16<UInt8>(repeating: UInt8(ascii: "\\"))
        let question = SIMD16<UInt8>(repeating: UInt8(ascii: "?"))
        let dot = SIMD16<UInt8>(repeating: UInt8(ascii: "."))
        let highBit = SIMD16<UInt8>(repeating: 0x80)
        let zero = SIMD16<UInt8>(repeating: 0)
        // Lane i of a block is byte i of a UInt128 (little-endian): 0xFF where the lane matches.
        var special: UInt128 = 0
        var pairs: UInt128 = 0
        var previousLastDot = false
        var offset = 0
        while true {
            // The last block overlaps the one before instead of reading past the end; looking
            // at bytes twice changes nothing.
            let start = Swift.min(offset, n - 16)
            let v = base.loadUnaligned(fromByteOffset: start, as: SIMD16<UInt8>.self)
            var blockSpecial = bits((v .== percent) .| (v .== backslash) .| ((v & highBit) .!= zero))
            let dots = bits(v .== dot)
            var blockPairs = dots & (dots >> 8)
            if start == offset && previousLastDot && dots & 0xFF != 0 { blockPairs |= 1 }
            let q = bits(v .== question)
            if q != 0 {
                let k = q.trailingZeroBitCount / 8
                // Only lanes before the `?` are path (a pair at k - 1 ends at the `?`: not dots).
                let path: UInt128 = k == 0 ? 0 : ~0 >> (128 - 8 * k)
                blockSpecial &= path
                blockPairs &= path
                return PathScan(end: start + k, needsDecoding: special | blockSpecial != 0, dotDot: pairs | blockPairs != 0)
            }
            special |= blockSpecial
            pairs |= blockPairs
            previousLastDot = dots >> 120 != 0
            offset = start + 16
            if offset >= n { break }
        }
        return PathScan(end: n, needsDecoding: special != 0, dotDot: pairs != 0)
    }

    /// A comparison's lanes as bytes of a UInt128: 0xFF for true, 0 for false.
    @inlinable @inline(__always)
    static func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt128 {
        unsafeBitCast(mask, to: UInt128.self)
    }

    /// The same for targets shorter than 16 bytes: from 4 bytes on, two overlapping loads
    /// make one block of the target's bytes followed by zeros (which match nothing).
    @inlinable @inline(__always)
    static func scanSmall(_ target: UnsafeRawBufferPointer) -> PathScan {
        let n = target.count
        guard n >= 4, n < 16, let base = target.baseAddress else { return scanShort(target) }
        var word: UInt128
        if n >= 8 {
            // The second load's first 16 - n bytes are also in the first: shift them out.
            let low = base.loadUnaligned(as: UInt64.self)
            let high = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (16 - n))
            word = UInt128(UInt64(littleEndian: low)) | UInt128(UInt64(littleEndian: high)) << 64
        } else {
            let low = UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
            let high = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) >> UInt32(8 * (8 - n))
            word = UInt128(UInt64(low) | UInt64(high) << 32)
        }
        word = UInt128(littleEndian: word)
        let v = unsafeBitCast(word, to: SIMD16<UInt8>.self)
        let special = bits(
            (v .== SIMD16(repeating: UInt8(ascii: "%"))) .| (v .== SIMD16(repeating: UInt8(ascii: "\\")))
                .| ((v & SIMD16(repeating: 0x80)) .!= SIMD16(repeating: 0)))
        let dots = bits(v .== SIMD16(repeating: UInt8(ascii: ".")))
        let pairs = dots & (dots >> 8)
        let q = bits(v .== SIMD16(repeating: UInt8(ascii: "?")))
        if q != 0 {
            let k = q.trailingZeroBitCount / 8
            let path: UInt128 = k == 0 ? 0 : ~0 >> (128 - 8 * k)
            return PathScan(end: k, needsDecoding: special & path != 0, dotDot: pairs & path != 0)
        }
        return PathScan(end: n, needsDecoding: special != 0, dotDot: pairs != 0)
    }

    /// The same, a byte at a time, for targets shorter than 16 bytes.
    @inlinable
    static func scanShort(_ target: UnsafeRawBufferPointer) -> PathScan {
        var decode = false, dotDot = false, previousDot = false
        for i in 0..<target.count {
            let b = target[i]
            if b == UInt8(ascii: "?") { return PathScan(end: i, needsDecoding: decode, dotDot: dotDot) }
            decode = decode || b == UInt8(ascii: "%") || b == UInt8(ascii: "\\") || b >= 0x80
            let isDot = b == UInt8(ascii: ".")
            dotDot = dotDot || (isDot && previousDot)
            previousDot = isDot
        }
        return PathScan(end: target.count, needsDecoding: decode, dotDot: dotDot)
    }
}
