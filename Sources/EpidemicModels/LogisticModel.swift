import Foundation

/// The simple epidemic (logistic) model of a uniform random-scanning worm
/// (Staniford, Paxson, Weaver, "How to 0wn the Internet in Your Spare Time", USENIX Security 2002):
///
///     dI/dt = K · I · (1 − I/N),      I(0) = I0,
///     I(t)  = N / (1 + ((N − I0)/I0) · exp(−K·t)).
///
/// For a worm in which each infected host sends η probes per second to addresses drawn
/// uniformly from a space of Ω addresses holding N vulnerable hosts, each infected host infects
/// at rate η·(N − I)/Ω, so K = η·N/Ω. Time is in seconds and K is per second. (Staniford et al.
/// fit Code Red v2 with K ≈ 1.8 per hour = 5.0e-4 per second.)
public struct LogisticModel: Sendable, Hashable {
    /// N: number of vulnerable hosts.
    public let population: Double
    /// I0: number infected at t = 0, in (0, N].
    public let initialInfected: Double
    /// K, per second (≥ 0).
    public let growthRate: Double

    /// - Throws: `EpidemicModelError` unless `population > 0`, `initialInfected` ∈ (0, population]
    ///   and `growthRate` ≥ 0, all finite.
    public init(population: Double, initialInfected: Double, growthRate: Double) throws(EpidemicModelError) {
        try Check.positive("population", population)
        try Check.initialInfected(initialInfected, population: population)
        try Check.nonNegative("growthRate", growthRate)
        self.population = population
        self.initialInfected = initialInfected
        self.growthRate = growthRate
    }

    /// K = probeRate · N / Ω, from η probes per second per infected host over Ω addresses.
    /// - Throws: as the designated initialiser, and unless `probeRate` ≥ 0 and
    ///   `addressSpace` ≥ max(1, population).
    public init(population: Double, initialInfected: Double, probeRate: Double, addressSpace: Double)
        throws(EpidemicModelError)
    {
        try Check.positive("population", population)
        try Check.nonNegative("probeRate", probeRate)
        try Check.addressSpace(addressSpace, population: population)
        try self.init(population: population, initialInfected: initialInfected,
                      growthRate: probeRate * population / addressSpace)
    }

    /// A = (N − I0)/I0, the odds against infection at t = 0.
    private var initialOdds: Double { (population - initialInfected) / initialInfected }

    /// I(t) = N / (1 + A·e^(−K t)). Defined for any finite t (negative t runs backwards).
    public func infected(at t: Double) -> Double {
        let a = initialOdds * exp(-growthRate * t)
        if a.isInfinite { return 0 }
        return population / (1 + a)
    }

    /// N − I(t), computed without cancellation when I is close to N.
    public func susceptible(at t: Double) -> Double {
        let a = initialOdds * exp(-growthRate * t)
        if a.isInfinite { return population }
        return population * a / (1 + a)
    }

    /// dI/dt = K·I·(1 − I/N) at time t, in hosts per second (= K·N·a/(1+a)², a = A·e^(−Kt)).
    public func newInfectionsRate(at t: Double) -> Double {
        let a = initialOdds * exp(-growthRate * t)
        if a.isInfinite || a == 0 { return 0 }
        let onePlus = 1 + a
        // Written to avoid overflow of (1+a)² for large a.
        return growthRate * population * (a / onePlus) / onePlus
    }

    /// The right-hand side K·I·(1 − I/N), for any I.
    public func derivative(infected i: Double) -> Double {
        growthRate * i * (1 - i / population)
    }

    /// The time t (seconds) at which I(t) = fraction · N:
    ///
    ///     t = (ln A − ln((1 − f)/f)) / K,   A = (N − I0)/I0.
    ///
    /// Times before 0 are returned (negative) when `fraction` < I0/N. Returns `+infinity` for
    /// `fraction` ≥ 1 (the curve only approaches N), `-infinity` for `fraction` ≤ 0, NaN for NaN.
    /// With K = 0 the curve is flat: 0 if `fraction` = I0/N, otherwise ±infinity.
    public func time(toReach fraction: Double) -> Double {
        if fraction.isNaN { return .nan }
        if fraction >= 1 { return .infinity }
        if fraction <= 0 { return -.infinity }
        let logA = log(population - initialInfected) - log(initialInfected)   // -inf if I0 = N
        let logB = log1p(-fraction) - log(fraction)                          // ln((1-f)/f)
        let diff = logA - logB
        if growthRate == 0 {
            if diff == 0 { return 0 }
            return diff > 0 ? .infinity : -.infinity
        }
        return diff / growthRate
    }
}
