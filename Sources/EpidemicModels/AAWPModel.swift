import Foundation

/// One tick of an `AAWPModel` run.
public struct AAWPState: Sendable, Hashable {
    /// Tick index i (0 is the initial state).
    public let tick: Int
    /// i · tickSeconds, in seconds.
    public let time: Double
    /// n(i): hosts infected (and scanning) during tick i.
    public let infected: Double
    /// S(i): vulnerable hosts neither infected, dead nor patched.
    public let susceptible: Double
    /// Cumulative number of infected hosts that have left the infected class, by death
    /// (fraction d per tick) or by patching (fraction p per tick): Σ_{j<i} (d + p)·n(j).
    public let removed: Double

    /// Hosts ever infected up to tick i: infected + removed (= I0 + all new infections).
    public var everInfected: Double { infected + removed }
}

/// The Analytical Active Worm Propagation (AAWP) model, a discrete-time model of a uniform
/// random-scanning worm (Z. Chen, L. Gao, K. Kwiat, "Modeling the Spread of Active Worms",
/// IEEE INFOCOM 2003).
///
/// Per tick every infected host sends s probes to addresses drawn uniformly from Ω; a fraction d
/// of infected hosts dies (is cleaned or crashes) and a fraction p of every vulnerable host is
/// patched. The form usually quoted,
///
///     n(i+1) = (1−d−p)·n(i) + [(1−p)^i·N − n(i)]·[1 − (1 − 1/Ω)^(s·n(i))],
///
/// counts dead hosts as still susceptible. This implementation keeps the dead in their own
/// class, so that the unpatched hosts (1−p)^i·N are exactly split into susceptible, infected and
/// dead-but-unpatched. The recurrence implemented is:
///
///     q(i)   = 1 − (1 − 1/Ω)^(s·n(i))            (probability a given address is hit in tick i;
///                                                  computed as −expm1(s·n(i)·log1p(−1/Ω)))
///     S(i)   = max(0, (1−p)^i·N − n(i) − m(i))     (susceptible)
///     n(i+1) = (1−d−p)·n(i) + S(i)·q(i)            (infected)
///     m(i+1) = (1−p)·m(i) + d·n(i)                 (dead hosts not yet patched)
///     R(i+1) = R(i) + (d+p)·n(i)                   (reported as `removed`)
///
/// with n(0) = I0, m(0) = 0, R(0) = 0, S(0) = N − I0. Because (1−p)^(i+1)·N = (1−p)·(S + n + m),
/// this is the same as S(i+1) = (1−p)·S(i) − S(i)·q(i): susceptibles are infected or patched,
/// and no host is counted twice. With d = p = 0, m = R = 0 and S(i) = N − n(i).
/// Newly infected hosts start scanning in the next tick (the model's one-tick delay).
public struct AAWPModel: Sendable, Hashable {
    /// N: vulnerable hosts.
    public let population: Double
    /// Ω: size of the scanned address space (2^32 for IPv4).
    public let addressSpace: Double
    /// s: probes sent by each infected host per tick (need not be an integer).
    public let probesPerTick: Double
    /// d: fraction of infected hosts removed (dead/cleaned) per tick, in [0, 1].
    public let deathRate: Double
    /// p: fraction of vulnerable hosts patched per tick, in [0, 1]; d + p ≤ 1.
    public let patchRate: Double
    /// Length of one tick in seconds (only used to report `AAWPState.time`).
    public let tickSeconds: Double
    /// n(0), in (0, N].
    public let initialInfected: Double

    /// - Throws: `EpidemicModelError` unless population > 0, initialInfected ∈ (0, population],
    ///   addressSpace ≥ max(1, population), probesPerTick ≥ 0, deathRate and patchRate in [0, 1]
    ///   with deathRate + patchRate ≤ 1, tickSeconds > 0, all finite.
    public init(
        population: Double, addressSpace: Double, probesPerTick: Double,
        deathRate: Double = 0, patchRate: Double = 0, tickSeconds: Double = 1, initialInfected: Double = 1
    ) throws(EpidemicModelError) {
        try Check.positive("population", population)
        try Check.initialInfected(initialInfected, population: population)
        try Check.addressSpace(addressSpace, population: population)
        try Check.nonNegative("probesPerTick", probesPerTick)
        try Check.unitInterval("deathRate", deathRate)
        try Check.unitInterval("patchRate", patchRate)
        guard deathRate + patchRate <= 1 else {
            throw .outOfRange(parameter: "patchRate", value: patchRate,
                              expected: "<= 1 − deathRate = \(1 - deathRate)")
        }
        try Check.positive("tickSeconds", tickSeconds)
        self.population = population
        self.addressSpace = addressSpace
        self.probesPerTick = probesPerTick
        self.deathRate = deathRate
        self.patchRate = patchRate
        self.tickSeconds = tickSeconds
        self.initialInfected = initialInfected
    }

    /// Convenience: s = probeRate · tickSeconds for a worm sending `probeRate` probes per second.
    public init(
        population: Double, addressSpace: Double, probeRate: Double, tickSeconds: Double,
        deathRate: Double = 0, patchRate: Double = 0, initialInfected: Double = 1
    ) throws(EpidemicModelError) {
        try Check.nonNegative("probeRate", probeRate)
        try Check.positive("tickSeconds", tickSeconds)
        let s = probeRate * tickSeconds
        try Check.finite("probeRate", s)
        try self.init(population: population, addressSpace: addressSpace, probesPerTick: s,
                      deathRate: deathRate, patchRate: patchRate, tickSeconds: tickSeconds,
                      initialInfected: initialInfected)
    }

    /// Runs the recurrence for `ticks` ticks and returns ticks 0...ticks (ticks + 1 states).
    /// - Throws: `.negative` for ticks < 0, `.tooManySteps` beyond `RungeKutta4.maximumSteps`.
    public func run(ticks: Int) throws(EpidemicModelError) -> [AAWPState] {
        guard ticks >= 0 else { throw .negative(parameter: "ticks", value: Double(ticks)) }
        guard ticks <= RungeKutta4.maximumSteps else {
            throw .tooManySteps(requested: Double(ticks), limit: RungeKutta4.maximumSteps)
        }
        let n0 = population
        let logMiss = log1p(-1 / addressSpace)      // ln(1 − 1/Ω), accurate for huge Ω
        let keep = 1 - patchRate

        var states: [AAWPState] = []
        states.reserveCapacity(ticks + 1)
        var n = initialInfected
        var m = 0.0
        var r = 0.0
        for i in 0...ticks {
            // (1−p)^i·N, computed directly rather than by repeated multiplication.
            let unpatched = patchRate == 0 ? n0 : n0 * pow(keep, Double(i))
            let s = max(0, unpatched - n - m)
            states.append(AAWPState(tick: i, time: Double(i) * tickSeconds,
                                    infected: n, susceptible: s, removed: r))
            if i == ticks { break }
            let probes = probesPerTick * n
            // q = 1 − (1 − 1/Ω)^probes; for Ω = 1, log1p(−1) = −∞ and any probe hits.
            let q: Double = probes == 0 ? 0 : -expm1(probes * logMiss)
            let newlyInfected = s * q
            let nNext = (1 - deathRate - patchRate) * n + newlyInfected
            m = keep * m + deathRate * n
            r += (deathRate + patchRate) * n
            n = nNext
        }
        return states
    }
}
