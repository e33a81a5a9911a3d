// The exact engine's hot path: one full-scale Code Red v2 day, and an ensemble of small runs.
// Each iteration reports engine events (infections, activations, host events: what the
// engine's queue processes) and simulated probes per CPU second, next to the wall clock and
// the allocations (see BenchmarkSupport/Policy.swift).
import Benchmark
import BenchmarkSupport
import Outbreak
import OutbreakScenarios

let eventsPerSecond = BenchmarkPolicy.rate("events/s (CPU)")
let probesPerSecond = BenchmarkPolicy.rate("probes/s (CPU)")
let runsPerSecond = BenchmarkPolicy.rate("runs/s (CPU)")

struct PresetMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "no scenario preset named \(name)" }
}

func engine(preset name: String) throws -> ExactEngine {
    guard let scenario = try ScenarioPresets.scenario(named: name) else { throw PresetMissing(name: name) }
    return try ExactEngine(scenario: scenario)
}

/// Runs of the small-uniform preset per iteration (one run takes a third of a millisecond).
let smallRuns = 400

let benchmarks: @Sendable () -> Void = {
    // 2^32 addresses, 360,000 hosts, 24 simulated hours: the run scripts/bench times whole.
    Benchmark(
        "engine-codered-v2-24h",
        configuration: BenchmarkPolicy.configuration(rates: [eventsPerSecond, probesPerSecond])
    ) { (benchmark: Benchmark, engine: ExactEngine) in
        let (record, elapsed) = timed { engine.run(seed: 1) }
        benchmark.report(elapsed, [
            (eventsPerSecond, Double(record.summary.events)), (probesPerSecond, record.summary.totalProbes),
        ])
        blackHole(record)
    } setup: {
        try engine(preset: "codered-v2")
    }

    // 400 hosts in 2^20 addresses, 2 h, patching, reboots, a /14 monitor and honeypots: the
    // per-run overhead that matters for `--runs 1000` ensembles and sweeps. Seeds 1…400.
    Benchmark(
        "engine-small-uniform-x\(smallRuns)",
        configuration: BenchmarkPolicy.configuration(rates: [eventsPerSecond, runsPerSecond])
    ) { (benchmark: Benchmark, engine: ExactEngine) in
        let (events, elapsed) = timed {
            var events = 0
            for seed in 1...UInt64(smallRuns) {
                let record = engine.run(seed: seed)
                events += record.summary.events
                blackHole(record)
            }
            return events
        }
        benchmark.report(elapsed, [(eventsPerSecond, Double(events)), (runsPerSecond, Double(smallRuns))])
    } setup: {
        try engine(preset: "small-uniform")
    }
}
