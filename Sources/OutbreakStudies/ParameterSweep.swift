import Foundation
import Outbreak
import OutbreakScenarios
import WormWatchCore

/// The per-run figure a sweep summarises at each grid point.
public enum SweepOutcome: String, CaseIterable, Sendable, Hashable {
    /// Hosts infected at the end.
    case finalInfected = "final_infected"
    /// Hosts infected at least once.
    case everInfected = "ever_infected"
    /// Hours until half the population had been infected at least once (NaN: never).
    case timeTo50PercentHours = "time_to_50pct_hours"
    /// The highest interval-mean worm traffic, bits per second.
    case peakTrafficBitsPerSecond = "peak_traffic_bits_per_second"
    /// The largest number of new infections in one minute.
    case peakNewInfectionsPerMinute = "peak_new_infections_per_minute"

    /// The figure of one run (NaN when the run never reached it).
    public func value(_ summary: OutbreakSummary) -> Double {
        switch self {
        case .finalInfected: return Double(summary.finalInfected)
        case .everInfected: return Double(summary.everInfected)
        case .timeTo50PercentHours: return summary.timeTo50Percent.map { $0 / 3600 } ?? .nan
        case .peakTrafficBitsPerSecond: return summary.peakTrafficBitsPerSecond
        case .peakNewInfectionsPerMinute: return summary.peakNewInfectionsPerMinute
        }
    }

    /// Words for axis labels.
    public var label: String {
        switch self {
        case .finalInfected: return "hosts infected at the end"
        case .everInfected: return "hosts ever infected"
        case .timeTo50PercentHours: return "hours to 50 % ever infected"
        case .peakTrafficBitsPerSecond: return "peak traffic (bit/s)"
        case .peakNewInfectionsPerMinute: return "peak new infections per minute"
        }
    }
}

/// One swept parameter, in scenario-file units, and the values it takes.
public struct SweepParameter: Sendable, Hashable {
    /// The parameter's name as in a scenario file (`worm.probe_rate`).
    public var name: String
    /// The values, in the order given.
    public var values: [Double]

    /// The names that can be swept, in the order they are applied to a scenario.
    public static let knownNames = [
        "worm.probe_rate", "worm.initial_infected", "worm.infection_delay_seconds", "population.size",
        "host_events.patch_rate_per_hour", "host_events.patch_from_hours", "host_events.clean_rate_per_hour",
        "host_events.reboot_rate_per_hour", "network.congestion_exponent", "duration_hours",
    ]

    /// The most grid points a sweep may have.
    public static let maxPoints = 10_000

    /// Names whose values must be whole numbers.
    static let wholeNames: Set<String> = ["worm.initial_infected", "population.size"]

    /// Creates a parameter (unchecked; see ``parse(_:)``).
    public init(name: String, values: [Double]) { self.name = name; self.values = values }

    /// Parses `NAME=V1,V2,...` or `NAME=A:B:N` (N evenly spaced values from A to B).
    public static func parse(_ text: String) throws(RequestError) -> SweepParameter {
        guard let equals = text.firstIndex(of: "=") else {
            throw RequestError(setting: "vary", reason: "expected NAME=V1,V2,... or NAME=A:B:N (got '\(text)')")
        }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        let list = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard knownNames.contains(name) else {
            throw RequestError(setting: "vary", reason: "unknown parameter '\(name)'", hint: "parameters: " + knownNames.joined(separator: ", "))
        }
        func problem(_ reason: String) -> RequestError { RequestError(setting: "vary", subject: name, reason: reason) }
        guard !list.isEmpty else { throw problem("no values") }
        func number(_ s: Substring) throws(RequestError) -> Double {
            let t = s.trimmingCharacters(in: .whitespaces)
            guard let x = Double(t) else { throw problem("'\(t)' is not a number") }
            guard x.isFinite else { throw problem("'\(t)' is not a finite number") }
            return x
        }
        var values: [Double] = []
        if list.contains(":") {
            let parts = list.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw problem("expected A:B:N, N evenly spaced values from A to B (got '\(list)')")
            }
            let a = try number(parts[0]), b = try number(parts[1])
            let nText = parts[2].trimmingCharacters(in: .whitespaces)
            guard let n = Int(nText), n >= 1, n <= maxPoints else {
                throw problem("in A:B:N, N must be a whole number from 1 to \(maxPoints) (got '\(nText)')")
            }
            values = n == 1 ? [a] : (0..<n).map { i in i == n - 1 ? b : a + (b - a) * Double(i) / Double(n - 1) }
        } else {
            for part in list.split(separator: ",", omittingEmptySubsequences: false) { values.append(try number(part)) }
        }
        if wholeNames.contains(name) {
            for v in values where v != v.rounded() || Swift.abs(v) > 1e12 {
                throw problem("takes whole numbers (got \(TextTable.number(v)))")
            }
        }
        guard values.count <= maxPoints else {
            throw problem("has \(values.count) values; at most \(maxPoints)")
        }
        return SweepParameter(name: name, values: values)
    }

    /// Sets this parameter to `value` (scenario-file units) in `scenario`.
    public func apply(_ value: Double, to scenario: inout Scenario) throws(RequestError) {
        switch name {
        case "worm.probe_rate": scenario.worm.probeRate = .fixed(value)
        case "worm.initial_infected": scenario.worm.initialInfected = Int(value)
        case "worm.infection_delay_seconds": scenario.worm.infectionDelay = value
        case "population.size": scenario.population.size = Int(value)
        case "host_events.patch_rate_per_hour": scenario.hostEvents.patchSchedule = [.init(start: 0, rate: value / 3600)]
        case "host_events.patch_from_hours":
            guard let last = scenario.hostEvents.patchSchedule.indices.last else {
                throw RequestError(setting: "vary", subject: name, reason: "scenario '\(scenario.name)' has no patch step to move",
                                   hint: "vary host_events.patch_rate_per_hour as well, or add host_events.patch to the scenario")
            }
            scenario.hostEvents.patchSchedule[last].start = value * 3600
        case "host_events.clean_rate_per_hour": scenario.hostEvents.cleanRate = value / 3600
        case "host_events.reboot_rate_per_hour": scenario.hostEvents.rebootRate = value / 3600
        case "network.congestion_exponent": scenario.network.congestionExponent = value
        case "duration_hours": scenario.duration = value * 3600
        default: throw RequestError(setting: "vary", reason: "unknown parameter '\(name)'",
                                    hint: "parameters: " + SweepParameter.knownNames.joined(separator: ", "))
        }
    }
}

/// A scenario over a grid of one or two parameters: every grid point's scenario, checked.
///
/// Points are ordered with the first parameter outermost: point `i·n₂ + j` has the first
/// parameter's value `i` and the second's value `j`.
public struct ParameterSweep: Sendable {
    /// The base scenario.
    public var scenario: Scenario
    /// The swept parameters (one or two).
    public var parameters: [SweepParameter]
    /// Each point's parameter values, in the order of ``parameters``.
    public var points: [[Double]]
    /// Each point's engine (and through it, its scenario).
    public var engines: [ExactEngine]
    /// Each point's scenario.
    public var scenarios: [Scenario] { engines.map(\.scenario) }

    /// Builds and validates every grid point's scenario.
    public init(scenario: Scenario, parameters: [SweepParameter]) throws(RequestError) {
        guard (1...2).contains(parameters.count) else {
            throw RequestError(setting: "vary", reason: "give one or two parameters (got \(parameters.count))")
        }
        if parameters.count == 2 && parameters[0].name == parameters[1].name {
            throw RequestError(setting: "vary", subject: parameters[0].name, reason: "is given twice")
        }
        let count = parameters.reduce(1) { $0 * $1.values.count }
        guard count >= 1 else { throw RequestError(setting: "vary", reason: "the grid has no points") }
        guard count <= SweepParameter.maxPoints else {
            throw RequestError(setting: "vary", reason: "the grid has \(count) points; at most \(SweepParameter.maxPoints)")
        }
        let points = Self.grid(parameters)
        // Apply in a fixed order so that a patch rate is set before its start is moved.
        let order = parameters.indices.sorted {
            (SweepParameter.knownNames.firstIndex(of: parameters[$0].name) ?? 0)
                < (SweepParameter.knownNames.firstIndex(of: parameters[$1].name) ?? 0)
        }
        var engines: [ExactEngine] = []
        engines.reserveCapacity(count)
        for values in points {
            var s = scenario
            for k in order { try parameters[k].apply(values[k], to: &s) }
            do { engines.append(try ExactEngine(scenario: s)) } catch {
                let at = zip(parameters, values).map { "\($0.name)=\(TextTable.number($1))" }.joined(separator: ", ")
                throw RequestError(setting: "vary", subject: at, reason: "gives an invalid scenario: \(error.description)")
            }
        }
        self.scenario = scenario; self.parameters = parameters; self.points = points; self.engines = engines
    }

    /// Runs `runs` outbreaks at every point on `threads` threads (0: one per core). Run `r` of
    /// point `p` uses the stream `(seed, p·runs + r)`, so the result does not depend on `threads`.
    /// `progress` is called with the number of finished runs, from any thread; `nil` if
    /// `cancellation` was set before the end.
    public func run(seed: UInt64, runs: Int, threads: Int = 0, outcome: SweepOutcome,
                    progress: (@Sendable (Int) -> Void)? = nil, cancellation: CancellationFlag? = nil) -> SweepResult? {
        let perPoint = Swift.max(1, runs)
        guard let all = summaries(seed: seed, runs: perPoint, indices: 0..<(engines.count * perPoint), threads: threads,
                                  progress: progress, cancellation: cancellation) else { return nil }
        return SweepResult(scenario: scenario.name, parameters: parameters, points: points, seed: seed, runs: perPoint,
                           outcome: outcome, summaries: Self.byPoint(all, points: engines.count, runs: perPoint))
    }

    /// The summaries of the sweep's runs with the given indices (run r of point p is index
    /// p·runs + r and uses the stream (seed, p·runs + r)), in index order; `nil` if cancelled.
    public func summaries(seed: UInt64, runs: Int, indices: Range<Int>, threads: Int = 0,
                          progress: (@Sendable (Int) -> Void)? = nil, cancellation: CancellationFlag? = nil) -> [OutbreakSummary]? {
        let perPoint = Swift.max(1, runs)
        let table = engines
        let first = indices.lowerBound
        guard let ensemble = Ensemble.run(runs: indices.count, threads: threads, progress: progress,
                                          cancellation: cancellation, { local in
            let index = first + local
            var record = table[index / perPoint].run(seed: seed, run: index)
            record.rows = []  // only the summary is needed; keeps large grids small
            return record
        }) else { return nil }
        return ensemble.records.map(\.summary)
    }

    /// Cuts every run's summary, in index order, into `summaries[point][run]`.
    public static func byPoint(_ all: [OutbreakSummary], points: Int, runs: Int) -> [[OutbreakSummary]] {
        (0..<points).map { p in Array(all[(p * runs)..<((p + 1) * runs)]) }
    }

    /// The grid of one or two parameters' values, the first parameter outermost.
    public static func grid(_ parameters: [SweepParameter]) -> [[Double]] {
        guard let first = parameters.first else { return [] }
        var points: [[Double]] = first.values.map { [$0] }
        for p in parameters.dropFirst() { points = points.flatMap { point in p.values.map { point + [$0] } } }
        return points
    }
}

/// What `wormwatch sweep` runs: a scenario, one or two parameters and their values
/// (`NAME=V1,V2,...` or `NAME=A:B:N`), runs per point, and the figure summarised.
public struct SweepRequest: Sendable, Hashable {
    /// A preset's name or a scenario file's path.
    public var scenario: String
    /// One or two `NAME=VALUES` texts.
    public var vary: [String]
    /// Runs per grid point.
    public var runs: Int
    /// The seed of the random streams.
    public var seed: UInt64
    /// Worker threads (0: one per core).
    public var threads: Int
    /// The figure summarised at each point.
    public var outcome: SweepOutcome

    /// The most runs per point.
    public static let maximumRunsPerPoint = 100_000
    /// The most runs in all.
    public static let maximumRuns = 1_000_000

    /// Creates a request.
    public init(scenario: String, vary: [String], runs: Int = 10, seed: UInt64 = 1, threads: Int = 0,
                outcome: SweepOutcome = .timeTo50PercentHours) {
        self.scenario = scenario; self.vary = vary; self.runs = runs; self.seed = seed; self.threads = threads; self.outcome = outcome
    }

    /// The request's own bounds (runs, threads, one or two parameters).
    public static func check(runs: Int, threads: Int, varyCount: Int) throws(StudyError) {
        guard (1...maximumRunsPerPoint).contains(runs) else {
            throw .request(RequestError(setting: "runs", reason: "must be between 1 and \(maximumRunsPerPoint) (got \(runs))"))
        }
        try WorkerThreads.check(threads)
        guard (1...2).contains(varyCount) else {
            throw .request(RequestError(setting: "vary", reason: "give one or two parameters (got \(varyCount))"))
        }
    }
}

/// A prepared sweep: the scenario loaded and every grid point checked.
public struct SweepStudy: Sendable {
    /// What was asked.
    public let request: SweepRequest
    /// The grid.
    public let sweep: ParameterSweep

    /// Loads the scenario, parses the parameters and checks every grid point.
    public init(_ request: SweepRequest) throws(StudyError) {
        try SweepRequest.check(runs: request.runs, threads: request.threads, varyCount: request.vary.count)
        let base: Scenario
        do { base = try ScenarioCatalog.load(request.scenario) } catch { throw .scenario(error) }
        do {
            var parameters: [SweepParameter] = []
            for text in request.vary { parameters.append(try SweepParameter.parse(text)) }
            sweep = try ParameterSweep(scenario: base, parameters: parameters)
        } catch {
            throw .request(error)
        }
        let total = sweep.points.count * request.runs
        guard total <= SweepRequest.maximumRuns else {
            throw .request(RequestError(setting: "runs", reason: "\(sweep.points.count) points × \(request.runs) runs is more than \(SweepRequest.maximumRuns) runs"))
        }
        self.request = request
    }

    /// Runs in all: points × runs per point.
    public var totalRuns: Int { sweep.points.count * request.runs }

    /// Runs every point (see ``ParameterSweep/run(seed:runs:threads:outcome:progress:cancellation:)``).
    public func run(progress: (@Sendable (Int) -> Void)? = nil, cancellation: CancellationFlag?) -> SweepResult? {
        sweep.run(seed: request.seed, runs: request.runs, threads: request.threads, outcome: request.outcome,
                  progress: progress, cancellation: cancellation)
    }

    /// Runs every point from async code; cancelling the task stops it.
    public func run(progress: (@Sendable (Int) -> Void)? = nil) async throws(CancellationError) -> SweepResult {
        let study = self
        guard let result = await BlockingWork.run({ flag in study.run(progress: progress, cancellation: flag) }) else {
            throw CancellationError()
        }
        return result
    }
}

/// The result at one grid point.
public struct SweepPoint: Sendable, Hashable {
    /// The parameter values, in the order of the sweep's parameters.
    public var values: [Double]
    /// Median and 5–95 % band of the outcome; runs without a value count as later than any
    /// other (so the median is NaN when more than half never reached it).
    public var quantiles: Quantiles
    /// Runs in which the outcome has no value (time to 50 % never reached).
    public var runsWithoutValue: Int
}

/// The result of a sweep: the summarised figure's median and band at every grid point.
public struct SweepResult: Sendable, Hashable {
    /// The base scenario's name.
    public var scenario: String
    /// The swept parameters.
    public var parameters: [SweepParameter]
    /// The seed the runs derive from.
    public var seed: UInt64
    /// Runs per point.
    public var runs: Int
    /// The summarised figure.
    public var outcome: SweepOutcome
    /// The result at each point.
    public var points: [SweepPoint]

    /// Creates a report from each point's run summaries (`summaries[point][run]`).
    public init(scenario: String, parameters: [SweepParameter], points: [[Double]], seed: UInt64, runs: Int,
                outcome: SweepOutcome, summaries: [[OutbreakSummary]]) {
        self.scenario = scenario; self.parameters = parameters; self.seed = seed; self.runs = runs; self.outcome = outcome
        self.points = zip(points, summaries).map { values, list in
            let figures = list.map(outcome.value)
            return SweepPoint(values: values, quantiles: Quantiles(figures), runsWithoutValue: figures.filter(\.isNaN).count)
        }
    }
}
