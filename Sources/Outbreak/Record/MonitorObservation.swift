/// What one monitor (a telescope, a honeypot) saw in one interval, as a sensor would report
/// it: the monitor's name, the interval, and its probes, distinct and new sources.
public struct MonitorObservation: Sendable, Hashable, Codable {
    /// The monitor's name.
    public var monitor: String
    /// The interval's start, in seconds since 1970-01-01T00:00:00Z.
    public var intervalStart: Int64
    /// The interval's length, in seconds.
    public var intervalSeconds: Double
    /// What it counted.
    public var counts: MonitorCounts

    enum CodingKeys: String, CodingKey {
        case monitor
        case intervalStart = "interval_start"
        case intervalSeconds = "interval_seconds"
        case counts
    }

    /// Creates an observation.
    public init(monitor: String, intervalStart: Int64, intervalSeconds: Double, counts: MonitorCounts) {
        self.monitor = monitor; self.intervalStart = intervalStart; self.intervalSeconds = intervalSeconds; self.counts = counts
    }
}

extension OutbreakRecord {
    /// Every monitor's observation of every interval, in time order, then monitor order.
    public var monitorObservations: [MonitorObservation] {
        var observations: [MonitorObservation] = []
        var previous = 0.0
        for row in rows {
            let start = startTime + Int64(previous.rounded(.down))
            for (m, counts) in row.monitors.enumerated() where m < monitorNames.count {
                observations.append(MonitorObservation(monitor: monitorNames[m], intervalStart: start,
                                                       intervalSeconds: row.time - previous, counts: counts))
            }
            previous = row.time
        }
        return observations
    }
}
