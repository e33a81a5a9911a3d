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
/// A host infected during interval t may already be seen in t: a host infected a fraction u into
/// the interval is seen in the rest of it with chance 1 − (1 − p)^(1−u), on average
/// k = 1 − p/λ (λ = −ln(1 − p)), so E[C(t) − C(t−1)] = p·(I(t−1) − C(t−1)) + k·(I(t) − I(t−1)).
/// With the growth per interval g = I(t)/I(t−1) − 1 taken from the last estimates,
/// I(t−1) = (C(t−1) + (C(t) − C(t−1))/p) / (1 + k·g/p). Without this a /8 overstates I by about 2 %
/// while Code Red grows (k·g/p with p = 0.75, g = 3 % a minute), far outside the band.
///
/// η is not assumed: p is estimated from the sources that return. A source already seen is
/// seen again in an interval with the same chance p, so the returning sources of each
/// interval (distinct − new) over the sources seen before it estimate p; the estimate pools
/// every interval so far (hosts that stop scanning bias it low). The band adds the Poisson
/// spread of the new sources, the uncertainty of p and a tenth of the in-interval correction.
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
    /// The last estimates of I, newest last, for the growth per interval.
    private var recent: [Double] = []
    /// Intervals over which the growth per interval is measured.
    static let growthSpan = 5
    /// The correction's relative error, in the band.
    static let correctionError = 0.1

    /// Probes and distinct sources, summed over the intervals: their ratio is E[K | K ≥ 1] of a
    /// source's probes in an interval, λ/(1 − e^−λ).
    private var probesSeen = 0.0, distinctSeen = 0.0

    /// Above this p, the monitors see nearly every host every interval: returns then say only
    /// that p is close to 1, and λ (hence η) is read from the probes per distinct source.
    public static let saturation = 0.9

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

    /// λ = −ln(1 − p), the mean probes one infected host sends the monitors in an interval:
    /// from p, or, once p passes ``saturation``, from the probes per distinct source (solving
    /// λ/(1 − e^−λ) = probes/distinct, which is exact whatever the hosts' rates when every
    /// host is seen).
    func lambda(p: Double) -> Double {
        let fromReturns = -log1p(-p)
        guard p >= Self.saturation, distinctSeen > 0 else { return fromReturns }
        let ratio = probesSeen / distinctSeen
        guard ratio > 1 else { return fromReturns }
        // Newton on f(λ) = λ − ratio·(1 − e^−λ), from λ = ratio (its root for large λ).
        var x = ratio
        for _ in 0..<50 {
            let f = x - ratio * (1 - exp(-x)), df = 1 - ratio * exp(-x)
            guard df != 0 else { break }
            let next = x - f / df
            if abs(next - x) < 1e-12 * max(1, x) { x = next; break }
            x = max(next, 1e-9)
        }
        return max(fromReturns, x)
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
        probesSeen += Double(interval.probes)
        distinctSeen += Double(interval.distinctSources)
        defer { previous = interval }
        guard previous != nil, let p = hitProbability else { return nil }
        let unseen = Double(interval.newSources) / p
        // Var(N/p) ≈ N/p² from the count, plus (N/p)²·(1−p)/returns from p.
        let n = Double(max(interval.newSources, 1))
        var variance = n / (p * p) + unseen * unseen * (1 - p) / returning
        let lambda = lambda(p: p)
        // The hosts infected during this interval and already seen in it (see above).
        var growth = 0.0
        if recent.count > Self.growthSpan, let last = recent.last, last > 0 {
            let first = recent[recent.count - 1 - Self.growthSpan]
            if first > 0 { growth = max(0, pow(last / first, 1 / Double(Self.growthSpan)) - 1) }
        }
        let seenAtOnce = 1 - p / lambda
        let uncorrected = Double(before) + unseen
        let infected = max(Double(before), uncorrected / (1 + seenAtOnce * growth / p))
        // The growth is that of the last intervals, not this one's: a tenth of the correction
        // is taken as its error (the residual on a /8 while Code Red's growth slows).
        variance += pow(Self.correctionError * (uncorrected - infected), 2)
        let spread = 1.6449 * variance.squareRoot()
        recent.append(infected)
        if recent.count > 2 * Self.growthSpan { recent.removeFirst(recent.count - Self.growthSpan - 1) }
        let rate = coverage.fraction > 0 && interval.seconds > 0 ? lambda / (coverage.fraction * interval.seconds) : 0
        return InfectionEstimate(
            time: interval.start, observed: before, infected: infected,
            low: max(Double(before), infected - spread), high: infected + spread,
            hitProbability: p, probeRate: rate)
    }
}
