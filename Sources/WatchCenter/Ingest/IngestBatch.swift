import Sensor
import WormWatchCore

/// A sensor's batch as read from its NDJSON body: detections (`wormwatch.event/1`) and
/// monitor counts (`wormwatch.observation/1`), in the order they came.
public struct IngestBatch: Sendable, Hashable {
    /// The detections.
    public var events: [SensorEvent]
    /// The monitor counts.
    public var counts: [MonitorCount]

    /// Creates a batch.
    public init(events: [SensorEvent] = [], counts: [MonitorCount] = []) {
        self.events = events
        self.counts = counts
    }

    /// Lines in the batch.
    public var lineCount: Int { events.count + counts.count }

    /// The batch as NDJSON, the body a sensor sends: events first, then counts.
    public func ndjson() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.count * 260 + counts.count * 200)
        for e in events { EventNDJSON.append(e, to: &out) }
        for c in counts { c.append(to: &out) }
        return out
    }
}
