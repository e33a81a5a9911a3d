import WormWatchCore

/// xoshiro256** (Blackman & Vigna): the engine's fast, seedable generator.
///
/// Seeded through ``SplitMix64`` so that nearby seeds give unrelated streams.
/// ``stream(_:)`` derives independent generators for the runs of an ensemble,
/// so a run's result depends only on the seed and the run's index, never on
/// how many threads computed it.
@frozen
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator whose whole sequence is fixed by `seed`.
    @inlinable
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The generator for run `index` of an ensemble seeded with `seed`.
    @inlinable
    public static func stream(seed: UInt64, index: UInt64) -> Xoshiro256StarStar {
        var sm = SplitMix64(seed: seed ^ 0x5157_4F52_4D57_4154)
        let a = sm.next()
        var mix = SplitMix64(seed: a &+ index &* 0xD1B5_4A32_D192_ED03)
        return Xoshiro256StarStar(seed: mix.next())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in (0, 1]: never 0, so `-log(u)` is always finite.
    @inlinable
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) &+ 1) * 0x1.0p-53
    }

    /// A uniform double in [0, 1).
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0 ..< bound` (Lemire's nearly divisionless method).
    @inlinable
    public mutating func nextInt(below bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let t = (0 &- bound) % bound
            while m.low < t { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }
}
