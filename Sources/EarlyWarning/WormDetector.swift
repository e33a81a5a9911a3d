import Foundation

/// The settings of ``WormDetector``.
public struct DetectorSettings: Sendable, Hashable, Codable {
    /// The fewest sources seen before anything is declared.
    public var minimumSources: Int
    /// The slowest growth (per hour, of the infected hosts) called a worm: 0.5/h doubles in 83
    /// minutes. The daily swing of ordinary scanning grows at most ~0.15/h.
    public var minimumGrowthPerHour: Double
    /// How far (as a fraction of the current rate) the growth rate may wander and still count
    /// as settled.
    public var tolerance: Double
    /// By how much the estimated infected hosts must have grown while the rate held, for "active".
    public var growthFactor: Double
    /// How far the growth rate may drift per step, as a fraction of itself.
    public var drift: Double
    /// The new sources that make one step of the filters: intervals are pooled until they
    /// have seen this many (so a step carries about the same information however fast the
    /// worm is).
    public var stepSources: Int

    /// Creates settings; the defaults are the ones `wormwatch evaluate` measures.
    public init(minimumSources: Int = 10, minimumGrowthPerHour: Double = 0.5, tolerance: Double = 0.2,
                growthFactor: Double = 2, drift: Double = 0.05, stepSources: Int = 20) {
        self.minimumSources = minimumSources; self.minimumGrowthPerHour = minimumGrowthPerHour
        self.tolerance = tolerance; self.growthFactor = growthFactor; self.drift = drift; self.stepSources = stepSources
    }

    enum CodingKeys: String, CodingKey {
        case minimumSources = "minimum_sources"
        case minimumGrowthPerHour = "minimum_growth_per_hour"
        case tolerance
        case growthFactor = "growth_factor"
        case drift
        case stepSources = "step_sources"
    }
}

/// Where the detector stands after an interval.
public struct DetectorReading: Sendable, Hashable, Codable {
    /// The end of the interval, in seconds since 1970.
    public var time: Double
    /// The level.
    public var level: AlertLevel
    /// The bias-corrected estimate of the infected hosts, once there is one.
    public var estimate: InfectionEstimate?
    /// The effective growth rate per hour (ln of the growth per interval, per hour).
    public var growthPerHour: Double?
    /// Its standard deviation.
    public var growthDeviation: Double?
    /// The vulnerable population α/β, once the filter has seen the growth slow.
    public var population: Double?
    /// Sources seen so far.
    public var observed: Int

    enum CodingKeys: String, CodingKey {
        case time, level, estimate, observed, population
        case growthPerHour = "growth_per_hour"
        case growthDeviation = "growth_deviation"
    }
}

/// The "worm has gone active" detector of one family: Zou et al.'s bias-corrected estimate of
/// the infected hosts, Kalman filters on the logistic, and a level that rises to `active` when
/// the estimated growth rate settles on a positive constant — the trend, not the burst.
///
/// Intervals are pooled into steps of ``DetectorSettings/stepSources`` new sources; each step's
/// mean estimate feeds a ``GrowthKalmanFilter`` (the growth rate) and a
/// ``LogisticKalmanFilter`` (the vulnerable population N = α/β).
///
/// - `watch`: at least ``DetectorSettings/minimumSources`` seen, and the growth rate is above
///   ``DetectorSettings/minimumGrowthPerHour`` by two standard deviations.
/// - `active`: besides, the rate is known to within ``DetectorSettings/tolerance`` (one
///   standard deviation) and has stayed within that tolerance of today's value for at least
///   ``minimumSettledSteps`` steps (and above the minimum) for as long as the estimated infected hosts (the filtered
///   level) grew by ``DetectorSettings/growthFactor``. A linear ramp fails it (its rate halves
///   while it doubles); so does the daily swing (its rate is far below a worm's); so does a
///   monitor discovering a steady population (the seen sources grow, the estimate does not).
///
/// `active` latches: the detector answers "has a worm gone active", not "is it still growing".
/// `watch` falls back to `quiet` when its condition fails.
public struct WormDetector: Sendable {
    /// The settings.
    public let settings: DetectorSettings
    /// The estimator of the infected hosts.
    public private(set) var estimator: InfectionEstimator
    /// The filter on the growth rate.
    public private(set) var growth: GrowthKalmanFilter
    /// The filter on the discrete logistic, for N.
    public private(set) var logistic: LogisticKalmanFilter
    /// The level now.
    public private(set) var level = AlertLevel.quiet
    private var history: [(time: Double, growth: Double, observed: Int, level: Double)] = []
    private var pooled: (count: Int, observed: Double, new: Double, spread: Double, time: Double, sources: Int) = (0, 0, 0, 0, 0, 0)
    /// One step of pooled intervals, kept so the filters can be run again when p moves: every
    /// estimate then uses the same p, and a p that settles is not taken for growth.
    private struct Step {
        var time: Double, end: Double, observed: Double, new: Double, spread: Double, seen: Int
    }
    private var steps: [Step] = []
    private var filteredWith = 0.0
    private var lastReading: (growth: Double, deviation: Double)?
    private var lastEstimate: InfectionEstimate?

    /// The fewest steps the rate must have held for, for "active".
    public static let minimumSettledSteps = 4

    /// Creates a detector for monitors of the given coverage.
    public init(coverage: MonitorCoverage, settings: DetectorSettings = DetectorSettings()) {
        self.settings = settings
        self.estimator = InfectionEstimator(coverage: coverage)
        self.growth = GrowthKalmanFilter(drift: settings.drift)
        self.logistic = LogisticKalmanFilter(scale: 1e6, processNoise: 0.002)
    }

    /// Adds the next interval; returns the reading and the change of level, if any.
    public mutating func add(_ interval: MonitoredInterval) -> (reading: DetectorReading, change: LevelChange?) {
        let estimate = estimator.add(interval)
        var reading = DetectorReading(time: interval.end, level: level, estimate: estimate, observed: estimator.observed)
        reading.growthPerHour = lastReading?.growth
        reading.growthDeviation = lastReading?.deviation
        reading.population = logistic.population
        guard let estimate, interval.seconds > 0 else { return (reading, nil) }
        lastEstimate = estimate
        pooled.count += 1
        pooled.observed += Double(estimate.observed)
        pooled.new += Double(interval.newSources)
        pooled.spread += Double(max(interval.newSources, 1))
        pooled.time += estimate.time
        pooled.sources += interval.newSources
        guard pooled.sources >= settings.stepSources else { return (reading, nil) }
        let n = Double(pooled.count)
        steps.append(Step(time: pooled.time / n, end: interval.end, observed: pooled.observed / n, new: pooled.new / n,
                          spread: pooled.spread / (n * n), seen: estimate.observed))
        pooled = (0, 0, 0, 0, 0, 0)
        let p = estimate.hitProbability
        if filteredWith == 0 || abs(p - filteredWith) > 0.02 * filteredWith {
            // p moved: run the filters again over every step with today's p.
            filteredWith = p
            growth = GrowthKalmanFilter(drift: settings.drift)
            logistic = LogisticKalmanFilter(scale: 1e6, processNoise: 0.002)
            history = []
            for step in steps { filter(step) }
        } else if let step = steps.last {
            filter(step)
        }
        guard growth.steps >= 3, let latest = history.last else { return (reading, nil) }
        let rate = latest.growth, deviation = growth.rateDeviation
        lastReading = (rate, deviation)
        reading.growthPerHour = rate
        reading.growthDeviation = deviation
        reading.population = logistic.population

        let before = level
        var reasons: [String] = []
        let s = settings
        let enough = estimate.observed >= s.minimumSources
        let growing = rate - 2 * deviation > s.minimumGrowthPerHour
        if level != .active {
            if enough && growing {
                level = .watch
                if deviation <= s.tolerance * rate, let held = settled(growth: rate), held.steps >= Self.minimumSettledSteps,
                   growth.level - held.level >= log(s.growthFactor) {
                    level = .active
                    reasons.append(
                        "the growth rate has held at \(Self.rate(rate)) (within ±\(Int((s.tolerance * 100).rounded())) %) for \(Self.duration(interval.end - held.time)) while the estimated infected hosts grew from \(Figures.count(exp(held.level))) to \(Figures.count(exp(growth.level))) and the sources seen from \(held.observed) to \(estimate.observed)")
                }
            } else {
                level = .quiet
            }
        }
        reading.level = level
        guard level != before else { return (reading, nil) }
        if level == .watch {
            reasons.append("sources grow at \(Self.rate(rate)) ± \(String(format: "%.2f", deviation))/h, above the \(String(format: "%.2f", s.minimumGrowthPerHour))/h of a worm")
        } else if level == .quiet {
            reasons.append(enough ? "the growth rate \(Self.rate(rate)) is no longer clearly above \(String(format: "%.2f", s.minimumGrowthPerHour))/h" : "fewer than \(s.minimumSources) sources seen")
        }
        reasons.append("\(estimate.observed) sources seen; about \(Figures.count(estimate.infected)) infected (90 %: \(Figures.count(estimate.low))–\(Figures.count(estimate.high)))")
        return (reading, LevelChange(time: interval.end, from: before, to: level, reasons: reasons))
    }

    /// Where the worm is heading, from the latest step (see ``OutbreakForecast``); `nil` until
    /// the growth filter has run three steps or while the worm is not growing.
    public func forecast() -> OutbreakForecast? {
        guard growth.steps >= 3, let latest = history.last, let estimate = lastEstimate else { return nil }
        let infected = exp(growth.level)
        return OutbreakForecast.make(
            time: latest.time, growthPerHour: growth.rate, growthDeviation: growth.rateDeviation,
            probeRate: estimate.probeRate, probeRateRelativeDeviation: 1 / max(estimator.returns, 1).squareRoot(),
            infected: infected, infectedDeviation: infected * growth.levelDeviation,
            space: Double(estimator.coverage.space))
    }

    /// Feeds one step, estimated with the p the filters run with, to both filters.
    private mutating func filter(_ step: Step) {
        let p = filteredWith
        let unseen = step.new / p
        let variance = step.spread / (p * p) + unseen * unseen * (1 - p) / max(estimator.returns, 1)
        let infected = step.observed + unseen
        growth.update(time: step.time, infected: infected, variance: variance)
        logistic.update(infected: infected, variance: variance)
        if growth.steps >= 3 { history.append((step.end, growth.rate, step.seen, growth.level)) }
    }

    /// The earliest step from which the growth rate has stayed within the tolerance of
    /// `growth` and above the minimum, up to now.
    private func settled(growth: Double) -> (time: Double, observed: Int, level: Double, steps: Int)? {
        var earliest: (time: Double, observed: Int, level: Double, steps: Int)?
        var steps = 0
        for entry in history.reversed() {
            guard abs(entry.growth - growth) <= settings.tolerance * growth, entry.growth >= settings.minimumGrowthPerHour else { break }
            steps += 1
            earliest = (entry.time, entry.observed, entry.level, steps)
        }
        return earliest
    }

    static func rate(_ perHour: Double) -> String {
        let doubling = log(2) / perHour * 3600
        let text = doubling < 120 ? String(format: "%.0f s", doubling) : String(format: "%.0f min", doubling / 60)
        return String(format: "%.2f/h (doubling every ", perHour) + text + ")"
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 3600 ? String(format: "%.1f h", seconds / 3600) : seconds >= 120 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
    }

}
