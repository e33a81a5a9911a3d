import Foundation

/// An estimate of the infected hosts at one moment, corrected for the ones the monitors
/// have not seen yet, with a 90 % band.
public struct InfectionEstimate: Sendable, Hashable, Codable {
    /// The moment it is for (the end of the interval before the latest), in seconds since 1970.
    public var time: Double
    /// Sources the monitors had seen by then (C).
    public var observed: Int
    /// The estimated infected hosts (I).
    public var infected: Double
    /// The 90 % band's lower end (never below `observed`).
    public var low: Double
    /// The 90 % band's upper end.
    public var high: Double
    /// The estimated chance that one infected host reaches the monitors in an interval (p).
    public var hitProbability: Double
    /// The estimated probes per second of one infected host (η), from p and ω/Ω.
    public var probeRate: Double

    enum CodingKeys: String, CodingKey {
        case time, observed, infected, low, high
        case hitProbability = "hit_probability"
        case probeRate = "probe_rate"
    }
}

/// Zou, Gao, Gong & Towsley's bias correction (CCS 2003) of a monitor's count of infected
/// sources: a host infected at the end of interval t−1 and not yet seen reaches the monitors
/// in interval t with chance p = 1 − (1 − ω/Ω)^(η·Δ), so
/// C(t) = C(t−1) + (I(t−1) − C(t−1))·p, and I(t−1) = C(t−1) + (C(t) − C(t−1))/p.
///
/// η is not assumed: p is estimated from the sources that return. A source already seen is
/// seen again in an interval with the same chance p, so the returning sources of each
/// interval (distinct − new) over the sources seen before it estimate p; the estimate pools
/// every interval so far (hosts that stop scanning bias it low). The band adds the Poisson
/// spread of the new sources to the uncertainty of p.
public struct InfectionEstimator: Sendable {
    /// The monitors' share of the address space.
    public let coverage: MonitorCoverage
    /// Sources seen so far (C).
    public private(set) var observed = 0
    private var returning = 0.0
    private var exposure = 0.0
    // Sums for the regression of returns on exposure: n, Σx, Σy, Σxy, Σx².
    private var n = 0.0, sx = 0.0, sy = 0.0, sxy = 0.0, sxx = 0.0
    private var previous: MonitoredInterval?

    /// The fewest returning sources before p is estimated from them; until then there is no
    /// estimate.
    public static let minimumReturns = 5.0

    /// Creates an estimator for monitors of the given coverage.
    public init(coverage: MonitorCoverage) { self.coverage = coverage }

    /// Sources seen again in a later interval, summed over intervals.
    public var returns: Double { returning }

    /// The estimated chance p that an infected host reaches the monitors in one interval, or
    /// `nil` while too few sources have returned to tell.
    public var hitProbability: Double? {
        guard returning >= Self.minimumReturns, exposure > 0 else { return nil }
        // returns(t) = p·C(t−1) + c: the intercept c takes sources that come back in every
        // interval whatever C is (a loud scanner), which would otherwise inflate p early and
        // make the estimate grow as p settles.
        let denominator = n * sxx - sx * sx
        if n >= 10, denominator > 0 {
            let slope = (n * sxy - sx * sy) / denominator
            let intercept = (sy - slope * sx) / n
            if intercept > 0, slope > 0 { return min(slope, 0.999) }
        }
        return min(returning / exposure, 0.999)
    }

    /// Adds the next interval; returns the estimate for the end of the interval before it,
    /// once p can be estimated.
    public mutating func add(_ interval: MonitoredInterval) -> InfectionEstimate? {
        let before = observed
        // Returning sources: those seen in this interval that had been seen before.
        let returns = Double(max(0, interval.distinctSources - interval.newSources))
        returning += returns
        exposure += Double(before)
        if before > 0 {
            let x = Double(before)
            n += 1; sx += x; sy += returns; sxy += x * returns; sxx += x * x
        }
        observed += interval.newSources
        defer { previous = interval }
        guard previous != nil, let p = hitProbability else { return nil }
        let unseen = Double(interval.newSources) / p
        // Var(N/p) ≈ N/p² from the count, plus (N/p)²·(1−p)/returns from p.
        let n = Double(max(interval.newSources, 1))
        let variance = n / (p * p) + unseen * unseen * (1 - p) / returning
        let spread = 1.6449 * variance.squareRoot()
        let infected = Double(before) + unseen
        let lambda = -log1p(-p)
        let rate = coverage.fraction > 0 && interval.seconds > 0 ? lambda / (coverage.fraction * interval.seconds) : 0
        return InfectionEstimate(
            time: interval.start, observed: before, infected: infected,
            low: max(Double(before), infected - spread), high: infected + spread,
            hitProbability: p, probeRate: rate)
    }
}
