/// SplitMix64 (Steele, Lea and Flood; Vigna's constants): a small, fast, seeded generator, used
/// to expand one 64-bit seed into the state of a larger generator, to derive independent
/// per-run seeds, to draw a forecast's Monte Carlo samples, and (its output function alone,
/// ``mix(_:)``) to hash keys. The one copy in the project.
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function: a bijection of 64-bit words in which every input bit
    /// affects every output bit.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// A number in 0..<`bound` (by remainder: a bias below 2^-40 for bounds under 2^24).
    @inlinable
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A number strictly between 0 and 1, with 53 random bits.
    @inlinable
    public mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
}
