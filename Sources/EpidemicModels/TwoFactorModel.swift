import Foundation

/// One output point of a `TwoFactorModel` solution.
public struct TwoFactorState: Sendable, Hashable {
    /// Time, in the model's time unit (seconds unless the parameters say otherwise).
    public let t: Double
    /// S: susceptible hosts.
    public let susceptible: Double
    /// I: currently infectious hosts.
    public let infected: Double
    /// R: infectious hosts removed (cleaned) so far.
    public let removed: Double
    /// Q: susceptible hosts removed by countermeasures (patched, filtered) so far.
    public let quarantined: Double

    /// J = I + R: hosts ever infected.
    public var everInfected: Double { infected + removed }
    /// S + I + R + Q (equals N up to rounding).
    public var total: Double { susceptible + infected + removed + quarantined }
}

/// The two-factor worm model (C. C. Zou, W. Gong, D. Towsley, "Code Red Worm Propagation
/// Modeling and Analysis", ACM CCS 2002):
///
///     dS/dt = −β(t)·S·I − dQ/dt
///     dI/dt =  β(t)·S·I − dR/dt
///     dR/dt =  γ·I
///     dQ/dt =  μ·S·(I + R)
///     β(t)  =  β0·(1 − I/N)^η
///
/// with S(0) = N − I0, I(0) = I0, R(0) = Q(0) = 0, so S + I + R + Q = N at all times.
/// The two factors are human countermeasures (R and Q grow with the number ever infected) and
/// the slowing of scanning by congestion (β falls as I grows). Solved with fixed-step RK4.
///
/// Units: β0 and μ are per host pair per time unit, γ per time unit. In WormWatch the time unit
/// is the second, except for `zouCodeRed`, whose parameters are in the paper's own time unit.
public struct TwoFactorModel: Sendable, Hashable {
    /// N.
    public let population: Double
    /// I0, in (0, N].
    public let initialInfected: Double
    /// β0: pairwise infection rate at no congestion (per host pair per time unit), ≥ 0.
    public let beta0: Double
    /// η: congestion exponent in β(t) = β0·(1 − I/N)^η, ≥ 0.
    public let eta: Double
    /// γ: removal rate of infectious hosts (per time unit), ≥ 0.
    public let gamma: Double
    /// μ: quarantine/patch rate of susceptibles per host ever infected (per host pair per time unit), ≥ 0.
    public let mu: Double

    /// - Throws: `EpidemicModelError` unless population > 0, initialInfected ∈ (0, population]
    ///   and beta0, eta, gamma, mu ≥ 0, all finite.
    public init(population: Double, initialInfected: Double, beta0: Double, eta: Double,
                gamma: Double, mu: Double) throws(EpidemicModelError) {
        try Check.positive("population", population)
        try Check.initialInfected(initialInfected, population: population)
        try Check.nonNegative("beta0", beta0)
        try Check.nonNegative("eta", eta)
        try Check.nonNegative("gamma", gamma)
        try Check.nonNegative("mu", mu)
        self.init(unchecked: population, initialInfected, beta0, eta, gamma, mu)
    }

    private init(unchecked n: Double, _ i0: Double, _ beta0: Double, _ eta: Double,
                 _ gamma: Double, _ mu: Double) {
        population = n
        initialInfected = i0
        self.beta0 = beta0
        self.eta = eta
        self.gamma = gamma
        self.mu = mu
    }

    /// Zou, Gong and Towsley's parameters for Code Red v2 (CCS 2002, as recalled in the
    /// project's published record): N = 1,000,000, I0 = 1, η = 3, γ = 0.05, μ = 0.06/N,
    /// β0 = 0.8/N.
    ///
    /// These rates are per *paper time unit*, not per second: the paper integrates in an
    /// abstract unit of time. Times passed to `solve` and reported in `TwoFactorState.t` are
    /// then in that same unit (I(t) peaks near t ≈ 20 units). Rescale (multiply every rate by
    /// units-per-second) before comparing with a simulation in seconds.
    public static let zouCodeRed = TwoFactorModel(
        unchecked: 1_000_000, 1, 0.8 / 1_000_000, 3, 0.05, 0.06 / 1_000_000)

    /// The model's equations: (dS/dt, dI/dt, dR/dt, dQ/dt) at S = `s`, I = `i`, R = `r`, with
    /// population `n` and the rates given. The one place they are written; ``solve(times:maxStep:)``
    /// and the two-factor fit (`ModelFitter`) both integrate them.
    @inline(__always)
    static func rates(s: Double, i: Double, r: Double, n: Double, beta0: Double, eta: Double, gamma: Double, mu: Double)
        -> (s: Double, i: Double, r: Double, q: Double) {
        let free = max(0, 1 - i / n)
        let beta = eta == 0 ? beta0 : beta0 * pow(free, eta)
        let infection = beta * s * i
        let dQ = mu * s * (i + r)
        let dR = gamma * i
        return (-infection - dQ, infection - dR, dR, dQ)
    }

    /// The right-hand side for the state vector [S, I, R, Q] (exactly 4 components).
    func derivative(_ y: [Double]) -> [Double] {
        let d = Self.rates(s: y[0], i: y[1], r: y[2], n: population, beta0: beta0, eta: eta, gamma: gamma, mu: mu)
        return [d.s, d.i, d.r, d.q]
    }

    var initialVector: [Double] { [population - initialInfected, initialInfected, 0, 0] }

    /// States on the grid 0, step, 2·step, …, duration (the last interval may be shorter),
    /// one RK4 step per grid interval.
    /// - Throws: `EpidemicModelError` unless duration ≥ 0 and step > 0 (finite), or if the grid
    ///   would exceed `RungeKutta4.maximumSteps`.
    public func solve(duration: Double, step: Double) throws(EpidemicModelError) -> [TwoFactorState] {
        let times = try RungeKutta4.grid(duration: duration, step: step)
        return try solve(times: times, maxStep: step)
    }

    /// States at the given output times (sorted ascending, ≥ 0), integrating from t = 0 with
    /// RK4 steps no longer than `maxStep` (default: 1 time unit).
    public func solve(times: [Double], maxStep: Double = 1) throws(EpidemicModelError) -> [TwoFactorState] {
        let ys = try RungeKutta4.solve(from: 0, state: initialVector, outputTimes: times, maxStep: maxStep) {
            _, y in derivative(y)
        }
        return zip(times, ys).map { t, y in
            TwoFactorState(t: t, susceptible: y[0], infected: y[1], removed: y[2], quarantined: y[3])
        }
    }
}
