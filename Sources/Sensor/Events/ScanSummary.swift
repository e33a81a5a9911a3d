import WormWatchCore
/// Per-family totals of a stream of events: how many, from how many distinct sources, first
/// and last seen. Written as a table, CSV or JSON (`wormwatch.scan-summary/1`).
///
/// Families are listed by name. Distinct sources are counted exactly up to
/// ``exactSourceLimit`` per family (a set, about 5–10 bytes per source), then by a HyperLogLog
/// sketch of 16 KiB whose relative standard error is 0.81 % (``DistinctCounter``): memory stays
/// bounded on a capture of a whole telescope. An estimated count is marked (`~` in the table,
/// `"distinct_sources_exact": false` in JSON). Unknown sources (0) are not counted. The result
/// does not depend on the order events arrive in.
public struct ScanSummary: Sendable {
    /// The value of the JSON document's `format` key.
    public static let format = "wormwatch.scan-summary/1"

    /// One family's totals.
    public struct Family: Sendable, Hashable {
        /// The family (a rule's `family`).
        public var family: String
        /// Events of the family.
        public var events: Int
        /// Distinct known source addresses among them.
        public var distinctSources: Int
        /// Whether ``distinctSources`` is exact (false: a sketch's estimate, 0.81 % error).
        public var distinctSourcesExact: Bool = true
        /// The earliest event's time, in nanoseconds since the epoch.
        public var firstSeenNanoseconds: Int64
        /// The latest event's time, in nanoseconds since the epoch.
        public var lastSeenNanoseconds: Int64
    }

    struct Accumulator: Sendable {
        var events = 0
        var sources = DistinctCounter(exactLimit: ScanSummary.exactSourceLimit)
        var first = Int64.max
        var last = Int64.min
    }

    /// Families, numbered as first seen; `accumulators` is in the same order.
    var familyIndex = FamilyIndex()
    var accumulators: [Accumulator] = []
    var allSources = DistinctCounter(exactLimit: ScanSummary.exactSourceLimit)
    /// The most distinct sources a family (and all) counts exactly: 2^20.
    public static var exactSourceLimit: Int { 1 << 20 }
    /// Events added, in all.
    public private(set) var totalEvents = 0

    /// An empty summary.
    public init() {}

    /// Counts one event.
    public mutating func add(_ event: SensorEvent) {
        totalEvents += 1
        let (k, isNew) = familyIndex.number(of: event.family)
        if isNew { accumulators.append(Accumulator()) }
        let time = event.timeNanoseconds
        accumulators[k].events += 1
        accumulators[k].first = Swift.min(accumulators[k].first, time)
        accumulators[k].last = Swift.max(accumulators[k].last, time)
        if event.source != 0 {
            accumulators[k].sources.insert(event.source)
            allSources.insert(event.source)
        }
    }

    /// Distinct sources over all families.
    public var distinctSources: Int { allSources.count }

    /// Whether ``distinctSources`` is exact.
    public var distinctSourcesExact: Bool { allSources.isExact }

    /// The families, by name.
    public var families: [Family] {
        zip(familyIndex.names, accumulators).sorted { $0.0 < $1.0 }.map {
            Family(family: $0.0, events: $0.1.events, distinctSources: $0.1.sources.count, distinctSourcesExact: $0.1.sources.isExact,
                   firstSeenNanoseconds: $0.1.first, lastSeenNanoseconds: $0.1.last)
        }
    }

    /// A plain-text table: one row per family and a row `all`, text left-aligned and numbers
    /// right-aligned, columns two spaces apart, each line ending in `\n`.
    public func table() -> String {
        var table = TextTable(header: ["family", "events", "sources", "first seen", "last seen"],
                              alignments: [.left, .right, .right, .left, .left], rule: false)
        let list = families
        for f in list {
            table.add([f.family, String(f.events), (f.distinctSourcesExact ? "" : "~") + String(f.distinctSources),
                       UTCCalendar.iso8601(nanoseconds: f.firstSeenNanoseconds), UTCCalendar.iso8601(nanoseconds: f.lastSeenNanoseconds)])
        }
        if let first = list.map(\.firstSeenNanoseconds).min(), let last = list.map(\.lastSeenNanoseconds).max() {
            table.add(["all", String(totalEvents), (distinctSourcesExact ? "" : "~") + String(distinctSources),
                       UTCCalendar.iso8601(nanoseconds: first), UTCCalendar.iso8601(nanoseconds: last)])
        } else {
            table.add(["all", "0", "0", "-", "-"])
        }
        return table.render()
    }

    /// CSV: `family,events,distinct_sources,first_seen,last_seen`, one row per family.
    public func csv() -> String {
        var text = "family,events,distinct_sources,first_seen,last_seen\n"
        for f in families {
            text += "\(CSV.field(f.family)),\(f.events),\(f.distinctSources),"
                + "\(UTCCalendar.iso8601(nanoseconds: f.firstSeenNanoseconds)),\(UTCCalendar.iso8601(nanoseconds: f.lastSeenNanoseconds))\n"
        }
        return text
    }

    /// JSON, `wormwatch.scan-summary/1`: totals and one object per family.
    public func json() -> String {
        var out: [UInt8] = []
        out += Array("{\n  \"format\": \"\(Self.format)\",\n  \"total_events\": \(totalEvents),\n  \"distinct_sources\": \(distinctSources),\n".utf8)
        if !distinctSourcesExact { out += Array("  \"distinct_sources_exact\": false,\n".utf8) }
        out += Array("  \"families\": [".utf8)
        for (i, f) in families.enumerated() {
            out += Array((i == 0 ? "\n" : ",\n").utf8)
            out += Array("    {\"family\": ".utf8)
            JSONEscaping.append(f.family, to: &out)
            out += Array(", \"events\": \(f.events), \"distinct_sources\": \(f.distinctSources), ".utf8)
            if !f.distinctSourcesExact { out += Array("\"distinct_sources_exact\": false, ".utf8) }
            out += Array("\"first_seen\": \"".utf8)
            UTCCalendar.appendISO8601(nanoseconds: f.firstSeenNanoseconds, to: &out)
            out += Array("\", \"last_seen\": \"".utf8)
            UTCCalendar.appendISO8601(nanoseconds: f.lastSeenNanoseconds, to: &out)
            out += Array("\"}".utf8)
        }
        out += Array((familyIndex.names.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
