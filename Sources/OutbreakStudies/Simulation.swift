import Outbreak
import OutbreakScenarios
import WormWatchCore

/// What `wormwatch simulate` runs: a scenario (a preset's name or a file's path), how long,
/// how many runs, and what run 0 keeps besides its time series.
public struct SimulationRequest: Sendable, Hashable {
    /// A preset's name or a scenario file's path.
    public var scenario: String
    /// Simulated hours, overriding the scenario's `duration_hours`.
    public var hours: Double?
    /// The seed of the random streams; run r uses stream (seed, r).
    public var seed: UInt64
    /// Independent runs.
    public var runs: Int
    /// Worker threads (0: one per core); never changes the result.
    public var threads: Int
    /// Run 0 keeps every probe into monitors with `record_probes: true`.
    public var keepProbes: Bool
    /// Run 0 keeps its probe traffic into every /8 per interval.
    public var keepTrafficPerSlash8: Bool

    /// The most runs one request may ask for.
    public static let maximumRuns = 1_000_000
    /// The most worker threads.
    public static let maximumThreads = 1024
    /// The longest simulation, in hours (a leap year).
    public static let maximumHours = 8784.0

    /// Creates a request.
    public init(scenario: String, hours: Double? = nil, seed: UInt64 = 1, runs: Int = 1, threads: Int = 0,
                keepProbes: Bool = false, keepTrafficPerSlash8: Bool = false) {
        self.scenario = scenario; self.hours = hours; self.seed = seed; self.runs = runs; self.threads = threads
        self.keepProbes = keepProbes; self.keepTrafficPerSlash8 = keepTrafficPerSlash8
    }
}

/// A prepared simulation: the scenario loaded and checked against the request, ready to run.
public struct SimulationStudy: Sendable {
    /// What was asked.
    public let request: SimulationRequest
    /// The scenario, with the request's duration.
    public let scenario: Scenario
    let engine: ExactEngine

    /// Loads the request's scenario and checks that the request fits it.
    public init(_ request: SimulationRequest) throws(StudyError) {
        try Self.check(request)
        self.request = request
        var scenario: Scenario
        do { scenario = try ScenarioCatalog.load(request.scenario) } catch { throw .scenario(error) }
        if let hours = request.hours {
            scenario.duration = hours * 3600
            do { try scenario.validate() } catch { throw .request(RequestError(setting: "hours", reason: error.message)) }
        }
        if request.keepTrafficPerSlash8 && scenario.worm.strategy.isSequential {
            throw .request(RequestError(setting: "traffic_per_8",
                                        reason: "is not available for sequence-walking strategies (permutation, static-seed, sequential)"))
        }
        do { engine = try ExactEngine(scenario: scenario) } catch { throw .scenario(.invalid(error)) }
        self.scenario = scenario
    }

    /// The request's own bounds (runs, threads, hours), whatever the scenario.
    public static func check(_ request: SimulationRequest) throws(StudyError) {
        guard (1...SimulationRequest.maximumRuns).contains(request.runs) else {
            throw .request(RequestError(setting: "runs", reason: "must be between 1 and \(SimulationRequest.maximumRuns) (got \(request.runs))"))
        }
        try WorkerThreads.check(request.threads)
        if let hours = request.hours, !(hours.isFinite && hours > 0 && hours <= SimulationRequest.maximumHours) {
            throw .request(RequestError(setting: "hours", reason: "must be more than 0 and at most 8784 (got \(hours))"))
        }
    }

    /// Runs the ensemble. `progress` gets the runs finished (several runs) or, for one run,
    /// the simulated fraction; `cancellation`, when set, stops the work early (the result is
    /// then `nil`).
    public func run(progress: SimulationProgress? = nil, cancellation: CancellationFlag?) -> Simulation? {
        let request = self.request
        let engine = self.engine
        let keepProbes = request.keepProbes, keepTraffic = request.keepTrafficPerSlash8
        let single = request.runs == 1
        var runProgress: (@Sendable (Int) -> Void)?
        var fractionProgress: (@Sendable (Double) -> Void)?
        if let progress {
            if single {
                fractionProgress = { fraction in progress(.simulated(fraction: fraction)) }
            } else {
                runProgress = { done in progress(.runs(done: done)) }
            }
        }
        let fraction = fractionProgress
        guard let ensemble = Ensemble.run(runs: request.runs, threads: request.threads, progress: runProgress, cancellation: cancellation, { run in
            let options = EngineOptions(keepProbes: keepProbes && run == 0, keepTrafficPerSlash8: keepTraffic && run == 0)
            guard let cancellation else { return engine.run(seed: request.seed, run: run, options: options, progress: fraction) }
            return engine.run(seed: request.seed, run: run, options: options, progress: fraction, cancellation: cancellation)
        }) else { return nil }
        return Simulation(scenario: scenario, seed: request.seed, ensemble: ensemble)
    }

    /// Runs the ensemble from async code without blocking the caller's threads; cancelling the
    /// task stops it (throwing `CancellationError`).
    public func run(progress: SimulationProgress? = nil) async throws(CancellationError) -> Simulation {
        let study = self
        let result = await BlockingWork.run { flag in study.run(progress: progress, cancellation: flag) }
        guard let result else { throw CancellationError() }
        return result
    }
}

/// Progress of a simulation: runs finished (ensembles) or the simulated fraction (one run).
public enum SimulationProgressStep: Sendable {
    /// This many runs of the ensemble are done.
    case runs(done: Int)
    /// One run has simulated this fraction (0…1) of its duration.
    case simulated(fraction: Double)
}

/// A progress callback, called from any thread.
public typealias SimulationProgress = @Sendable (SimulationProgressStep) -> Void

/// The result of a simulation: the scenario as run, the seed and every run's record.
public struct Simulation: Sendable {
    /// The scenario that ran.
    public var scenario: Scenario
    /// The seed the runs derive from.
    public var seed: UInt64
    /// The runs.
    public var ensemble: Ensemble

    /// Creates a result.
    public init(scenario: Scenario, seed: UInt64, ensemble: Ensemble) {
        self.scenario = scenario; self.seed = seed; self.ensemble = ensemble
    }

    /// Events the engine processed, over all runs.
    public var events: Int { ensemble.records.reduce(0) { $0 + $1.summary.events } }
}

/// Worker-thread counts every ensemble takes.
public enum WorkerThreads {
    /// 0 (one per core) to 1024.
    public static let range = 0...SimulationRequest.maximumThreads

    /// Checks a thread count.
    public static func check(_ threads: Int) throws(StudyError) {
        guard range.contains(threads) else {
            throw .request(RequestError(setting: "threads", reason: "must be between 0 and \(range.upperBound) (got \(threads))"))
        }
    }
}

/// Why a study cannot run: its scenario, or a setting of the request.
public enum StudyError: UserFacingError, Sendable, Hashable {
    /// The scenario does not load or is not valid.
    case scenario(ScenarioLoadError)
    /// A setting of the request is unusable.
    case request(RequestError)

    /// The error this one wraps.
    var underlying: any UserFacingError {
        switch self {
        case .scenario(let e): e
        case .request(let e): e
        }
    }
    public var location: String { underlying.location }
    public var reason: String { underlying.reason }
    public var hint: String? { underlying.hint }
    public var exitStatus: ExitStatus { underlying.exitStatus }
    public var requestError: RequestError? {
        if case .request(let e) = self { return e }
        return nil
    }
}
