import WormWatchCore

/// What the center answers to an accepted batch — the same answer, byte for byte, when the
/// batch is sent again under the same `Idempotency-Key`.
public struct IngestReceipt: Sendable, Hashable {
    /// The batch's `Idempotency-Key`.
    public var key: String
    /// Events stored.
    public var events: Int
    /// Monitor-count lines stored.
    public var observations: Int
    /// Sources this batch made known to the center for the first time (per family).
    public var newSources: Int
    /// When the batch was first accepted (the server's clock), nanoseconds since 1970.
    public var receivedNanoseconds: Int64
    /// Whether this answer repeats an earlier one (the batch was applied once, before).
    public var replayed: Bool

    /// Creates a receipt.
    public init(key: String, events: Int, observations: Int, newSources: Int, receivedNanoseconds: Int64, replayed: Bool) {
        self.key = key
        self.events = events
        self.observations = observations
        self.newSources = newSources
        self.receivedNanoseconds = receivedNanoseconds
        self.replayed = replayed
    }

    /// `{"format":"wormwatch.receipt/1","batch":…,"events":…,"observations":…,"new_sources":…,"received":…}`:
    /// the same for a replay (the replay is told by a header, not the body).
    public func json() -> [UInt8] {
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.receipt/1")
        w.string("batch", key)
        w.int("events", events)
        w.int("observations", observations)
        w.int("new_sources", newSources)
        w.string("received", UTCCalendar.iso8601(nanoseconds: receivedNanoseconds))
        w.closeObject()
        return Array((w.text + "\n").utf8)
    }
}
