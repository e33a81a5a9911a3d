import Foundation
import GRDB

/// SQLite's per-minute source lists (for exact distinct counts): the sources of a family seen
/// by a sensor (or by all, sensor 0) in one minute, kept as a few rows per minute
/// (`minute_source_sets`), each the sorted sources that a batch added, instead of a row per
/// (minute, source): a batch of a thousand events writes a row per minute it touches, not two
/// thousand B-tree entries.
///
/// A body is its sources as little-endian UInt32s, ascending. A minute's rows hold disjoint
/// sets; when a minute has ``maximumParts`` rows, the next batch that adds to it writes their
/// union as one row instead.
enum MinuteSourceSets {
    /// Rows a minute may have before they are merged into one.
    static let maximumParts = 16

    /// A batch's (minute, source) pairs of one family and minute: the sources, ascending and
    /// distinct.
    struct Group: Sendable {
        var familyNumber: UInt32
        var minute: Int64
        var sources: [UInt32]

        var family: String { FamilyNumbers.shared.name(familyNumber) }
    }

    /// The pairs grouped by family and minute, in key order.
    static func groups(_ pairs: Set<MinuteSource>) -> [Group] {
        var groups: [Group] = []
        for m in pairs.sorted() {
            if let last = groups.last, last.familyNumber == m.familyNumber, last.minute == m.minute {
                groups[groups.count - 1].sources.append(m.source)
            } else {
                groups.append(Group(familyNumber: m.familyNumber, minute: m.minute, sources: [m.source]))
            }
        }
        return groups
    }

    static func encode(_ sources: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sources.count * 4)
        for s in sources { BinaryBody.put(s, &out) }
        return out
    }

    /// A body's sources; nil if it is damaged (not whole UInt32s in ascending order).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [UInt32]? {
        guard bytes.count % 4 == 0 else { return nil }
        var sources: [UInt32] = []
        sources.reserveCapacity(bytes.count / 4)
        var previous: UInt32?
        for i in stride(from: 0, to: bytes.count, by: 4) {
            let s = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            if let p = previous, s <= p { return nil }
            sources.append(s)
            previous = s
        }
        return sources
    }

    /// Adds a group's sources to the lists of `sensor` (in the caller's transaction), and
    /// returns those already there.
    static func add(_ group: Group, sensor: Int64, statements: Statements, store: String) throws -> [UInt32] {
        let family = group.family
        statements.select.bind(1, family)
        statements.select.bind(2, sensor)
        statements.select.bind(3, group.minute)
        var parts: [[UInt32]] = []
        var damaged: Int64?
        try statements.select.forEachRow { row in
            if let part = decode(row.blob(1)) { parts.append(part) } else { damaged = damaged ?? row.int64(0) }
        }
        if let damaged { throw StoreError.failed(store: store, reason: "minute_source_sets row \(damaged) is damaged") }
        var known: [UInt32] = []
        var fresh: [UInt32] = []
        for s in group.sources {
            if parts.contains(where: { contains($0, s) }) { known.append(s) } else { fresh.append(s) }
        }
        guard !fresh.isEmpty else { return known }
        let body: [UInt8]
        if parts.count + 1 >= maximumParts {
            parts.append(fresh)
            body = encode(parts.joined().sorted())
            statements.delete.bind(1, family)
            statements.delete.bind(2, sensor)
            statements.delete.bind(3, group.minute)
            try statements.delete.run()
        } else {
            body = encode(fresh)
        }
        statements.insert.bind(1, family)
        statements.insert.bind(2, sensor)
        statements.insert.bind(3, group.minute)
        statements.insert.bind(4, blob: body)
        try statements.insert.run()
        return known
    }

    /// Whether the ascending `sorted` holds `value`.
    @inline(__always)
    static func contains(_ sorted: [UInt32], _ value: UInt32) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    /// The statements, prepared once a batch.
    struct Statements {
        let select: FastStatement
        let insert: FastStatement
        let delete: FastStatement

        init(_ db: Database) throws {
            select = try FastStatement(db, "SELECT id, body FROM minute_source_sets WHERE family = ? AND sensor_id = ? AND minute = ?")
            insert = try FastStatement(db, "INSERT INTO minute_source_sets (family, sensor_id, minute, body) VALUES (?, ?, ?, ?)")
            delete = try FastStatement(db, "DELETE FROM minute_source_sets WHERE family = ? AND sensor_id = ? AND minute = ?")
        }
    }

    /// Schema version 3's data move: version 2's `minute_sources` rows into one set row per
    /// family, sensor and minute, then the old table dropped.
    static func moveFromRows(_ db: Database) throws {
        let insert = try db.makeStatement(sql: "INSERT INTO minute_source_sets (family, sensor_id, minute, body) VALUES (?, ?, ?, ?)")
        let rows = try Row.fetchCursor(db, sql: "SELECT family, sensor_id, minute, source FROM minute_sources ORDER BY family, sensor_id, minute, source")
        var open: (family: String, sensor: Int64, minute: Int64)?
        var sources: [UInt32] = []
        func flush() throws {
            guard let key = open, !sources.isEmpty else { return }
            try insert.execute(arguments: [key.family, key.sensor, key.minute, Data(encode(sources))])
            sources = []
        }
        while let row = try rows.next() {
            let key = (family: row[0] as String, sensor: row[1] as Int64, minute: row[2] as Int64)
            if let o = open, o.family == key.family, o.sensor == key.sensor, o.minute == key.minute {
            } else {
                try flush()
                open = key
            }
            sources.append(UInt32(truncatingIfNeeded: row[3] as Int64))
        }
        try flush()
        try db.execute(sql: "DROP TABLE minute_sources")
    }
}
