import Sensor
import WormWatchCore

/// A batch's raw events as SQLite keeps them: one row a batch (`event_batches`), the events in
/// time order (ties in the order sent) in a compact binary body, instead of a row and an index
/// entry per event — a thousand B-tree insertions a batch fewer.
///
/// An event's id is its row's id times 2^16 plus its place in the batch, so ordering by
/// (time, id) is what a row per event gave: time, then the order batches were stored and sent.
/// Places stay when retention drops a batch's older events.
///
/// The body, little-endian: a string table (UInt32 count, then UInt32 length and UTF-8 bytes
/// each), then UInt32 events, each: place (UInt16), time (Int64), source, destination (UInt32),
/// port (UInt16), record kind (UInt8: 0 line, 1 packet), record (Int64), and the table indexes
/// (UInt32) of protocol, family, rule, severity, evidence and input.
struct EventChunk: Sendable, Equatable {
    /// An event and its place in its batch.
    struct Entry: Sendable, Equatable {
        var place: UInt16
        var event: SensorEvent
    }

    /// In (time, place) order.
    var entries: [Entry]

    /// A batch's events, ordered by time (stable).
    init(batch events: [SensorEvent]) {
        let order = events.indices.sorted { (events[$0].timeNanoseconds, $0) < (events[$1].timeNanoseconds, $1) }
        entries = order.enumerated().map { Entry(place: UInt16(truncatingIfNeeded: $0.offset), event: events[$0.element]) }
    }

    init(entries: [Entry]) {
        self.entries = entries
    }

    var firstNanoseconds: Int64 { entries.first?.event.timeNanoseconds ?? 0 }
    var lastNanoseconds: Int64 { entries.last?.event.timeNanoseconds ?? 0 }

    /// The id of an entry of the row `row`.
    static func id(row: Int64, place: UInt16) -> Int64 { row << 16 | Int64(place) }

    func encoded() -> [UInt8] {
        var strings: [String: UInt32] = [:]
        var table: [String] = []
        func index(_ s: String) -> UInt32 {
            if let i = strings[s] { return i }
            let i = UInt32(truncatingIfNeeded: table.count)
            strings[s] = i
            table.append(s)
            return i
        }
        var rows: [UInt8] = []
        rows.reserveCapacity(entries.count * 53)
        for entry in entries {
            let e = entry.event
            BinaryBody.put(entry.place, &rows)
            BinaryBody.put(UInt64(bitPattern: e.timeNanoseconds), &rows)
            BinaryBody.put(e.source, &rows)
            BinaryBody.put(e.destination, &rows)
            BinaryBody.put(e.destinationPort, &rows)
            rows.append(e.recordKind == .line ? 0 : 1)
            BinaryBody.put(UInt64(bitPattern: Int64(e.record)), &rows)
            for s in [e.transport.rawValue, e.family, e.ruleID, e.severity.rawValue, e.evidence, e.input] { BinaryBody.put(index(s), &rows) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(rows.count + 8 + table.reduce(0) { $0 + 4 + $1.utf8.count })
        BinaryBody.putStrings(table, &out)
        BinaryBody.put(UInt32(entries.count), &out)
        out.append(contentsOf: rows)
        return out
    }

    /// The chunk of a stored body; nil if the body is damaged.
    init?(decoding bytes: [UInt8]) {
        var reader = BinaryBody.Reader(bytes: bytes)
        guard let table = reader.strings() else { return nil }
        guard let count = reader.u32(), Int(count) <= bytes.count / 51 + 1 else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        func text(_ i: UInt32?) -> String? { i.flatMap { Int($0) < table.count ? table[Int($0)] : nil } }
        for _ in 0..<count {
            guard let place = reader.u16(), let time = reader.u64(), let source = reader.u32(), let destination = reader.u32(),
                  let port = reader.u16(), let kind = reader.u8(), kind <= 1, let record = reader.u64(),
                  let transport = text(reader.u32()).flatMap({ TransportProtocol(rawValue: $0) }),
                  let family = text(reader.u32()), let rule = text(reader.u32()),
                  let severity = text(reader.u32()).flatMap({ Rule.Severity(rawValue: $0) }),
                  let evidence = text(reader.u32()), let input = text(reader.u32())
            else { return nil }
            entries.append(
                Entry(
                    place: place,
                    event: SensorEvent(
                        timeNanoseconds: Int64(bitPattern: time), source: source, destination: destination, destinationPort: port,
                        transport: transport, family: family, ruleID: rule, severity: severity, evidence: evidence, input: input,
                        recordKind: kind == 0 ? .line : .packet, record: Int(Int64(bitPattern: record)))))
        }
        guard reader.atEnd else { return nil }
        self.entries = entries
    }
}

/// Merges batches' events into one page in (time, id) order, keeping those the query wants.
struct EventMerger {
    struct Open {
        var entries: [EventChunk.Entry]
        var at: Int
        var row: Int64
        var sensor: String
    }

    let query: EventsQuery
    var open: [Open] = []
    var out: [StoredEvent] = []

    init(query: EventsQuery) {
        self.query = query
    }

    /// The time of the next event out; nil when no batch is open.
    var nextTime: Int64? {
        open.lazy.map { $0.entries[$0.at].event.timeNanoseconds }.min()
    }

    mutating func open(_ chunk: EventChunk, row: Int64, sensor: String) {
        let from = query.fromNanoseconds
        let family = query.family
        let entries = chunk.entries.filter { e in
            e.event.timeNanoseconds >= from && e.event.timeNanoseconds < query.toNanoseconds && (family == nil || e.event.family == family)
                && query.after.map { (e.event.timeNanoseconds, EventChunk.id(row: row, place: e.place)) > ($0.time, $0.id) } ?? true
        }
        if !entries.isEmpty { open.append(Open(entries: entries, at: 0, row: row, sensor: sensor)) }
    }

    /// Moves the next event out; false when none is left.
    mutating func emitNext() -> Bool {
        var best: Int?
        var bestKey = (Int64.max, Int64.max)
        for (i, o) in open.enumerated() {
            let e = o.entries[o.at]
            let key = (e.event.timeNanoseconds, EventChunk.id(row: o.row, place: e.place))
            if best == nil || key < bestKey {
                best = i
                bestKey = key
            }
        }
        guard let i = best else { return false }
        let e = open[i].entries[open[i].at]
        out.append(StoredEvent(id: bestKey.1, sensor: open[i].sensor, event: e.event))
        open[i].at += 1
        if open[i].at == open[i].entries.count { open.remove(at: i) }
        return true
    }
}

/// A batch's events as their `event_batches` row will hold them, encoded before the batch
/// reaches the writer (by the task that received it, in parallel with other batches).
struct EncodedEvents: Sendable {
    var firstNanoseconds: Int64
    var lastNanoseconds: Int64
    var count: Int64
    var body: [UInt8]

    /// Nil for a batch without events.
    init?(_ events: [SensorEvent]) {
        guard !events.isEmpty else { return nil }
        let chunk = EventChunk(batch: events)
        firstNanoseconds = chunk.firstNanoseconds
        lastNanoseconds = chunk.lastNanoseconds
        count = Int64(chunk.entries.count)
        body = chunk.encoded()
    }
}
