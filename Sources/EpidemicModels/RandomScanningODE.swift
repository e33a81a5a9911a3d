import Foundation

/// One output point of a `RandomScanningODE` solution.
public struct RandomScanningState: Sendable, Hashable {
    /// Time in seconds.
    public let t: Double
    /// S: vulnerable hosts not infected and not patched.
    public let susceptible: Double
    /// I: infected, scanning hosts.
    public let infected: Double
    /// Susceptible hosts patched so far (S → patched at rate μ).
    public let patched: Double
    /// Infected hosts cleaned so far (I → cleaned at rate γ).
    public let cleaned: Double

    /// R = patched + cleaned.
    public var removed: Double { patched + cleaned }
    /// S + I + patched + cleaned (equals N up to rounding).
    public var total: Double { susceptible + infected + patched + cleaned }
}

/// Continuous-time mean field of the exact (per-probe) stochastic model of a uniform
/// random-scanning worm, with patching, cleaning, reboots and congestion. It is the curve a
/// WormWatch simulation of the same scenario should follow on average (for large N).
///
///     β     = (η/Ω)·(1 − I/N)^c
///     dS/dt = −β·I·S − μ·S + ρ·I
///     dI/dt =  β·I·S − γ·I − ρ·I
///     dP/dt =  μ·S                  (patched)
///     dC/dt =  γ·I                  (cleaned)
///
/// S(0) = N − I0, I(0) = I0, P(0) = C(0) = 0; S + I + P + C = N. All rates per second.
/// With μ = γ = ρ = c = 0 this is the logistic model with K = η·N/Ω.
public struct RandomScanningODE: Sendable, Hashable {
    /// N: vulnerable hosts.
    public let population: Double
    /// I0, in (0, N].
    public let initialInfected: Double
    /// η: probes per second per infected host, ≥ 0.
    public let probeRate: Double
    /// Ω: scanned addresses, ≥ max(1, N).
    public let addressSpace: Double
    /// μ: patch rate per susceptible host per second (S → patched), ≥ 0.
    public let patchRate: Double
    /// γ: cleaning rate per infected host per second (I → cleaned), ≥ 0.
    public let cleanRate: Double
    /// ρ: reboot rate per infected host per second (I → S: the worm lives in memory only), ≥ 0.
    public let rebootRate: Double
    /// c: congestion exponent, β multiplied by (1 − I/N)^c, ≥ 0.
    public let congestionExponent: Double

    /// - Throws: `EpidemicModelError` unless population > 0, initialInfected ∈ (0, population],
    ///   probeRate ≥ 0, addressSpace ≥ max(1, population), and the other rates ≥ 0, all finite.
    public init(population: Double, initialInfected: Double, probeRate: Double, addressSpace: Double,
                patchRate: Double = 0, cleanRate: Double = 0, rebootRate: Double = 0,
                congestionExponent: Double = 0) throws(EpidemicModelError) {
        try Check.positive("population", population)
        try Check.initialInfected(initialInfected, population: population)
        try Check.nonNegative("probeRate", probeRate)
        try Check.addressSpace(addressSpace, population: population)
        try Check.nonNegative("patchRate", patchRate)
        try Check.nonNegative("cleanRate", cleanRate)
        try Check.nonNegative("rebootRate", rebootRate)
        try Check.nonNegative("congestionExponent", congestionExponent)
        self.population = population
        self.initialInfected = initialInfected
        self.probeRate = probeRate
        self.addressSpace = addressSpace
        self.patchRate = patchRate
        self.cleanRate = cleanRate
        self.rebootRate = rebootRate
        self.congestionExponent = congestionExponent
    }

    /// The right-hand side for the state vector [S, I, patched, cleaned] (exactly 4 components).
    func derivative(_ y: [Double]) -> [Double] {
        let s = y[0], i = y[1]
        var beta = probeRate / addressSpace
        if congestionExponent != 0 {
            beta *= pow(max(0, 1 - i / population), congestionExponent)
        }
        let infection = beta * i * s
        let patch = patchRate * s
        let clean = cleanRate * i
        let reboot = rebootRate * i
        return [-infection - patch + reboot, infection - clean - reboot, patch, clean]
    }

    var initialVector: [Double] { [population - initialInfected, initialInfected, 0, 0] }

    /// States on the grid 0, step, …, duration seconds (the last interval may be shorter),
    /// one RK4 step per grid interval.
    public func solve(duration: Double, step: Double) throws(EpidemicModelError) -> [RandomScanningState] {
        let times = try RungeKutta4.grid(duration: duration, step: step)
        return try solve(times: times, maxStep: step)
    }

    /// States at the given output times in seconds (sorted ascending, ≥ 0), integrating from
    /// t = 0 with RK4 steps no longer than `maxStep` seconds (default 10 s).
    public func solve(times: [Double], maxStep: Double = 10) throws(EpidemicModelError) -> [RandomScanningState] {
        let ys = try RungeKutta4.solve(from: 0, state: initialVector, outputTimes: times, maxStep: maxStep) {
            _, y in derivative(y)
        }
        return zip(times, ys).map { t, y in
            RandomScanningState(t: t, susceptible: y[0], infected: y[1], patched: y[2], cleaned: y[3])
        }
    }
}
