import Dispatch
import Foundation
import Outbreak
import OutbreakStudies
import WatchCenter
import WormWatchCore

/// How fast a replay runs: simulated seconds per wall second, or as fast as the center takes it.
public enum ReplaySpeed: Sendable, Hashable, CustomStringConvertible {
    /// This many simulated seconds per wall second.
    case factor(Double)
    /// No waiting.
    case max

    /// Reads `600` or `max`.
    public init?(_ text: String) {
        if text == "max" {
            self = .max
        } else if let x = Double(text), x.isFinite, x > 0 {
            self = .factor(x)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .factor(let x): "\(x)×"
        case .max: "max"
        }
    }
}

/// What `wormwatch replay` is asked for.
public struct ReplayRequest: Sendable {
    /// A preset or a scenario file.
    public var scenario: String
    /// The seed of the run.
    public var seed: UInt64
    /// Hours simulated (the scenario's own duration if nil).
    public var hours: Double?
    /// How fast.
    public var speed: ReplaySpeed
    /// The center's URL.
    public var push: String
    /// The folder holding one `MONITOR.token` per monitor of the scenario.
    public var tokenDirectory: String
    /// The family the counts are filed under (default: the scenario's name).
    public var family: String?
    /// Where batches wait for the center.
    public var spoolRoot: String

    /// Creates a request.
    public init(
        scenario: String, seed: UInt64 = 1, hours: Double? = nil, speed: ReplaySpeed, push: String, tokenDirectory: String,
        family: String? = nil, spoolRoot: String = "wormwatch-spool"
    ) {
        self.scenario = scenario
        self.seed = seed
        self.hours = hours
        self.speed = speed
        self.push = push
        self.tokenDirectory = tokenDirectory
        self.family = family
        self.spoolRoot = spoolRoot
    }
}

/// What a replay did.
public struct ReplaySummary: Sendable {
    /// Lines pushed per monitor.
    public var linesByMonitor: [String: Int]
    /// Each monitor's pusher's summary.
    public var pushes: [String: CenterPusher.Summary]
    /// Wall seconds the replay took (after the simulation).
    public var seconds: Double
}

/// Replays an outbreak into a Watch Center as if each of the scenario's monitors were a
/// registered sensor: the engine runs first, then each interval's counts are pushed when the
/// interval ends, simulated time scaled to wall time.
public struct Replay: Sendable {
    /// The request.
    public let request: ReplayRequest
    /// The study behind it (scenario, engine).
    public let study: SimulationStudy
    /// The family name used.
    public let family: String
    let configurations: [String: PushConfiguration]

    /// Checks the request: the scenario loads, and every monitor has a token file.
    public init(_ request: ReplayRequest) throws(ReplayError) {
        self.request = request
        do {
            study = try SimulationStudy(SimulationRequest(scenario: request.scenario, hours: request.hours, seed: request.seed, keepProbes: true))
        } catch {
            throw .study(error)
        }
        let family = request.family ?? study.scenario.name
        guard FamilyName.isValid(family) else { throw .request(RequestError(setting: "family", subject: family, reason: FamilyName.rule)) }
        self.family = family
        guard !study.scenario.monitors.isEmpty else {
            throw .request(RequestError(setting: "scenario", subject: request.scenario, reason: "has no monitors: there is nothing to replay"))
        }
        var configurations: [String: PushConfiguration] = [:]
        var missing: [Monitor] = []
        for monitor in study.scenario.monitors {
            let path = request.tokenDirectory + "/" + monitor.name + ".token"
            guard FileManager.default.fileExists(atPath: path) else {
                missing.append(monitor)
                continue
            }
            do {
                let token = try PushConfiguration.token(file: path, environment: [:])
                configurations[monitor.name] = try PushConfiguration(push: request.push, token: token, spoolRoot: request.spoolRoot, flushInterval: .milliseconds(200))
            } catch {
                throw .request(error)
            }
        }
        guard missing.isEmpty else { throw .missingTokens(directory: request.tokenDirectory, monitors: missing) }
        self.configurations = configurations
    }

    /// Runs the engine, then pushes in scaled time; `progress` gets the simulated seconds
    /// replayed. Stops early when `cancellation` is set. Waits up to `finishSeconds` at the end
    /// for the center to take what is left. `simulated` gets the engine's record before the
    /// first push: the truth the pushed counts are drawn from.
    public func run(
        cancellation: CancellationFlag? = nil, finishSeconds: Double = 60, progress: (@Sendable (Double) -> Void)? = nil,
        simulated: ((OutbreakRecord) -> Void)? = nil
    ) throws(ReplayError) -> ReplaySummary {
        guard let simulation = study.run(cancellation: cancellation), let record = simulation.ensemble.records.first else {
            throw .cancelled
        }
        simulated?(record)
        let timeline = ReplayTimeline(record: record, scenario: study.scenario, family: family)
        var sessions: [String: PushSession] = [:]
        do {
            for (name, configuration) in configurations { sessions[name] = try PushSession(configuration: configuration) }
        } catch {
            throw .request(RequestError(setting: "spool", reason: error.reason))
        }
        var lines: [String: Int] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        for step in timeline.steps {
            if cancellation?.isCancelled == true { break }
            if case .factor(let x) = request.speed {
                let dueNanoseconds = UInt64(step.due / x * 1e9)
                while true {
                    let elapsed = DispatchTime.now().uptimeNanoseconds - start
                    if elapsed >= dueNanoseconds || cancellation?.isCancelled == true { break }
                    POSIX.sleep(seconds: min(0.05, Double(dueNanoseconds - elapsed) / 1e9))
                }
            }
            sessions[step.monitor]?.pusher.append(step.count)
            lines[step.monitor, default: 0] += 1
            progress?(step.due)
        }
        var pushes: [String: CenterPusher.Summary] = [:]
        for (name, session) in sessions { pushes[name] = session.finish(waiting: finishSeconds) }
        return ReplaySummary(linesByMonitor: lines, pushes: pushes, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// Why a replay cannot run.
public enum ReplayError: Error, Sendable {
    /// The scenario or the simulation request is wrong.
    case study(StudyError)
    /// An option is wrong.
    case request(RequestError)
    /// Monitors without a token file: the sensors to register first.
    case missingTokens(directory: String, monitors: [Monitor])
    /// Stopped before the simulation finished.
    case cancelled
}

extension ReplayError: UserFacingError {
    public var location: String {
        switch self {
        case .study(let e): e.location
        case .request(let e): e.location
        case .missingTokens(let directory, _): directory
        case .cancelled: ""
        }
    }

    public var reason: String {
        switch self {
        case .study(let e): e.reason
        case .request(let e): e.reason
        case .missingTokens(_, let monitors):
            "no token for monitor\(monitors.count == 1 ? "" : "s") \(monitors.map { "'\($0.name)'" }.joined(separator: ", ")): register each as a sensor first"
        case .cancelled: "stopped before the simulation finished"
        }
    }

    public var hint: String? {
        switch self {
        case .study(let e): e.hint
        case .request(let e): e.hint
        case .missingTokens(let directory, let monitors):
            monitors.map { "wormwatch sensor add \($0.name) --monitors \($0.prefixes.map(\.description).joined(separator: ",")) > \(directory)/\($0.name).token" }
                .joined(separator: "\n      ")
        case .cancelled: nil
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .study(let e): e.exitStatus
        case .request(let e): e.exitStatus
        case .missingTokens: .noInput
        case .cancelled: .software
        }
    }

    public var requestError: RequestError? {
        switch self {
        case .study(let e): e.requestError
        case .request(let e): e
        default: nil
        }
    }
}
