import Outbreak
import OutbreakScenarios
import WormWatchCore

/// The result that merged partial results make: what the unsharded command would have computed.
public enum MergedResult: Sendable {
    /// A simulation's ensemble (`simulate --runs R --shard I/N`).
    case simulation(Simulation)
    /// A sweep's grid (`sweep --shard I/N`).
    case sweep(SweepResult)
}

/// Puts the shards 1…N of one study back together, after checking that they are exactly that:
/// one study (same command, scenario, seed, runs, parameters), every shard once, each holding
/// the runs its number stands for.
public enum PartialMerge {
    /// Merges the parts (`file` names each in errors), given in any order.
    public static func merge(_ parts: [(file: String, part: PartialResult)]) throws(MergeError) -> MergedResult {
        guard let (firstFile, first) = parts.first else {
            throw MergeError(file: "", reason: "no partial results to merge", status: .usage)
        }
        // One study.
        for (file, part) in parts.dropFirst() {
            if part.kind != first.kind {
                throw MergeError(file: file, reason: "was written by '\(part.kind.rawValue) --shard', \(firstFile) by '\(first.kind.rawValue) --shard'")
            }
            if let difference = difference(part.study, first.study) {
                throw MergeError(file: file, reason: "is from another study than \(firstFile): \(difference)")
            }
            if part.shard.count != first.shard.count {
                throw MergeError(file: file, reason: "is shard \(part.shard) but \(firstFile) is shard \(first.shard): the study was cut in different numbers of shards")
            }
        }
        // Every shard once.
        let count = first.shard.count
        var byIndex = [(file: String, part: PartialResult)?](repeating: nil, count: count + 1)
        for (file, part) in parts {
            if let other = byIndex[part.shard.index] {
                throw MergeError(file: file, reason: "shard \(part.shard) is given twice (also \(other.file))")
            }
            byIndex[part.shard.index] = (file, part)
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let list = missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw MergeError(file: firstFile, reason: "\(missing.count) of \(count) shards \(missing.count == 1 ? "is" : "are") missing: \(list)",
                             hint: "give every shard's file, e.g. part-*.json")
        }
        // Each shard holds its runs, in order.
        let total = first.study.totalRuns
        guard (0...SimulationRequest.maximumRuns).contains(total) else {
            throw MergeError(file: firstFile, reason: "study.total_runs: \(total) is not between 0 and \(SimulationRequest.maximumRuns)")
        }
        var runs: [PartialResult.Run] = []
        runs.reserveCapacity(max(0, total))
        for index in 1...count {
            guard let (file, part) = byIndex[index] else { continue }
            let expected = part.shard.runs(of: total)
            if part.runs.map(\.run) != Array(expected) {
                let held = part.runs.isEmpty ? "no runs" : "runs \(part.runs.first?.run ?? 0)–\(part.runs.last?.run ?? 0) (\(part.runs.count))"
                throw MergeError(file: file, reason: "holds \(held), but shard \(part.shard) of \(total) runs is runs \(expected.lowerBound)–\(expected.upperBound - 1)")
            }
            runs += part.runs
        }
        guard let seed = UInt64(first.study.seed) else {
            throw MergeError(file: firstFile, reason: "study.seed: '\(first.study.seed)' is not a whole number from 0 to 2^64 − 1")
        }
        switch first.kind {
        case .simulate: return .simulation(try simulation(first.study, seed: seed, runs: runs, file: firstFile))
        case .sweep: return .sweep(try sweep(first.study, seed: seed, runs: runs, file: firstFile))
        }
    }

    /// Reads and merges partial result files.
    public static func merge(files: [String]) throws(MergeError) -> MergedResult {
        var parts: [(file: String, part: PartialResult)] = []
        for file in files { parts.append((file, try PartialResult.read(path: file))) }
        return try merge(parts)
    }

    /// The first field in which two studies differ, in words, or `nil` if they are the same.
    static func difference(_ a: PartialResult.Study, _ b: PartialResult.Study) -> String? {
        func show(_ x: Double?) -> String { x.map { TextTable.number($0) } ?? "none" }
        if a.scenario != b.scenario { return "scenario '\(a.scenario)', not '\(b.scenario)'" }
        if a.fingerprint != b.fingerprint { return "scenario '\(a.scenario)' had changed between the shards (fingerprint \(a.fingerprint), not \(b.fingerprint))" }
        if a.hours != b.hours { return "hours \(show(a.hours)), not \(show(b.hours))" }
        if a.seed != b.seed { return "seed \(a.seed), not \(b.seed)" }
        if a.runs != b.runs { return "runs \(a.runs), not \(b.runs)" }
        if a.vary != b.vary { return "vary \((a.vary ?? []).joined(separator: " ")), not \((b.vary ?? []).joined(separator: " "))" }
        if a.outcome != b.outcome { return "outcome \(a.outcome ?? "none"), not \(b.outcome ?? "none")" }
        if a != b { return "total runs \(a.totalRuns), not \(b.totalRuns)" }
        return nil
    }

    static func simulation(_ study: PartialResult.Study, seed: UInt64, runs: [PartialResult.Run], file: String) throws(MergeError) -> Simulation {
        // The report needs the scenario as run: reload it the way the shards did and check
        // that it is still the same.
        let request = SimulationRequest(scenario: study.scenario, hours: study.hours, seed: seed, runs: max(1, study.runs))
        let loaded: SimulationStudy
        do { loaded = try SimulationStudy(request) } catch {
            throw MergeError(file: file, reason: "cannot reload scenario '\(study.scenario)': \(error.description)",
                             hint: "run the merge where the shards' scenario file is, at the same path")
        }
        let fingerprint = ScenarioFingerprint.of(loaded.scenario)
        guard fingerprint == study.fingerprint else {
            throw MergeError(file: file, reason: "scenario '\(study.scenario)' is not the one the shards ran (fingerprint \(fingerprint), not \(study.fingerprint))",
                             hint: "merge with the same scenario file and the same wormwatch as the shards")
        }
        var records: [OutbreakRecord] = []
        records.reserveCapacity(runs.count)
        let monitors = loaded.scenario.monitors.map(\.name)
        for run in runs {
            guard let rows = run.rows else {
                throw MergeError(file: file, reason: "run \(run.run) has no time series (rows)")
            }
            if run.summary.monitorSources.count != monitors.count {
                throw MergeError(file: file, reason: "run \(run.run): summary.monitor_sources has \(run.summary.monitorSources.count) monitors, the scenario has \(monitors.count)")
            }
            if let bad = rows.firstIndex(where: { $0.monitors.count != monitors.count }) {
                throw MergeError(file: file, reason: "run \(run.run), row \(bad): \(rows[bad].monitors.count) monitors, the scenario has \(monitors.count)")
            }
            records.append(OutbreakRecord(scenario: loaded.scenario.name, seed: seed, run: run.run, startTime: loaded.scenario.startTime,
                                          monitorNames: monitors, rows: rows, summary: run.summary, infectionTimes: [], firstSeenTimes: []))
        }
        return Simulation(scenario: loaded.scenario, seed: seed, ensemble: Ensemble(records: records))
    }

    static func sweep(_ study: PartialResult.Study, seed: UInt64, runs: [PartialResult.Run], file: String) throws(MergeError) -> SweepResult {
        var parameters: [SweepParameter] = []
        do {
            for text in study.vary ?? [] { parameters.append(try SweepParameter.parse(text)) }
        } catch {
            throw MergeError(file: file, reason: "study.vary: \(error.description)")
        }
        guard let name = study.outcome, let outcome = SweepOutcome(rawValue: name) else {
            throw MergeError(file: file, reason: "study.outcome: '\(study.outcome ?? "")' is not one of \(SweepOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let points = ParameterSweep.grid(parameters)
        guard study.runs >= 1, points.count * study.runs == study.totalRuns, runs.count == study.totalRuns else {
            throw MergeError(file: file, reason: "study: \(points.count) points × \(study.runs) runs is not the \(study.totalRuns) runs the shards hold")
        }
        return SweepResult(scenario: study.scenarioName, parameters: parameters, points: points, seed: seed, runs: study.runs,
                           outcome: outcome, summaries: ParameterSweep.byPoint(runs.map(\.summary), points: points.count, runs: study.runs))
    }
}
