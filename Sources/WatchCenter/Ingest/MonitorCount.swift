import WormWatchCore

/// One monitor's counts for one interval, `wormwatch.observation/1`: what a telescope or a
/// replayed engine monitor saw of one worm family, without the probes themselves.
///
/// ```
/// {"format":"wormwatch.observation/1","family":"code-red-v2","start":"2001-07-19T12:00:00Z","seconds":60,"probes":5210,"distinct_sources":1204,"new_sources":[{"source":"12.34.56.78","first_seen":"2001-07-19T12:00:03.25Z"}]}
/// ```
///
/// - `start`: the interval's start (ISO 8601 UTC); `seconds`: its length, 1 to 86,400.
/// - `probes`: probes that reached the monitored blocks; `distinct_sources`: how many addresses
///   sent them (at most `probes`).
/// - `new_sources`: the addresses this monitor saw for the first time in the interval, each with
///   its first-seen time inside the interval (at most `distinct_sources` of them).
/// - `new_source_count` (optional; default: the length of `new_sources`): how many addresses
///   it saw for the first time, when it counts more than it names — a monitor that keeps
///   counts, not addresses (an engine monitor in a replay, a summarising telescope). The
///   unnamed ones count as new for this sensor and for all sensors together, but cannot be
///   told apart from another sensor's: the all-sensors count is then an upper bound.
///
/// The center files the counts under the minute the interval starts.
public struct MonitorCount: Sendable, Hashable {
    /// The value of every line's `format` key.
    public static let format = "wormwatch.observation/1"

    /// One address seen for the first time.
    public struct NewSource: Sendable, Hashable {
        /// The address, host byte order.
        public var source: UInt32
        /// When it was first seen, nanoseconds since 1970.
        public var firstSeenNanoseconds: Int64

        /// Creates a new source.
        public init(source: UInt32, firstSeenNanoseconds: Int64) {
            self.source = source
            self.firstSeenNanoseconds = firstSeenNanoseconds
        }
    }

    /// The worm family counted (`code-red-v2`).
    public var family: String
    /// The interval's start, nanoseconds since 1970.
    public var startNanoseconds: Int64
    /// The interval's length in seconds.
    public var seconds: Int
    /// Probes seen.
    public var probes: Int64
    /// Distinct sources of those probes.
    public var distinctSources: Int64
    /// Sources seen for the first time, by address.
    public var newSources: [NewSource]
    /// How many sources were seen for the first time (at least `newSources.count`).
    public var newSourceCount: Int64

    /// Creates counts; `newSourceCount` defaults to the sources named.
    public init(
        family: String, startNanoseconds: Int64, seconds: Int, probes: Int64, distinctSources: Int64, newSources: [NewSource],
        newSourceCount: Int64? = nil
    ) {
        self.family = family
        self.startNanoseconds = startNanoseconds
        self.seconds = seconds
        self.probes = probes
        self.distinctSources = distinctSources
        self.newSources = newSources
        self.newSourceCount = newSourceCount ?? Int64(newSources.count)
    }

    /// New sources counted but not named.
    public var unnamedNewSources: Int64 { newSourceCount - Int64(newSources.count) }

    /// Appends the line, ending in `\n`, keys in a fixed order.
    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"format":"wormwatch.observation/1","family":"#.utf8)
        JSONEscaping.append(family, to: &out)
        out.append(contentsOf: #","start":""#.utf8)
        UTCCalendar.appendISO8601(nanoseconds: startNanoseconds, to: &out)
        out.append(contentsOf: #"","seconds":"#.utf8)
        DecimalText.append(seconds, to: &out)
        out.append(contentsOf: #","probes":"#.utf8)
        DecimalText.append(Int(probes), to: &out)
        out.append(contentsOf: #","distinct_sources":"#.utf8)
        DecimalText.append(Int(distinctSources), to: &out)
        out.append(contentsOf: #","new_sources":["#.utf8)
        for (i, s) in newSources.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"source":""#.utf8)
            IPv4Address(s.source).appendDottedQuad(to: &out)
            out.append(contentsOf: #"","first_seen":""#.utf8)
            UTCCalendar.appendISO8601(nanoseconds: s.firstSeenNanoseconds, to: &out)
            out.append(contentsOf: #""}"#.utf8)
        }
        out.append(UInt8(ascii: "]"))
        if unnamedNewSources != 0 {
            out.append(contentsOf: #","new_source_count":"#.utf8)
            DecimalText.append(Int(newSourceCount), to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}

extension MonitorCount: Decodable {
    enum CodingKeys: String, CodingKey {
        case format, family, start, seconds, probes
        case distinctSources = "distinct_sources"
        case newSources = "new_sources"
        case newSourceCount = "new_source_count"
    }

    enum NewSourceKeys: String, CodingKey {
        case source
        case firstSeen = "first_seen"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decode(String.self, forKey: .family)
        let start = try c.decode(String.self, forKey: .start)
        guard let startNanoseconds = UTCCalendar.parseISO8601Nanoseconds(start) else {
            throw IngestProblem(field: "start", reason: "'\(start.prefix(40))' is not an ISO 8601 UTC time like 2001-07-19T10:00:00Z")
        }
        self.startNanoseconds = startNanoseconds
        seconds = try c.decode(Int.self, forKey: .seconds)
        probes = try c.decode(Int64.self, forKey: .probes)
        distinctSources = try c.decode(Int64.self, forKey: .distinctSources)
        var list = try c.nestedUnkeyedContainer(forKey: .newSources)
        var sources: [NewSource] = []
        while !list.isAtEnd {
            let index = list.currentIndex
            let item = try list.nestedContainer(keyedBy: NewSourceKeys.self)
            let text = try item.decode(String.self, forKey: .source)
            guard let address = IPv4Address(text) else {
                throw IngestProblem(field: "new_sources[\(index)].source", reason: "'\(text.prefix(40))' is not an IPv4 address")
            }
            let seen = try item.decode(String.self, forKey: .firstSeen)
            guard let ns = UTCCalendar.parseISO8601Nanoseconds(seen) else {
                throw IngestProblem(field: "new_sources[\(index)].first_seen", reason: "'\(seen.prefix(40))' is not an ISO 8601 UTC time")
            }
            sources.append(NewSource(source: address.value, firstSeenNanoseconds: ns))
        }
        newSources = sources
        newSourceCount = try c.decodeIfPresent(Int64.self, forKey: .newSourceCount) ?? Int64(sources.count)
    }
}
