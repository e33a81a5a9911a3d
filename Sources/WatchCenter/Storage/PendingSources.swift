import Foundation

/// Source sightings that SQLite has acknowledged but not yet folded into its `sources` and
/// `source_sensors` tables.
///
/// Upserting a batch's sources row by row touches a random page of those tables for every
/// source, and SQLite writes each touched page to its log at every commit: at a thousand
/// sources a batch that is megabytes a commit. Instead each batch appends its sightings as one
/// row of `pending_sources` (durable with the batch), the sightings are kept here, and they are
/// folded into the tables in key order now and then — many batches' sightings per page. The
/// first-seen times kept here are the effective ones (already the minimum with the tables), so
/// planning a batch reads the tables only for sources not pending.
struct PendingSources: Sendable {
    /// A source's pending change in `sources`.
    struct Global: Sendable, Equatable {
        /// The effective first sighting (the minimum with the table's).
        var first: Int64
        /// The latest pending sighting.
        var last: Int64
        /// Events to add.
        var events: Int64
        /// Sensors to add to the count.
        var addSensors: Int64
        /// The table's row when the source became pending (nil: not in the table, so the fold
        /// inserts it). Only a fold changes the row, so it is still the row at the fold.
        var stored: StoredSource?
    }

    /// A source's pending change in one sensor's `source_sensors` row.
    struct Own: Sendable, Equatable {
        /// The effective first sighting by this sensor.
        var first: Int64
        var last: Int64
        var events: Int64
    }

    struct OwnKey: Hashable, Comparable, Sendable {
        var key: SourceKey
        var sensor: Int64

        static func < (a: OwnKey, b: OwnKey) -> Bool { (a.key.familyNumber, a.key.source, a.sensor) < (b.key.familyNumber, b.key.source, b.sensor) }

        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(key.familyNumber) << 32 | UInt64(key.source))
            hasher.combine(sensor)
        }

        /// As ``SourceKey``'s, with the sensor mixed in first.
        func _rawHashValue(seed: Int) -> Int {
            KeyMixing.mix(UInt64(key.familyNumber) << 32 | UInt64(key.source), seed: KeyMixing.mix(UInt64(bitPattern: sensor), seed: seed))
        }
    }

    var global: [SourceKey: Global] = [:]
    var own: [OwnKey: Own] = [:]

    /// Empty, with room for `capacity` sources (a dictionary that grows to hundreds of
    /// thousands of entries spends more time resizing than storing: reserving halves the cost
    /// of an insertion).
    init(capacity: Int = 0) {
        global.reserveCapacity(capacity)
        own.reserveCapacity(capacity)
    }

    var isEmpty: Bool { global.isEmpty }
    /// Sources pending (the fold's trigger).
    var count: Int { global.count }

    /// Adds one sighting; `stored` is the table's row of the source (looked up when it is not
    /// pending already).
    mutating func add(_ s: PendingSighting, sensor: Int64, stored: StoredSource?) {
        absorb(Global(first: s.globalFirst, last: s.last, events: s.events, addSensors: s.addSensors, stored: stored), at: s.key)
        absorb(Own(first: s.ownFirst, last: s.last, events: s.events), at: OwnKey(key: s.key, sensor: sensor))
    }

    /// Adds everything `other` holds (a later group's sightings).
    mutating func merge(_ other: PendingSources) {
        for (key, g) in other.global { absorb(g, at: key) }
        for (key, o) in other.own { absorb(o, at: key) }
    }

    private mutating func absorb(_ g: Global, at key: SourceKey) {
        guard var mine = global[key] else {
            global[key] = g
            return
        }
        mine.first = min(mine.first, g.first)
        mine.last = max(mine.last, g.last)
        mine.events = mine.events.saturatingAdd(g.events)
        mine.addSensors += g.addSensors
        // mine.stored stays: it was read first.
        global[key] = mine
    }

    private mutating func absorb(_ o: Own, at key: OwnKey) {
        guard var mine = own[key] else {
            own[key] = o
            return
        }
        mine.first = min(mine.first, o.first)
        mine.last = max(mine.last, o.last)
        mine.events = mine.events.saturatingAdd(o.events)
        own[key] = mine
    }
}

/// A source's row in SQLite's `sources` table.
struct StoredSource: Sendable, Equatable {
    var first: Int64
    var last: Int64
    var events: Int64
    /// The one sensor that has seen the source, when only one has (its `source_sensors` row
    /// would repeat the three values above, so it is not written); nil when several have, each
    /// with its row in `source_sensors`.
    var soleSensor: Int64?

    /// The columns `first_seen_ns, last_seen_ns, events, sole_sensor` of a row.
    init(_ row: FastRow) {
        first = row.int64(0)
        last = row.int64(1)
        events = row.int64(2)
        soleSensor = row.isNull(3) ? nil : row.int64(3)
    }

    init(first: Int64, last: Int64, events: Int64, soleSensor: Int64?) {
        self.first = first
        self.last = last
        self.events = events
        self.soleSensor = soleSensor
    }
}

/// One source of a batch as the log keeps it: first sightings already the effective ones.
struct PendingSighting: Sendable, Equatable {
    var key: SourceKey
    /// The first sighting by any sensor (the minimum with what was stored or pending).
    var globalFirst: Int64
    /// The first sighting by this batch's sensor (likewise).
    var ownFirst: Int64
    var last: Int64
    var events: Int64
    /// 1 when the sensor sees the source for the first time.
    var addSensors: Int64
}

/// The log row of one batch's sightings: the sensor's upserts in a compact binary form
/// (little-endian): a family table (count, then length-prefixed UTF-8 names), then per upsert
/// the family's index (UInt16), the source (UInt32), the first sightings by all and by the
/// sensor, the last sighting and events (Int64), and whether the sensor is new to the source
/// (UInt8).
enum PendingSourcesLog {
    static func encode(_ upserts: [PendingSighting]) -> [UInt8] {
        var families: [String: UInt16] = [:]
        var names: [String] = []
        for u in upserts where families[u.key.family] == nil {
            families[u.key.family] = UInt16(truncatingIfNeeded: names.count)
            names.append(u.key.family)
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + names.count * 16 + upserts.count * 39)
        BinaryBody.putStrings(names, &out)
        BinaryBody.put(UInt32(upserts.count), &out)
        for u in upserts {
            BinaryBody.put(families[u.key.family] ?? 0, &out)
            BinaryBody.put(u.key.source, &out)
            BinaryBody.put(UInt64(bitPattern: u.globalFirst), &out)
            BinaryBody.put(UInt64(bitPattern: u.ownFirst), &out)
            BinaryBody.put(UInt64(bitPattern: u.last), &out)
            BinaryBody.put(UInt64(bitPattern: u.events), &out)
            out.append(u.addSensors > 0 ? 1 : 0)
        }
        return out
    }

    /// The upserts of a log row; nil if the row is damaged.
    static func decode(_ bytes: [UInt8]) -> [PendingSighting]? {
        var reader = BinaryBody.Reader(bytes: bytes)
        guard let names = reader.strings(), names.count <= 65_536 else { return nil }
        guard let count = reader.u32(), Int(count) <= bytes.count / 39 + 1 else { return nil }
        var upserts: [PendingSighting] = []
        upserts.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let f = reader.u16(), Int(f) < names.count, let source = reader.u32(), let globalFirst = reader.u64(),
                  let ownFirst = reader.u64(), let last = reader.u64(), let events = reader.u64(), let added = reader.u8()
            else { return nil }
            upserts.append(
                PendingSighting(
                    key: SourceKey(family: names[Int(f)], source: source), globalFirst: Int64(bitPattern: globalFirst),
                    ownFirst: Int64(bitPattern: ownFirst), last: Int64(bitPattern: last), events: Int64(bitPattern: events),
                    addSensors: added > 0 ? 1 : 0))
        }
        return reader.atEnd ? upserts : nil
    }
}
