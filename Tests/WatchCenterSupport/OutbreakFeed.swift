import EarlyWarning
import Foundation
import Outbreak
import OutbreakScenarios
import WatchCenter
import WormWatchCore

/// A replayed outbreak's monitor counts as count batches, for feeding a store: one
/// `wormwatch.observation/1` line per interval, `perBatch` lines a batch.
public enum OutbreakFeed {
    /// One interval: start (ns), seconds, probes, distinct, new.
    public typealias Interval = (start: Int64, seconds: Int, probes: Int, distinct: Int, new: Int)

    /// The batches for `intervals` of `family`.
    public static func batches(_ intervals: [Interval], family: String, perBatch: Int = 60) -> [IngestBatch] {
        stride(from: 0, to: intervals.count, by: perBatch).map { first in
            IngestBatch(counts: intervals[first..<min(intervals.count, first + perBatch)].map { i in
                MonitorCount(family: family, startNanoseconds: i.start, seconds: i.seconds, probes: Int64(i.probes),
                             distinctSources: Int64(i.distinct), newSources: [], newSourceCount: Int64(i.new))
            })
        }
    }
}

/// A Code Red v2 run seen by one /16, as intervals and as the detector's own verdict.
public struct CodeRedFeed: Sendable {
    public var intervals: [OutbreakFeed.Interval] = []
    public var detectedAt: Double?
    public var changes: [LevelChange] = []

    public static let monitor = "131.243.0.0/16"

    /// Minutes from the first to the last with anything counted: what the center assesses.
    public var minutesWithData: Int {
        let counted = intervals.indices.filter { intervals[$0].probes > 0 || intervals[$0].new > 0 }
        guard let first = counted.first, let last = counted.last else { return 0 }
        return last - first + 1
    }

    public init(seed: UInt64 = 1) throws {
        var scenario = try ScenarioCatalog.load("codered-v2")
        scenario.monitors = [Monitor(name: "lbnl", prefixes: [IPv4Prefix(Self.monitor)!])]
        let record = try ExactEngine(scenario: scenario).run(seed: seed)
        var detector = WormDetector(coverage: MonitorCoverage(monitored: 65_536))
        var previous = 0.0
        for row in record.rows {
            let c = row.monitors[0]
            let start = record.startTime + Int64(previous.rounded())
            intervals.append((start * 1_000_000_000, Int((row.time - previous).rounded()), c.probes, c.distinctSources, c.newSources))
            let (reading, change) = detector.add(MonitoredInterval(
                start: Double(start), seconds: row.time - previous, probes: c.probes, distinctSources: c.distinctSources, newSources: c.newSources))
            if let change { changes.append(change) }
            if detectedAt == nil, reading.level == .active { detectedAt = reading.time }
            previous = row.time
        }
    }
}

