import Foundation
import WormWatchCore

/// Many runs of one scenario, run on every core, and their quantiles.
///
/// Run `r` always uses the stream `(seed, r)`, so the records — and everything computed
/// from them — are the same whatever the number of threads.
public struct Ensemble: Sendable {
    /// The runs, in index order.
    public var records: [OutbreakRecord]

    /// Creates an ensemble from records.
    public init(records: [OutbreakRecord]) { self.records = records }

    /// Runs `runs` outbreaks of `scenario` on `threads` threads (0: one per core).
    /// `progress` is called with the number of finished runs, from any thread.
    public static func run(
        _ scenario: Scenario, seed: UInt64, runs: Int, threads: Int = 0,
        options: EngineOptions = EngineOptions(), progress: (@Sendable (Int) -> Void)? = nil
    ) throws(ScenarioError) -> Ensemble {
        let engine = try ExactEngine(scenario: scenario)
        return run(runs: runs, threads: threads, progress: progress) { engine.run(seed: seed, run: $0, options: options) }
    }

    /// Runs `body(index)` for every index on `threads` threads and keeps the results in order.
    public static func run(runs: Int, threads: Int, progress: (@Sendable (Int) -> Void)?,
                           _ body: @Sendable (Int) -> OutbreakRecord) -> Ensemble {
        run(runs: runs, threads: threads, progress: progress, cancellation: nil, { body($0) })
            ?? Ensemble(records: [])
    }

    /// Runs `body(index)` for every index on `threads` threads (0: one per core) and keeps
    /// the results in order; `nil` if `cancellation` was set before every run finished (runs
    /// not yet started are skipped, and `body` may return `nil` to give up mid-run).
    public static func run(runs: Int, threads: Int, progress: (@Sendable (Int) -> Void)?, cancellation: CancellationFlag?,
                           _ body: @Sendable (Int) -> OutbreakRecord?) -> Ensemble? {
        ParallelRuns.map(runs, threads: threads, progress: progress, cancellation: cancellation, body).map(Ensemble.init(records:))
    }

    /// The 5 %, 50 % and 95 % quantiles of a quantity at each row.
    public func band(_ value: (OutbreakRow) -> Double) -> [Quantiles] {
        guard let rowCount = records.map(\.rows.count).min() else { return [] }
        if records.count == 1 {
            return records[0].rows.prefix(rowCount).map { let v = value($0); return Quantiles(p05: v, median: v, p95: v) }
        }
        var column = [Double](repeating: 0, count: records.count)
        return (0..<rowCount).map { k in
            for (r, record) in records.enumerated() { column[r] = value(record.rows[k]) }
            return Quantiles(column)
        }
    }

    /// The quantiles of a per-run figure.
    public func quantiles(_ value: (OutbreakRecord) -> Double) -> Quantiles {
        Quantiles(records.map(value))
    }
}

/// The median and the 5–95 % band of a sample (linear interpolation between order statistics).
public struct Quantiles: Sendable, Hashable {
    /// 5th percentile.
    public var p05: Double
    /// Median.
    public var median: Double
    /// 95th percentile.
    public var p95: Double

    /// The quantiles, given.
    public init(p05: Double, median: Double, p95: Double) { self.p05 = p05; self.median = median; self.p95 = p95 }

    /// Computes the quantiles of `values`; NaN where there are none. NaN values (a figure a
    /// run never reached) sort last, so a band can be partly undefined.
    public init(_ values: [Double]) {
        let sorted = values.sorted { a, b in a.isNaN ? false : (b.isNaN ? true : a < b) }
        func q(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let x = p * Double(sorted.count - 1)
            let lo = Int(x.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
            let f = x - Double(lo)
            if sorted[lo].isNaN || sorted[hi].isNaN { return f == 0 ? sorted[lo] : .nan }
            return sorted[lo] + (sorted[hi] - sorted[lo]) * f
        }
        p05 = q(0.05); median = q(0.5); p95 = q(0.95)
    }
}

enum ProcessInfoCores {
    static var count: Int { Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
