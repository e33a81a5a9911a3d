import EarlyWarning
import Foundation
import Outbreak
import OutbreakScenarios
import Testing
import WormWatchCore

/// A Code Red v2 run seen by one telescope, as the detector gets it, with the truth.
struct ObservedRun {
    var intervals: [MonitoredInterval] = []
    var infected: [Int] = []
    var newInfections: [Int] = []
    var population = 0
    var coverage: MonitorCoverage

    init(preset: String, prefixes: [IPv4Prefix], seed: UInt64, interval: Double? = nil) throws {
        var scenario = try ScenarioCatalog.load(preset)
        scenario.monitors = [Monitor(name: "telescope", prefixes: prefixes)]
        if let interval { scenario.interval = interval }
        let record = try ExactEngine(scenario: scenario).run(seed: seed)
        coverage = MonitorCoverage(monitored: prefixes.reduce(0) { $0 + $1.size })
        population = scenario.population.size
        var previous = 0.0
        for row in record.rows {
            let c = row.monitors[0]
            intervals.append(MonitoredInterval(start: Double(record.startTime) + previous, seconds: row.time - previous,
                                               probes: c.probes, distinctSources: c.distinctSources, newSources: c.newSources))
            infected.append(row.infected)
            newInfections.append(row.newInfections)
            previous = row.time
        }
    }
}

@Suite("Estimating the infected hosts (Zou et al.'s bias correction)")
struct EstimationTests {
    static let slashEight = IPv4Prefix(base: 0x2C00_0000, length: 8)
    static let slashSixteen = IPv4Prefix(base: 0x83F3_0000, length: 16)

    @Test("with a /8 telescope the estimate is within 0.5 % of the engine's truth from 1 % infected until spreading stops, and its band holds it")
    func slashEightAccuracy() throws {
        let run = try ObservedRun(preset: "codered-v2", prefixes: [Self.slashEight], seed: 7)
        var estimator = InfectionEstimator(coverage: run.coverage)
        var errors: [Double] = []
        var inBand = 0
        let lastSpreading = try #require(run.newInfections.lastIndex { $0 > 0 })
        for (k, interval) in run.intervals.enumerated() {
            guard let estimate = estimator.add(interval), k >= 1, k - 1 <= lastSpreading else { continue }
            let truth = Double(run.infected[k - 1])
            guard truth >= 0.01 * Double(run.population) else { continue }
            errors.append(abs(estimate.infected - truth) / truth)
            if estimate.low <= truth && truth <= estimate.high { inBand += 1 }
        }
        #expect(errors.count > 100)
        // Without the correction for hosts seen in the interval they were infected in, the
        // estimate ran about 2 % high while Code Red grew, far outside its band.
        #expect(Double(inBand) / Double(errors.count) > 0.85, "band held the truth in \(inBand) of \(errors.count)")
        errors.sort()
        #expect(errors[errors.count / 2] < 0.001, "median error \(errors[errors.count / 2])")
        #expect(errors[errors.count * 95 / 100] < 0.005, "95th percentile \(errors[errors.count * 95 / 100])")
    }

    @Test("p and η come from the returning sources: a /16 recovers Code Red's 6 probes/s within 15 %")
    func probeRate() throws {
        let run = try ObservedRun(preset: "codered-v2", prefixes: [Self.slashSixteen], seed: 3)
        var estimator = InfectionEstimator(coverage: run.coverage)
        var atHalf: InfectionEstimate?
        for (k, interval) in run.intervals.enumerated() {
            let estimate = estimator.add(interval)
            if atHalf == nil, k >= 1, run.infected[k - 1] * 2 >= run.population { atHalf = estimate }
        }
        let estimate = try #require(atHalf)
        let p: Double = 1 - pow(1 - 1.0 / 65_536.0, 360.0)
        #expect(abs(estimate.hitProbability - p) / p < 0.15, "p \(estimate.hitProbability) against \(p)")
        #expect(abs(estimate.probeRate - 6) / 6 < 0.15, "η \(estimate.probeRate)")
    }

    @Test("the first sources give no estimate until enough have returned")
    func noEstimateEarly() {
        var estimator = InfectionEstimator(coverage: MonitorCoverage(monitored: 65_536))
        let first = estimator.add(MonitoredInterval(start: 0, seconds: 60, probes: 3, distinctSources: 3, newSources: 3))
        let second = estimator.add(MonitoredInterval(start: 60, seconds: 60, probes: 5, distinctSources: 5, newSources: 4))
        #expect(first == nil && second == nil)
        #expect(estimator.observed == 7)
        #expect(estimator.hitProbability == nil)
    }

    @Test("exact arithmetic: I(t−1) = C(t−1) + (C(t) − C(t−1))/p with p from the returns")
    func arithmetic() throws {
        var estimator = InfectionEstimator(coverage: MonitorCoverage(monitored: 1 << 24))
        // 100 sources, then 10 return (p = 0.1) and 10 are new.
        _ = estimator.add(MonitoredInterval(start: 0, seconds: 60, probes: 100, distinctSources: 100, newSources: 100))
        let added = estimator.add(MonitoredInterval(start: 60, seconds: 60, probes: 20, distinctSources: 20, newSources: 10))
        let estimate = try #require(added)
        #expect(estimate.hitProbability == 0.1)
        #expect(estimate.observed == 100)
        #expect(abs(estimate.infected - 200) < 1e-9)
        // η = −ln(1 − p) / (Δ·ω/Ω) = 0.10536 / (60/256).
        #expect(abs(estimate.probeRate - (-log(0.9) / (60.0 / 256))) < 1e-9)
        #expect(estimate.low >= 100 && estimate.low < 200 && estimate.high > 200)
    }
}

@Suite("The growth-rate filter")
struct GrowthFilterTests {
    @Test("an exponential with Poisson-sized noise gives its rate; a linear ramp's rate falls as 1/t")
    func rates() {
        var filter = GrowthKalmanFilter()
        // I = 100·e^(1.8 t), measured every 2 minutes with a 5 % error (deterministic wobble).
        for k in 0..<60 {
            let t = Double(k) * 120
            let truth = 100 * exp(1.8 * t / 3600)
            let wobble = 1 + 0.05 * sin(Double(k) * 2.3)
            filter.update(time: t, infected: truth * wobble, variance: pow(0.05 * truth, 2))
        }
        #expect(abs(filter.rate - 1.8) < 0.1, "rate \(filter.rate)")
        #expect(filter.rateDeviation < 0.3)
        var ramp = GrowthKalmanFilter()
        var rates: [Double] = []
        for k in 1...120 {
            let t = Double(k) * 120
            ramp.update(time: t, infected: 50 * t / 3600, variance: pow(0.02 * 50 * t / 3600, 2))
            if k % 30 == 0 { rates.append(ramp.rate) }
        }
        // At 1, 2, 3, 4 hours the rate of I ∝ t is 1/t per hour.
        for (i, rate) in rates.enumerated() {
            let expected = 1 / Double(i + 1)
            #expect(abs(rate - expected) < 0.3 * expected, "ramp rate \(rate) at \(i + 1) h, expected \(expected)")
        }
    }
}

@Suite("The CUSUM baseline")
struct CUSUMTests {
    func add(_ cusum: inout CUSUMDetector, _ x: Int) -> Bool { cusum.add(newSources: x) }

    @Test("learns the mean, then S(t) = max(0, S(t−1) + (x − μ)/σ − k) and alarms above h")
    func statistic() {
        var cusum = CUSUMDetector(trainingIntervals: 4, allowance: 0.5, threshold: 3)
        for x in [4, 4, 4, 4] { let alarm = cusum.add(newSources: x); #expect(!alarm) }
        // μ = 4, σ = 2: x = 8 adds 2 − 0.5 = 1.5; x = 4 subtracts 0.5; x = 0 resets.
        #expect(!add(&cusum, 8))
        #expect(cusum.statistic == 1.5)
        #expect(!add(&cusum, 4))
        #expect(cusum.statistic == 1.0)
        #expect(!add(&cusum, 0))
        #expect(cusum.statistic == 0)
        #expect(!add(&cusum, 10))
        #expect(cusum.statistic == 2.5)
        #expect(add(&cusum, 8))
        #expect(cusum.statistic == 4.0)
        #expect(cusum.alarmed)
    }
}
