// engine-bench: probes per second of the per-probe ReferenceEngine and of the
// ExactEngine on one small scenario (2^20 addresses, 400 hosts, 10 probes/s,
// 2 simulated hours, uniform scanning), over a few seeds.
//
// Runs shorter than 50 ms are repeated (same seed) and timed on average.
//
// Usage: engine-bench [seeds]      (default 5)
// Prints a human table, then one machine line per engine:
//   RESULT engine=<name> seeds=<k> probes=<total> seconds=<total> probes_per_second=<x> median_seconds=<m>
import Foundation
import Outbreak

let seeds = CommandLine.arguments.count > 1 ? max(1, Int(CommandLine.arguments[1]) ?? 5) : 5

let scenario = Scenario(
    name: "bench-small",
    summary: "400 hosts in 2^20 addresses, 10 probes/s, uniform scanning, 2 hours.",
    space: AddressSpace(bits: 20),
    population: Population(size: 400, placement: .uniform),
    worm: Worm(probeRate: .fixed(10), infectionDelay: 0, strategy: .uniform(exclude: []), initialInfected: 2),
    duration: 2 * 3600,
    interval: 60
)

/// One run's record and its wall time in seconds; runs shorter than 50 ms are repeated
/// (same seed, same result) until about 0.2 s has passed and the mean is returned.
func seconds(_ body: () -> OutbreakRecord) -> (OutbreakRecord, Double) {
    func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    var start = clock()
    let record = body()
    var wall = Double(clock() - start) * 1e-9
    if wall < 0.05 {
        let repeats = Int((0.2 / max(wall, 1e-6)).rounded(.up))
        start = clock()
        for _ in 0..<repeats { _ = body() }
        wall = Double(clock() - start) * 1e-9 / Double(repeats)
    }
    return (record, wall)
}

func measure(_ name: String, _ run: (UInt64) -> OutbreakRecord) {
    _ = run(999)   // warm-up (page faults, first-touch allocations)
    var totalProbes = 0.0, totalSeconds = 0.0, times: [Double] = []
    for seed in 1...UInt64(seeds) {
        let (record, wall) = seconds { run(seed) }
        totalProbes += record.summary.totalProbes
        totalSeconds += wall
        times.append(wall)
        print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "seed %2d  probes %.4e  ever infected %4d  events %7d  wall %.6f s  %.4e probes/s",
                     Int(seed), record.summary.totalProbes, record.summary.everInfected, record.summary.events,
                     wall, record.summary.totalProbes / wall))
    }
    times.sort()
    let median = times[times.count / 2]
    print("RESULT engine=\(name) " + String(format: "seeds=%d probes=%.6e seconds=%.6f probes_per_second=%.6e median_seconds=%.6f",
                 seeds, totalProbes, totalSeconds, totalProbes / totalSeconds, median))
}

do {
    let reference = try ReferenceEngine(scenario: scenario)
    let exact = try ExactEngine(scenario: scenario)
    measure("reference") { reference.run(seed: $0) }
    measure("exact") { exact.run(seed: $0) }
} catch {
    FileHandle.standardError.write("engine-bench: \(error.field): \(error.message)\n".data(using: .utf8)!)
    exit(1)
}
