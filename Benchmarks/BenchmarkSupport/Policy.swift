import Benchmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every WormWatch benchmark measures and how far a run may stray from the committed
/// thresholds (`Benchmarks/Thresholds/*.p90.json`) before `benchmark thresholds check` fails.
///
/// The check compares each metric's p90 over the iterations (for rates, the slowest tenth)
/// with the committed value. Measured on this shared 2-core VM: with other builds and tests
/// running, the wall clock of the same code moves by ±30 % from run to run and up to 2.1×
/// (the process waits for a core), and up to 3.2× with a busy loop on each core; its CPU time
/// moves by up to 1.5×. So:
/// - the rates (events/s, lines/s, bytes/s, packets/s, runs/s) count work per second of the
///   process's CPU time: the timing check that means something here. They may fall by
///   ``rateTolerance`` per cent, which fails a rate at about half its usual speed: for a rate,
///   package-benchmark writes the fast tenth of the iterations into Thresholds/ (the plain
///   p90) but checks the slow tenth (p90 seen from the side where smaller is worse), and the
///   two are about 20 % apart in one run here;
/// - the wall clock may be four times the committed value (``wallClockTolerance``): a
///   backstop for gross slowdowns the CPU time does not see, e.g. time spent waiting;
/// - allocation counts may differ by ``allocationCountTolerance`` per cent (not at all below
///   200 allocations: 2 stays 2) and allocated bytes by ``allocatedBytesTolerance`` per cent.
///   Both repeat from run to run but for this: a growing Swift array takes the whole block
///   malloc handed it (`malloc_usable_size`), which depends on the heap's state, so a run now
///   and then skips one reallocation; and the statistics keep 3 significant digits.
///   Allocating per line, packet, event or run shows at once.
public enum BenchmarkPolicy {
    /// Allowed decrease, in per cent, of a rate below its committed (fast-tenth) value.
    public static let rateTolerance = 60.0
    /// Allowed increase, in per cent, of the wall clock (300: four times as long).
    public static let wallClockTolerance = 300.0
    /// Allowed deviation, in per cent, of the number of allocations.
    public static let allocationCountTolerance = 0.5
    /// Allowed deviation, in per cent, of the bytes allocated.
    public static let allocatedBytesTolerance = 1.0

    /// The metrics of every benchmark, before its own rates.
    public static var standardMetrics: [BenchmarkMetric] {
        [.wallClock, .mallocCountTotal, .mallocBytesCount]
    }

    /// A rate the benchmark reports for each iteration: work per CPU second (package-benchmark's
    /// `throughput` counts iterations per wall-clock second: 1 to 10 here, too coarse to
    /// compare; its `cpuTotal` reads /proc, in 10 ms ticks, inside the malloc-counting window).
    public static func rate(_ name: String) -> BenchmarkMetric {
        .custom(name, polarity: .prefersLarger, useScalingFactor: false)
    }

    /// `iterations` measured runs after one warm-up, with `rates` next to the standard metrics,
    /// and the tolerances above.
    public static func configuration(rates: [BenchmarkMetric], iterations: Int = 20) -> Benchmark.Configuration {
        func within(_ percent: Double) -> BenchmarkThresholds { BenchmarkThresholds(relative: [.p90: percent]) }
        var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [
            .wallClock: within(wallClockTolerance),
            .mallocCountTotal: within(allocationCountTolerance),
            .mallocBytesCount: within(allocatedBytesTolerance),
        ]
        for rate in rates { thresholds[rate] = within(rateTolerance) }
        return .init(
            metrics: standardMetrics + rates,
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(60),
            maxIterations: iterations,
            thresholds: thresholds
        )
    }
}

/// Wall-clock and CPU seconds of some work.
public struct Elapsed: Sendable {
    public var seconds: Double
    public var cpuSeconds: Double
}

private func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// What `body` returned, and how long it took.
@inline(__always)
public func timed<T>(_ body: () throws -> T) rethrows -> (result: T, elapsed: Elapsed) {
    let clock = ContinuousClock()
    let cpuStart = processCPUSeconds()
    let start = clock.now
    let result = try body()
    let wall = start.duration(to: clock.now)
    let cpu = processCPUSeconds() - cpuStart
    let (seconds, attoseconds) = wall.components
    return (result, Elapsed(seconds: Double(seconds) + Double(attoseconds) * 1e-18, cpuSeconds: cpu))
}

extension Benchmark {
    /// Ends the measured region, then records, for each `(rate, count)`, `count` per CPU
    /// second of the work. Recording happens outside the region because the statistics may
    /// allocate (a histogram grows to fit a new largest value).
    public func report(_ elapsed: Elapsed, _ rates: [(BenchmarkMetric, Double)]) {
        stopMeasurement()
        for (rate, count) in rates {
            measurement(rate, elapsed.cpuSeconds > 0 ? Int((count / elapsed.cpuSeconds).rounded()) : 0)
        }
    }
}
