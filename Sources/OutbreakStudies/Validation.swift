import EpidemicModels
import Foundation
import Outbreak
import OutbreakScenarios
import WormWatchCore

/// A figure from the published record of an outbreak, and how to compare a simulation with it.
public struct PublishedFigure: Sendable {
    /// How the published number constrains the simulation.
    public enum Comparison: Sendable {
        /// A measured value: consistent when it lies inside the simulated 5–95 % band.
        case value
        /// "More than": consistent when the simulated median is at least the value.
        case atLeast
        /// A range: consistent when it overlaps the simulated band.
        case window(low: Double, high: Double)
        /// "Within", "less than": consistent when the simulated median is at most the value.
        case atMost
    }

    /// The quantity, in words.
    public var quantity: String
    /// A short machine name (`infected_after_14h`).
    public var key: String
    /// The published number (for a window, its middle).
    public var value: Double
    /// The number as published (`> 2,000`).
    public var text: String
    /// Its unit.
    public var unit: String
    /// How to compare.
    public var comparison: Comparison
    /// Where it comes from.
    public var source: String
    /// Why the simulation may disagree (shown when it does).
    public var caveat: String
    /// Where the published figure is drawn on the report's charts, if anywhere.
    public var marker: Marker?
    /// The per-run simulated value (NaN: the run has none).
    public var simulated: @Sendable (OutbreakRecord, Scenario) -> Double

    /// A published point on one of the report's charts.
    public struct Marker: Sendable {
        /// The two charts of a scenario's report.
        public enum Chart: Sendable { case infected, newInfectionsPerMinute }
        public var chart: Chart
        /// Hours since the scenario's start.
        public var hours: Double
        public var value: Double
        public var label: String
        public init(chart: Chart, hours: Double, value: Double, label: String) {
            self.chart = chart; self.hours = hours; self.value = value; self.label = label
        }
    }

    /// Creates a figure; see the properties.
    public init(quantity: String, key: String, value: Double, text: String, unit: String, comparison: Comparison,
                source: String, caveat: String, marker: Marker? = nil,
                simulated: @escaping @Sendable (OutbreakRecord, Scenario) -> Double) {
        self.quantity = quantity; self.key = key; self.value = value; self.text = text; self.unit = unit
        self.comparison = comparison; self.source = source; self.caveat = caveat; self.marker = marker
        self.simulated = simulated
    }
}

/// One row of a validation: the published figure against the simulated distribution.
public struct ValidationRow: Sendable {
    /// The figure.
    public var figure: PublishedFigure
    /// The simulated median and band.
    public var simulated: Quantiles
    /// Whether the two agree under the figure's comparison.
    public var consistent: Bool
    /// Runs without a value (a fit that failed, say).
    public var missingRuns: Int
}

/// A scenario's ensemble against the published record: one row per published figure.
public struct ValidationResult: Sendable {
    /// The scenario simulated.
    public var scenario: Scenario
    /// The runs.
    public var ensemble: Ensemble
    /// The seed.
    public var seed: UInt64
    /// The rows, in the order of the record.
    public var rows: [ValidationRow]

    /// Compares `ensemble` with `record`.
    public init(scenario: Scenario, ensemble: Ensemble, seed: UInt64, record: [PublishedFigure]) {
        self.scenario = scenario
        self.ensemble = ensemble
        self.seed = seed
        rows = record.map { figure in
            let values = ensemble.records.map { figure.simulated($0, scenario) }
            let finite = values.filter(\.isFinite)
            let q = Quantiles(finite)
            let consistent: Bool
            switch figure.comparison {
            case .value: consistent = q.p05 <= figure.value && figure.value <= q.p95
            case .atLeast: consistent = q.median >= figure.value
            case .atMost: consistent = q.median <= figure.value
            case .window(let low, let high): consistent = q.p05 <= high && low <= q.p95
            }
            return ValidationRow(figure: figure, simulated: q, consistent: finite.isEmpty ? false : consistent,
                                 missingRuns: values.count - finite.count)
        }
    }

    /// K (per hour) of a logistic least-squares fit to a run's ever-infected curve up to `until`.
    public static func fittedK(_ record: OutbreakRecord, until: Double) -> Double {
        let rows = record.rows.filter { $0.time <= until }
        guard rows.count >= 4 else { return .nan }
        do {
            let fit = try ModelFitter.fitLogistic(times: rows.map(\.time), counts: rows.map { Double($0.everInfected) })
            return fit.parameter("K_per_hour")?.value ?? .nan
        } catch {
            return .nan
        }
    }
}

extension PublishedFigure.Comparison {
    /// The comparison's name in JSON: `value`, `at_least`, `at_most` or `window`.
    public var name: String {
        switch self {
        case .value: "value"
        case .atLeast: "at_least"
        case .atMost: "at_most"
        case .window: "window"
        }
    }
}

/// What `wormwatch validate` runs: presets with a published record, and how many runs each.
public struct ValidationRequest: Sendable, Hashable {
    /// The presets (empty: all that have a published record).
    public var presets: [String]
    /// Runs per preset.
    public var runs: Int
    /// The seed of the random streams.
    public var seed: UInt64
    /// Worker threads (0: one per core).
    public var threads: Int

    /// The most runs per preset.
    public static let maximumRuns = 100_000

    /// Creates a request.
    public init(presets: [String] = [], runs: Int = 100, seed: UInt64 = 1, threads: Int = 0) {
        self.presets = presets; self.runs = runs; self.seed = seed; self.threads = threads
    }

    /// The presets validated: those asked for, or all with a record.
    public var validatedPresets: [String] { presets.isEmpty ? PublishedRecord.presets : presets }

    /// Checks the request's own settings: runs, threads and that every preset has a record.
    public func check() throws(StudyError) {
        guard (2...Self.maximumRuns).contains(runs) else {
            throw .request(RequestError(setting: "runs", reason: "must be between 2 and \(Self.maximumRuns) (got \(runs))"))
        }
        try WorkerThreads.check(threads)
        for name in presets where PublishedRecord.figures(for: name) == nil {
            throw .request(RequestError(setting: "presets", subject: name,
                                        reason: "no published record for this preset (those with one: \(PublishedRecord.presets.joined(separator: ", ")))"))
        }
    }
}

/// Validation of presets against the published record.
public enum Validation {
    /// Runs every preset of the request and compares it with its record. `progress` gets the
    /// preset and the runs finished; `nil` if `cancellation` was set before the end.
    public static func run(_ request: ValidationRequest, progress: (@Sendable (String, Int) -> Void)? = nil,
                           cancellation: CancellationFlag?) throws(StudyError) -> [ValidationResult]? {
        try request.check()
        var results: [ValidationResult] = []
        for name in request.validatedPresets {
            let scenario: Scenario
            do { scenario = try ScenarioCatalog.load(name) } catch { throw .scenario(error) }
            let engine: ExactEngine
            do { engine = try ExactEngine(scenario: scenario) } catch { throw .scenario(.brokenPreset(name: name, error)) }
            let seed = request.seed
            let report = progress.map { callback in { @Sendable (done: Int) in callback(name, done) } }
            guard let ensemble = Ensemble.run(runs: request.runs, threads: request.threads, progress: report,
                                              cancellation: cancellation, { engine.run(seed: seed, run: $0) }) else { return nil }
            results.append(ValidationResult(scenario: scenario, ensemble: ensemble, seed: seed,
                                            record: PublishedRecord.figures(for: name) ?? []))
        }
        return results
    }

    /// Runs the validation from async code; cancelling the task stops it.
    public static func run(_ request: ValidationRequest, progress: (@Sendable (String, Int) -> Void)? = nil) async throws -> [ValidationResult] {
        try request.check()
        let outcome = await BlockingWork.run { flag in Result { () throws(StudyError) in try run(request, progress: progress, cancellation: flag) } }
        guard let results = try outcome.get() else { throw CancellationError() }
        return results
    }
}
