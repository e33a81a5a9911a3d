import Sensor
import WormWatchCore

/// One worm family the center has heard of, with its totals.
public struct FamilySummary: Sendable, Hashable {
    /// The family (`code-red-v2`).
    public var family: String
    /// Distinct sources ever seen (all sensors together).
    public var sources: Int64
    /// Events received.
    public var events: Int64
    /// Probes counted by monitors.
    public var probes: Int64
    /// The first and last minute with data, nanoseconds since 1970.
    public var firstNanoseconds: Int64
    /// The start of the last minute with data.
    public var lastNanoseconds: Int64

    /// Creates a summary.
    public init(family: String, sources: Int64, events: Int64, probes: Int64, firstNanoseconds: Int64, lastNanoseconds: Int64) {
        self.family = family
        self.sources = sources
        self.events = events
        self.probes = probes
        self.firstNanoseconds = firstNanoseconds
        self.lastNanoseconds = lastNanoseconds
    }
}

/// What ``ObservationStore/series(_:)`` is asked for.
public struct SeriesQuery: Sendable, Hashable {
    /// One family, or all of them added together.
    public var family: String?
    /// One sensor by name, or all sensors together (a source seen by two counts once in
    /// `new_sources`).
    public var sensor: String?
    /// The first and last instant, nanoseconds since 1970 (inclusive of the minute `from` is in).
    public var fromNanoseconds: Int64
    /// The end (exclusive).
    public var toNanoseconds: Int64
    /// The step in seconds, a multiple of 60.
    public var stepSeconds: Int64

    /// The most points one query returns.
    public static let maxPoints = 20_000

    /// Creates a query.
    public init(family: String?, sensor: String?, fromNanoseconds: Int64, toNanoseconds: Int64, stepSeconds: Int64) {
        self.family = family
        self.sensor = sensor
        self.fromNanoseconds = fromNanoseconds
        self.toNanoseconds = toNanoseconds
        self.stepSeconds = stepSeconds
    }
}

/// One step of a series.
public struct SeriesPoint: Sendable, Hashable {
    /// The step's start, nanoseconds since 1970.
    public var startNanoseconds: Int64
    /// Events received.
    public var events: Int64
    /// Probes counted by monitors.
    public var probes: Int64
    /// The most distinct sources seen in any one minute of the step.
    public var peakMinuteSources: Int64
    /// Sources seen for the first time in the step.
    public var newSources: Int64
    /// Sources seen up to the step's end (all the new sources before it).
    public var cumulativeSources: Int64

    /// Creates a point.
    public init(startNanoseconds: Int64, events: Int64, probes: Int64, peakMinuteSources: Int64, newSources: Int64, cumulativeSources: Int64) {
        self.startNanoseconds = startNanoseconds
        self.events = events
        self.probes = probes
        self.peakMinuteSources = peakMinuteSources
        self.newSources = newSources
        self.cumulativeSources = cumulativeSources
    }
}

/// What ``ObservationStore/sources(_:)`` is asked for: one page of sources in a stable order
/// (first seen, then family, then address).
public struct SourcesQuery: Sendable, Hashable {
    /// One family, or all.
    public var family: String?
    /// Only sources first seen at or after this time.
    public var sinceNanoseconds: Int64?
    /// The most on the page, 1 to 10,000.
    public var limit: Int
    /// Where the previous page ended.
    public var after: SourceCursor?

    /// Creates a query.
    public init(family: String? = nil, sinceNanoseconds: Int64? = nil, limit: Int = 100, after: SourceCursor? = nil) {
        self.family = family
        self.sinceNanoseconds = sinceNanoseconds
        self.limit = limit
        self.after = after
    }
}

/// Where a page of sources ended: the last source's sort key.
public struct SourceCursor: Sendable, Hashable {
    /// Its first-seen time.
    public var firstSeenNanoseconds: Int64
    /// Its family.
    public var family: String
    /// Its address.
    public var source: UInt32

    /// Creates a cursor.
    public init(firstSeenNanoseconds: Int64, family: String, source: UInt32) {
        self.firstSeenNanoseconds = firstSeenNanoseconds
        self.family = family
        self.source = source
    }

    /// The opaque text a client passes back (`cursor=`).
    public var text: String {
        Base64URL.encode(Array("\(firstSeenNanoseconds) \(source) \(family)".utf8))
    }

    /// Reads a cursor's text; nil if it is not one.
    public init?(text: String) {
        guard text.utf8.count <= 200, let bytes = Base64URL.decode(text) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let first = Int64(parts[0]), let source = UInt32(parts[1]), FamilyName.isValid(String(parts[2])) else {
            return nil
        }
        self.init(firstSeenNanoseconds: first, family: String(parts[2]), source: source)
    }
}

/// One source as the center knows it.
public struct SourceRecord: Sendable, Hashable {
    /// Its family.
    public var family: String
    /// Its address.
    public var source: UInt32
    /// When it was first and last seen, nanoseconds since 1970.
    public var firstSeenNanoseconds: Int64
    /// When it was last seen.
    public var lastSeenNanoseconds: Int64
    /// Events about it.
    public var events: Int64
    /// The sensors that saw it, by name, sorted.
    public var sensors: [String]

    /// Creates a record.
    public init(family: String, source: UInt32, firstSeenNanoseconds: Int64, lastSeenNanoseconds: Int64, events: Int64, sensors: [String]) {
        self.family = family
        self.source = source
        self.firstSeenNanoseconds = firstSeenNanoseconds
        self.lastSeenNanoseconds = lastSeenNanoseconds
        self.events = events
        self.sensors = sensors
    }

    /// Its place in the order pages follow.
    public var cursor: SourceCursor { SourceCursor(firstSeenNanoseconds: firstSeenNanoseconds, family: family, source: source) }
}

/// One page of sources, and where the next begins (nil on the last page).
public struct SourcesPage: Sendable, Hashable {
    /// The sources.
    public var sources: [SourceRecord]
    /// The cursor of the next page.
    public var next: SourceCursor?

    /// Creates a page.
    public init(sources: [SourceRecord], next: SourceCursor?) {
        self.sources = sources
        self.next = next
    }
}

/// What ``ObservationStore/events(_:)`` is asked for: stored events in a time range, in the
/// order they happened (ties in the order they arrived), a page at a time.
public struct EventsQuery: Sendable, Hashable {
    /// The range's start (inclusive) and end (exclusive), nanoseconds since 1970.
    public var fromNanoseconds: Int64
    /// The end.
    public var toNanoseconds: Int64
    /// One family, or all.
    public var family: String?
    /// One sensor, or all.
    public var sensor: String?
    /// Where the previous page ended: its last event's time and id.
    public var after: (time: Int64, id: Int64)?
    /// The most events returned.
    public var limit: Int

    /// Creates a query.
    public init(fromNanoseconds: Int64, toNanoseconds: Int64, family: String? = nil, sensor: String? = nil, after: (time: Int64, id: Int64)? = nil, limit: Int = 10_000) {
        self.fromNanoseconds = fromNanoseconds
        self.toNanoseconds = toNanoseconds
        self.family = family
        self.sensor = sensor
        self.after = after
        self.limit = limit
    }

    public static func == (a: EventsQuery, b: EventsQuery) -> Bool {
        a.fromNanoseconds == b.fromNanoseconds && a.toNanoseconds == b.toNanoseconds && a.family == b.family && a.sensor == b.sensor
            && a.after?.time == b.after?.time && a.after?.id == b.after?.id && a.limit == b.limit
    }

    public func hash(into h: inout Hasher) {
        h.combine(fromNanoseconds)
        h.combine(toNanoseconds)
        h.combine(family)
        h.combine(sensor)
        h.combine(after?.time)
        h.combine(after?.id)
        h.combine(limit)
    }
}

/// A stored event: the sensor's own record, which sensor sent it, and its id in the store.
public struct StoredEvent: Sendable, Hashable {
    /// The store's id (increasing in arrival order).
    public var id: Int64
    /// The sensor that sent it.
    public var sensor: String
    /// The event as the sensor wrote it.
    public var event: SensorEvent

    /// Creates a stored event.
    public init(id: Int64, sensor: String, event: SensorEvent) {
        self.id = id
        self.sensor = sensor
        self.event = event
    }
}
