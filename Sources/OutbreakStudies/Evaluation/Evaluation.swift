import Foundation
import EarlyWarning
import Outbreak
import OutbreakScenarios
import WormWatchCore

/// What `wormwatch evaluate` runs: the replay → estimate → alarm loop over many seeds, without
/// HTTP, for worms and for scanners that do not spread.
public struct EvaluationRequest: Sendable, Hashable {
    /// Runs per scenario.
    public var runs: Int
    /// The seed of the random streams.
    public var seed: UInt64
    /// The monitored blocks, seen as one telescope (default: one /16, LBNL's 131.243.0.0/16).
    public var monitors: [IPv4Prefix]
    /// The worm presets (default: codered-v2 and slammer).
    public var worms: [String]
    /// The noise shapes (default: all).
    public var noise: [ScannerNoise.Shape]
    /// The detector's settings.
    public var settings: DetectorSettings
    /// The sensors' reporting interval, per worm preset, where it differs from the preset's
    /// own: Slammer doubled every 8.5 s, so it is watched second by second.
    public var intervals: [String: Double] = ["slammer": 1]
    /// Worker threads (0: one per core).
    public var threads: Int

    /// The most runs per scenario.
    public static let maximumRuns = 10_000
    /// The default telescope.
    public static let defaultMonitor = IPv4Prefix(base: 0x83F3_0000, length: 16)

    /// Creates a request.
    public init(runs: Int = 50, seed: UInt64 = 1, monitors: [IPv4Prefix] = [EvaluationRequest.defaultMonitor],
                worms: [String] = ["codered-v2", "slammer"], noise: [ScannerNoise.Shape] = ScannerNoise.Shape.allCases,
                settings: DetectorSettings = DetectorSettings(), threads: Int = 0) {
        self.runs = runs; self.seed = seed; self.monitors = monitors; self.worms = worms
        self.noise = noise; self.settings = settings; self.threads = threads
    }

    /// Checks the request's settings.
    public func check() throws(StudyError) {
        guard (1...Self.maximumRuns).contains(runs) else {
            throw .request(RequestError(setting: "runs", reason: "must be between 1 and \(Self.maximumRuns) (got \(runs))"))
        }
        try WorkerThreads.check(threads)
        guard !monitors.isEmpty else { throw .request(RequestError(setting: "monitor", reason: "at least one block is needed")) }
        for (i, a) in monitors.enumerated() {
            for b in monitors[(i + 1)...] where a.overlap(with: b) > 0 {
                throw .request(RequestError(setting: "monitor", subject: "\(b)", reason: "overlaps \(a)"))
            }
        }
    }

    var coverage: MonitorCoverage { MonitorCoverage(monitored: monitors.reduce(0) { $0 + $1.size }) }
}

/// One run of one scenario through the detectors.
public struct EvaluationRun: Sendable, Hashable {
    /// Hours from the start to the Kalman detector's `active`, if it went off.
    public var detectionHours: Double?
    /// The true infected fraction then (worms only).
    public var fractionAtDetection: Double?
    /// Hours from the start to the CUSUM alarm at the calibrated threshold, if it went off.
    public var baselineHours: Double?
    /// The true infected fraction then (worms only).
    public var baselineFraction: Double?
    /// The highest CUSUM statistic of the run.
    public var baselineHighest: Double
    /// The median relative error of the infected estimate from 1 % infected until spreading stops.
    public var medianEstimateError: Double?
    /// The 95th percentile of that error.
    public var worstEstimateError: Double?
    /// The share of those intervals whose estimate's 90 % band held the truth.
    public var estimateCoverage: Double?
    /// The estimated probe rate per host (η) when the detector went off, per second.
    public var probeRate: Double?
    /// The forecast made when 10 % were first infected.
    public var forecast: OutbreakForecast?
    /// Whether its 90 % bands held the truth: final size, time to 50 %, time to 90 %.
    public var forecastCovered: [Bool]?
    /// The forecast's median final size over the truth, minus one.
    public var forecastError: Double?
}

/// The runs of one scenario, summarised.
public struct EvaluationResult: Sendable, Hashable {
    /// The scenario (a worm preset or `noise-SHAPE`).
    public var scenario: String
    /// Whether it is a worm (`false`: noise, where any alarm is a false alarm).
    public var isWorm: Bool
    /// Every run.
    public var runs: [EvaluationRun]
    /// The worm's true probe rate per host (mean), per second.
    public var trueProbeRate: Double?
}

/// The whole evaluation: every scenario's runs, the detector's settings and the CUSUM
/// threshold calibrated to the same false-alarm rate.
public struct Evaluation: Sendable, Hashable {
    /// The request.
    public var request: EvaluationRequest
    /// Per scenario, worms first.
    public var results: [EvaluationResult]
    /// The CUSUM threshold: just above the highest statistic of the noise runs on separate
    /// calibration seeds, so the baseline also has no false alarm there.
    public var baselineThreshold: Double

    /// Runs the evaluation; `progress` gets the scenario and runs finished; `nil` if cancelled.
    public static func run(_ request: EvaluationRequest, progress: (@Sendable (String, Int) -> Void)? = nil,
                           cancellation: CancellationFlag? = nil) throws(StudyError) -> Evaluation? {
        try request.check()
        let coverage = request.coverage
        // Calibrate the baseline on noise runs of other seeds.
        var highest = 0.0
        for shape in request.noise {
            let noise = ScannerNoise(shape: shape)
            guard let values = parallel(request.runs, threads: request.threads, cancellation: cancellation, progress: { progress?("calibrate noise-\(shape.rawValue)", $0) }, { run in
                var cusum = CUSUMDetector()
                for interval in noise.intervals(coverage: coverage, seed: request.seed &+ 1_000_003, run: run) { cusum.add(newSources: interval.newSources) }
                return cusum.highest
            }) else { return nil }
            highest = max(highest, values.max() ?? 0)
        }
        let threshold = highest * 1.05 + 1
        var results: [EvaluationResult] = []
        for name in request.worms {
            var scenario: Scenario
            do { scenario = try ScenarioCatalog.load(name) } catch { throw .scenario(error) }
            scenario.monitors = [Monitor(name: "telescope", prefixes: request.monitors)]
            if let seconds = request.intervals[name] { scenario.interval = seconds }
            let engine: ExactEngine
            do { engine = try ExactEngine(scenario: scenario) } catch { throw .scenario(.brokenPreset(name: name, error)) }
            let settings = request.settings, seed = request.seed, population = scenario.population.size
            guard let runs = parallel(request.runs, threads: request.threads, cancellation: cancellation, progress: { progress?(name, $0) }, { run in
                evaluate(record: engine.run(seed: seed, run: run), population: population, coverage: coverage,
                         settings: settings, threshold: threshold)
            }) else { return nil }
            results.append(EvaluationResult(scenario: name, isWorm: true, runs: runs, trueProbeRate: meanProbeRate(scenario)))
        }
        for shape in request.noise {
            let noise = ScannerNoise(shape: shape)
            let settings = request.settings, seed = request.seed
            guard let runs = parallel(request.runs, threads: request.threads, cancellation: cancellation, progress: { progress?("noise-\(shape.rawValue)", $0) }, { run in
                evaluate(intervals: noise.intervals(coverage: coverage, seed: seed, run: run), truth: nil, start: Double(noise.start),
                         coverage: coverage, settings: settings, threshold: threshold)
            }) else { return nil }
            results.append(EvaluationResult(scenario: "noise-\(shape.rawValue)", isWorm: false, runs: runs, trueProbeRate: nil))
        }
        return Evaluation(request: request, results: results, baselineThreshold: threshold)
    }

    /// Runs the evaluation from async code; cancelling the task stops it.
    public static func run(_ request: EvaluationRequest, progress: (@Sendable (String, Int) -> Void)? = nil) async throws -> Evaluation {
        try request.check()
        let outcome = await BlockingWork.run { flag in Result { () throws(StudyError) in try run(request, progress: progress, cancellation: flag) } }
        guard let evaluation = try outcome.get() else { throw CancellationError() }
        return evaluation
    }

    static func meanProbeRate(_ scenario: Scenario) -> Double? { scenario.worm.probeRate.mean }

    /// Feeds one engine record's monitor counts through the detectors.
    static func evaluate(record: OutbreakRecord, population: Int, coverage: MonitorCoverage, settings: DetectorSettings,
                         threshold: Double) -> EvaluationRun {
        var intervals: [MonitoredInterval] = []
        var truth: [Double] = []
        var previous = 0.0
        var stillSpreading = 0
        for (k, row) in record.rows.enumerated() {
            let counts = row.monitors.first ?? MonitorCounts()
            intervals.append(MonitoredInterval(start: Double(record.startTime) + previous, seconds: row.time - previous,
                                               probes: counts.probes, distinctSources: counts.distinctSources, newSources: counts.newSources))
            truth.append(Double(row.infected) / Double(max(population, 1)))
            if row.newInfections > 0 { stillSpreading = k }
            previous = row.time
        }
        var run = evaluate(intervals: intervals, truth: (truth, population, stillSpreading), start: Double(record.startTime),
                           coverage: coverage, settings: settings, threshold: threshold)
        if let forecast = run.forecast {
            let s = record.summary
            let final = Double(s.everInfected)
            let start = Double(record.startTime)
            // The truth for the times: when half and 90 % of the hosts ever infected were infected.
            func time(to fraction: Double) -> Double? {
                var previous = 0.0
                for row in record.rows {
                    if Double(row.everInfected) >= fraction * final { return start + row.time - (row.time - previous) / 2 }
                    previous = row.time
                }
                return nil
            }
            run.forecastError = forecast.finalSize.median / final - 1
            run.forecastCovered = [forecast.finalSize.contains(final),
                                   time(to: 0.5).map { forecast.timeTo50Percent.contains($0) } ?? false,
                                   time(to: 0.9).map { forecast.timeTo90Percent.contains($0) } ?? false]
        }
        return run
    }

    /// Feeds intervals through the detectors; `truth` is the infected fraction at the end of
    /// each interval, the population and the last interval with new infections.
    static func evaluate(intervals: [MonitoredInterval], truth: (fractions: [Double], population: Int, spreadingUntil: Int)?,
                         start: Double, coverage: MonitorCoverage, settings: DetectorSettings, threshold: Double) -> EvaluationRun {
        var detector = WormDetector(coverage: coverage, settings: settings)
        var cusum = CUSUMDetector(threshold: threshold)
        var run = EvaluationRun(baselineHighest: 0)
        var errors: [Double] = []
        var inBand = 0
        for (k, interval) in intervals.enumerated() {
            let (reading, _) = detector.add(interval)
            let hours = (interval.end - start) / 3600
            if run.detectionHours == nil, reading.level == .active {
                run.detectionHours = hours
                run.fractionAtDetection = truth?.fractions[k]
                run.probeRate = reading.estimate?.probeRate
            }
            if let truth, run.forecast == nil, truth.fractions[k] >= 0.1 { run.forecast = detector.forecast() }
            if cusum.add(newSources: interval.newSources), run.baselineHours == nil {
                run.baselineHours = hours
                run.baselineFraction = truth?.fractions[k]
            }
            // The estimate is for the end of the interval before.
            if let truth, let estimate = reading.estimate, k >= 1, k - 1 <= truth.spreadingUntil {
                let fraction = truth.fractions[k - 1]
                if fraction >= 0.01 {
                    let infected = fraction * Double(truth.population)
                    errors.append(abs(estimate.infected - infected) / infected)
                    if estimate.low <= infected && infected <= estimate.high { inBand += 1 }
                }
            }
        }
        run.baselineHighest = cusum.highest
        if !errors.isEmpty {
            run.estimateCoverage = Double(inBand) / Double(errors.count)
            errors.sort()
            run.medianEstimateError = errors[errors.count / 2]
            run.worstEstimateError = errors[min(errors.count - 1, Int(Double(errors.count) * 0.95))]
        }
        return run
    }

    /// Runs `body(index)` for every index on `threads` threads, results in order; `nil` if cancelled.
    static func parallel<T: Sendable>(_ count: Int, threads: Int, cancellation: CancellationFlag?, progress: (@Sendable (Int) -> Void)?,
                                      _ body: @Sendable @escaping (Int) -> T) -> [T]? {
        ParallelRuns.map(count, threads: threads, progress: progress, cancellation: cancellation) { Optional(body($0)) }
    }
}
