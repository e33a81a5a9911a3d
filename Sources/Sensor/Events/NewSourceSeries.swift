import WormWatchCore
/// Per minute and family, how many sources were seen for the first time: the curve of a
/// worm's spread as a sensor sees it. Written as CSV or JSON (`wormwatch.source-series/1`).
///
/// A source's minute is the minute of its *earliest* event in the family, whatever the order
/// the events arrive in (several inputs, read one after the other). Each family has a row for
/// every minute from its first new source to its last, zeros included; rows are ordered by
/// minute, then family. Unknown sources (0) are not counted. Memory: one (address, minute)
/// entry per distinct source and family, about 10–20 bytes each.
public struct NewSourceSeries: Sendable {
    /// The value of the JSON document's `format` key.
    public static let format = "wormwatch.source-series/1"

    /// One minute of one family.
    public struct Row: Sendable, Hashable {
        /// The minute's start, in seconds since 1970-01-01T00:00:00Z.
        public var minuteStartSeconds: Int64
        /// The family (a rule's `family`).
        public var family: String
        /// Sources whose first event in this family falls in this minute.
        public var newSources: Int
        /// Sources of this family seen up to the end of this minute.
        public var cumulativeSources: Int
    }

    /// Families, numbered as first seen; `firstMinutes` is in the same order.
    var familyIndex = FamilyIndex()
    /// Per family: source → earliest minute (minutes since the epoch).
    var firstMinutes: [[UInt32: Int32]] = []

    /// An empty series.
    public init() {}

    /// Counts one event.
    public mutating func add(_ event: SensorEvent) {
        guard event.source != 0 else { return }
        let (k, isNew) = familyIndex.number(of: event.family)
        if isNew { firstMinutes.append([:]) }
        let (seconds, _) = UTCCalendar.floorDivide(event.timeNanoseconds, 1_000_000_000)
        let minute = Int32(clamping: UTCCalendar.floorDivide(seconds, 60).0)
        let source = event.source
        update(&firstMinutes[k])

        func update(_ sources: inout [UInt32: Int32]) {
            if let known = sources[source], known <= minute { return }
            sources[source] = minute
        }
    }

    /// The rows (see the type's description).
    public var rows: [Row] {
        var rows: [Row] = []
        for (family, sources) in zip(familyIndex.names, firstMinutes) {
            var counts: [Int32: Int] = [:]
            for minute in sources.values { counts[minute, default: 0] += 1 }
            guard let first = counts.keys.min(), let last = counts.keys.max() else { continue }
            var cumulative = 0
            for minute in first...last {
                let n = counts[minute] ?? 0
                cumulative += n
                rows.append(Row(minuteStartSeconds: Int64(minute) * 60, family: family, newSources: n, cumulativeSources: cumulative))
            }
        }
        rows.sort { ($0.minuteStartSeconds, $0.family) < ($1.minuteStartSeconds, $1.family) }
        return rows
    }

    /// CSV: `minute,family,new_sources,cumulative_sources`, `minute` in ISO 8601.
    public func csv() -> String {
        var text = "minute,family,new_sources,cumulative_sources\n"
        for r in rows {
            var minute: [UInt8] = []
            UTCCalendar.appendISO8601(seconds: r.minuteStartSeconds, fractionNanoseconds: 0, to: &minute)
            text += "\(String(decoding: minute, as: UTF8.self)),\(CSV.field(r.family)),\(r.newSources),\(r.cumulativeSources)\n"
        }
        return text
    }

    /// JSON, `wormwatch.source-series/1`: `interval_seconds` (60) and the rows.
    public func json() -> String {
        var out: [UInt8] = []
        out += Array("{\n  \"format\": \"\(Self.format)\",\n  \"interval_seconds\": 60,\n  \"rows\": [".utf8)
        let all = rows
        for (i, r) in all.enumerated() {
            out += Array((i == 0 ? "\n" : ",\n").utf8)
            out += Array("    {\"minute\": \"".utf8)
            UTCCalendar.appendISO8601(seconds: r.minuteStartSeconds, fractionNanoseconds: 0, to: &out)
            out += Array("\", \"family\": ".utf8)
            JSONEscaping.append(r.family, to: &out)
            out += Array(", \"new_sources\": \(r.newSources), \"cumulative_sources\": \(r.cumulativeSources)}".utf8)
        }
        out += Array((all.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
