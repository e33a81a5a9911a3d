import Foundation
import WormWatchCore

/// The exact, event-driven outbreak engine.
///
/// It samples the per-probe model (see ``ReferenceEngine``) exactly in distribution but
/// costs in proportion to the events that change something: infections, patches,
/// cleanings, reboots, activations and monitor observations — not probes. Infection
/// pressure is aggregated per prefix (Fenwick trees over /16 blocks and over the blocks of
/// each local-scanning level); hosts sit in per-/16 arrays partitioned by state, so a
/// uniform victim is found in O(log) and moved in O(1). Monitors draw each source's
/// first-seen time once per activation and count the rest per interval with binomial and
/// Poisson draws.
public struct ExactEngine: Sendable {
    /// The scenario it runs.
    public let scenario: Scenario

    /// Checks the scenario and prepares an engine for it.
    public init(scenario: Scenario) throws(ScenarioError) {
        try scenario.validate()
        self.scenario = scenario
    }

    /// Runs one outbreak. The same `seed` and `run` index give the same record.
    /// `progress`, if given, is called with the simulated fraction (0…1) at each whole
    /// per cent, as intervals close; it does not change the result.
    public func run(seed: UInt64, run: Int = 0, options: EngineOptions = EngineOptions(),
                    progress: ((Double) -> Void)? = nil) -> OutbreakRecord {
        simulate(seed: seed, run: run, options: options, progress: progress, cancellation: nil).record
    }

    /// Runs one outbreak as ``run(seed:run:options:progress:)`` does, or stops at the end of
    /// an interval once `cancellation` is set and returns `nil`.
    public func run(seed: UInt64, run: Int = 0, options: EngineOptions = EngineOptions(),
                    progress: ((Double) -> Void)? = nil, cancellation: CancellationFlag) -> OutbreakRecord? {
        let (record, stopped) = simulate(seed: seed, run: run, options: options, progress: progress, cancellation: cancellation)
        return stopped ? nil : record
    }

    func simulate(seed: UInt64, run: Int, options: EngineOptions, progress: ((Double) -> Void)?,
                  cancellation: CancellationFlag?) -> (record: OutbreakRecord, stopped: Bool) {
        var rng = Xoshiro256StarStar.stream(seed: seed, index: UInt64(run))
        var state = ExactRun(plan: ScenarioPlan(scenario), rng: &rng, options: options)
        var (record, stopped) = state.simulate(rng: &rng, progress: progress, cancellation: cancellation)
        record.seed = seed
        record.run = run
        return (record, stopped)
    }
}
