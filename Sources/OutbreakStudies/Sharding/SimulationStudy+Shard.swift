import Outbreak
import WormWatchCore

extension SimulationStudy {
    /// What every shard of this simulation has in common.
    public var partialStudy: PartialResult.Study {
        PartialResult.Study(scenario: request.scenario, scenarioName: scenario.name, fingerprint: ScenarioFingerprint.of(scenario),
                            hours: request.hours, seed: request.seed, runs: request.runs, totalRuns: request.runs)
    }

    /// Runs one shard's part of the ensemble (the same runs, with the same streams, as the
    /// unsharded study) and returns its partial result; `nil` if cancelled. `progress` gets the
    /// shard's runs finished.
    public func run(shard: Shard, progress: (@Sendable (Int) -> Void)? = nil, cancellation: CancellationFlag?) -> PartialResult? {
        let request = self.request
        let engine = self.engine
        let range = shard.runs(of: request.runs)
        let first = range.lowerBound
        guard let ensemble = Ensemble.run(runs: range.count, threads: request.threads, progress: progress, cancellation: cancellation, { local in
            guard let cancellation else { return engine.run(seed: request.seed, run: first + local, options: EngineOptions()) }
            return engine.run(seed: request.seed, run: first + local, options: EngineOptions(), progress: nil, cancellation: cancellation)
        }) else { return nil }
        let runs = ensemble.records.enumerated().map { k, record in
            PartialResult.Run(run: first + k, summary: record.summary, rows: record.rows)
        }
        return PartialResult(kind: .simulate, study: partialStudy, shard: shard, runs: runs)
    }
}

extension SweepStudy {
    /// What every shard of this sweep has in common.
    public var partialStudy: PartialResult.Study {
        PartialResult.Study(scenario: request.scenario, scenarioName: sweep.scenario.name, fingerprint: ScenarioFingerprint.of(sweep.scenario),
                            hours: nil, seed: request.seed, runs: request.runs, totalRuns: totalRuns,
                            vary: request.vary, outcome: request.outcome.rawValue)
    }

    /// Runs one shard's part of the grid's runs (run r of point p is run p·runs + r of the
    /// sweep, as unsharded) and returns its partial result; `nil` if cancelled.
    public func run(shard: Shard, progress: (@Sendable (Int) -> Void)? = nil, cancellation: CancellationFlag?) -> PartialResult? {
        let range = shard.runs(of: totalRuns)
        guard let summaries = sweep.summaries(seed: request.seed, runs: request.runs, indices: range, threads: request.threads,
                                              progress: progress, cancellation: cancellation) else { return nil }
        let runs = summaries.enumerated().map { k, summary in PartialResult.Run(run: range.lowerBound + k, summary: summary, rows: nil) }
        return PartialResult(kind: .sweep, study: partialStudy, shard: shard, runs: runs)
    }
}
