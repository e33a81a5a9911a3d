/// A family's loudest sources and its busiest /16 prefixes: where the dashboard tells an
/// operator to look first.
public struct TopSources: Sendable, Hashable {
    /// One source: the most events first, then the earliest seen (for sensors that count and
    /// name sources without events, the first ones seen).
    public struct Source: Sendable, Hashable {
        /// The address.
        public var source: UInt32
        /// Its events.
        public var events: Int64
        /// When it was first seen, nanoseconds since 1970.
        public var firstSeenNanoseconds: Int64
        /// When it was last seen, nanoseconds since 1970.
        public var lastSeenNanoseconds: Int64

        /// A source's row.
        public init(source: UInt32, events: Int64, firstSeenNanoseconds: Int64, lastSeenNanoseconds: Int64) {
            self.source = source; self.events = events
            self.firstSeenNanoseconds = firstSeenNanoseconds; self.lastSeenNanoseconds = lastSeenNanoseconds
        }
    }

    /// One /16 prefix and how many of the family's sources are in it.
    public struct Prefix: Sendable, Hashable {
        /// The prefix's first address (`a.b.0.0`).
        public var network: UInt32
        /// Sources in it.
        public var sources: Int64

        /// A prefix's row.
        public init(network: UInt32, sources: Int64) { self.network = network; self.sources = sources }
    }

    /// The family.
    public var family: String
    /// The top sources, at most the limit asked for.
    public var sources: [Source]
    /// The /16 prefixes with the most sources, most first (ties: the lower prefix first).
    public var prefixes: [Prefix]

    /// A family's top lists.
    public init(family: String, sources: [Source], prefixes: [Prefix]) {
        self.family = family; self.sources = sources; self.prefixes = prefixes
    }
}
