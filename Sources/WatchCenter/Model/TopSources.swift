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

extension TopSources {
    /// Builds the top lists in one pass over a family's sources, in any order: the `limit`
    /// best sources so far and a count per /16 (512 KiB).
    struct Accumulator {
        let limit: Int
        private(set) var best: [Source] = []
        private var perPrefix = [Int64](repeating: 0, count: 1 << 16)

        init(limit: Int) { self.limit = max(0, limit) }

        /// Whether `a` ranks before `b`: more events, then seen earlier, then the lower address.
        static func ranksBefore(_ a: Source, _ b: Source) -> Bool {
            if a.events != b.events { return a.events > b.events }
            if a.firstSeenNanoseconds != b.firstSeenNanoseconds { return a.firstSeenNanoseconds < b.firstSeenNanoseconds }
            return a.source < b.source
        }

        mutating func add(_ s: Source) {
            perPrefix[Int(s.source >> 16)] += 1
            Self.keep(s, in: &best, limit: limit, ranksBefore: Self.ranksBefore)
        }

        func result(family: String) -> TopSources {
            var prefixes: [Prefix] = []
            // Prefixes come in ascending order, so among equal counts the lower one stays first.
            for (p, n) in perPrefix.enumerated() where n > 0 {
                Self.keep(Prefix(network: UInt32(p) << 16, sources: n), in: &prefixes, limit: limit) { $0.sources > $1.sources }
            }
            return TopSources(family: family, sources: best, prefixes: prefixes)
        }

        /// Inserts `item` into `list` (best first, at most `limit`) if it ranks among the best;
        /// an item ranking equal to one already there goes after it.
        static func keep<T>(_ item: T, in list: inout [T], limit: Int, ranksBefore: (T, T) -> Bool) {
            guard limit > 0 else { return }
            if list.count == limit {
                guard let last = list.last, ranksBefore(item, last) else { return }
                list.removeLast()
            }
            list.insert(item, at: list.firstIndex { ranksBefore(item, $0) } ?? list.count)
        }
    }
}
