import WormWatchCore
/// A keyed pseudo-random permutation of the addresses `0 ..< 2^bits`, with its inverse.
///
/// Worms that share "one pseudo-random sequence" (Code Red v1's static seed, Staniford's
/// permutation scanning) walk `forward(0), forward(1), …`. The permutation is a chain of
/// invertible steps modulo `2^bits` (odd multiplications, additions and xor-shifts), so
/// both directions are cheap and exact for every space size from 2^16 to 2^32.
public struct AddressPermutation: Sendable, Hashable {
    /// log2 of the number of addresses.
    public let bits: Int
    @usableFromInline let mask: UInt64
    @usableFromInline let m1: UInt64, m2: UInt64, a1: UInt64, a2: UInt64
    @usableFromInline let i1: UInt64, i2: UInt64
    @usableFromInline let s1: UInt64, s2: UInt64

    /// The permutation of a `2^bits` space selected by `key` (bits 1…32).
    public init(bits: Int, key: UInt64) {
        self.bits = bits
        mask = bits >= 64 ? ~0 : (UInt64(1) << UInt64(bits)) - 1
        var sm = SplitMix64(seed: key ^ 0x5045_524D_5554_4531)
        m1 = sm.next() | 1; m2 = sm.next() | 1
        a1 = sm.next(); a2 = sm.next()
        i1 = AddressPermutation.inverse(m1); i2 = AddressPermutation.inverse(m2)
        s1 = UInt64(Swift.max(1, bits / 2 + 1)); s2 = UInt64(Swift.max(1, bits / 3 + 1))
    }

    /// The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration).
    static func inverse(_ a: UInt64) -> UInt64 {
        var x = a
        for _ in 0..<6 { x = x &* (2 &- a &* x) }
        return x
    }

    /// The address at position `index` of the sequence.
    @inlinable
    public func forward(_ index: UInt64) -> UInt64 {
        var x = index & mask
        x = (x &* m1 &+ a1) & mask
        x ^= x >> s1
        x = (x &* m2 &+ a2) & mask
        x ^= x >> s2
        x = (x &* m1) & mask
        return x
    }

    /// The position of `address` in the sequence.
    @inlinable
    public func inverse(_ address: UInt64) -> UInt64 {
        var x = (address & mask) &* i1 & mask
        x = unshift(x, s2)
        x = ((x &- a2) &* i2) & mask
        x = unshift(x, s1)
        x = ((x &- a1) &* i1) & mask
        return x
    }

    @usableFromInline
    func unshift(_ y: UInt64, _ s: UInt64) -> UInt64 {
        var x = y
        var k = s
        while k < UInt64(bits) { x = y ^ (x >> s); k += s }
        return x & mask
    }
}
