import Outbreak
import WatchCenter
import WormWatchCore

/// What each of a scenario's monitors saw, as the lines a sensor would push, in the order a
/// live replay sends them: interval by interval, each when its interval ends.
public struct ReplayTimeline: Sendable {
    /// One monitor's counts for one interval, due when the interval ends.
    public struct Step: Sendable, Hashable {
        /// Seconds from the simulation's start to the interval's end.
        public var due: Double
        /// The monitor (the sensor) that saw it.
        public var monitor: String
        /// What it saw.
        public var count: MonitorCount
    }

    /// The steps, by due time, then monitor.
    public var steps: [Step]
    /// The monitors and their blocks.
    public var monitors: [Monitor]

    /// The timeline of one run. Monitors that record probes (`record_probes: true`) name their
    /// new sources with the first probe's time; the others count them (`new_source_count`).
    public init(record: OutbreakRecord, scenario: Scenario, family: String) {
        monitors = scenario.monitors
        var steps: [Step] = []
        // Named first sightings per recording monitor, by interval.
        var named: [String: [Int: [MonitorCount.NewSource]]] = [:]
        for (m, probes) in record.probes.enumerated() where m < record.monitorNames.count {
            var seen = Set<UInt32>()
            var byInterval: [Int: [MonitorCount.NewSource]] = [:]
            for p in probes where seen.insert(p.source).inserted {
                let k = Int(p.time / scenario.interval)
                let ns = (record.startTime * 1_000_000_000) + Int64((p.time * 1e9).rounded(.down))
                byInterval[k, default: []].append(MonitorCount.NewSource(source: p.source, firstSeenNanoseconds: ns))
            }
            named[record.monitorNames[m]] = byInterval
        }
        var previous = 0.0
        for (k, row) in record.rows.enumerated() {
            let startSeconds = record.startTime + Int64(previous.rounded(.down))
            let length = max(1, Int((row.time - previous).rounded()))
            for (m, counts) in row.monitors.enumerated() where m < record.monitorNames.count {
                let name = record.monitorNames[m]
                let fresh = (named[name]?[k] ?? []).filter { $0.firstSeenNanoseconds < (startSeconds + Int64(length)) * 1_000_000_000 }
                    .map { s in
                        MonitorCount.NewSource(
                            source: s.source, firstSeenNanoseconds: max(s.firstSeenNanoseconds, startSeconds * 1_000_000_000))
                    }
                let newCount = max(Int64(counts.newSources), Int64(fresh.count))
                let distinct = max(Int64(counts.distinctSources), newCount)
                let count = MonitorCount(
                    family: family, startNanoseconds: startSeconds * 1_000_000_000, seconds: length,
                    probes: max(Int64(counts.probes), distinct), distinctSources: distinct, newSources: fresh, newSourceCount: newCount)
                steps.append(Step(due: row.time, monitor: name, count: count))
            }
            previous = row.time
        }
        self.steps = steps
    }
}
