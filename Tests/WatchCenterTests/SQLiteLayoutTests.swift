import Foundation
import GRDB
import Sensor
import Testing
import WatchCenterTestSupport
@testable import WatchCenter
import WormWatchCore
import WormWatchTestSupport

/// SQLite's own layout: batches of raw events, the log of pending sources and the per-minute
/// source sets in their binary bodies, and the moves of older databases to the current version.
@Suite("SQLite layout")
struct SQLiteLayoutTests {
    static func variedEvents(_ count: Int) -> [SensorEvent] {
        (0..<count).map { i in
            SensorEvent(
                timeNanoseconds: Make.day + Int64((i * 7_919) % 500) * 1_000_000_000 + Int64(i % 3), source: UInt32(0x0C00_0000 + i),
                destination: UInt32(0x2C00_0000 + i % 7), destinationPort: UInt16(i % 3 == 0 ? 80 : 1434),
                transport: i % 3 == 0 ? .tcp : .udp, family: i % 2 == 0 ? "code-red-v2" : "slammer", ruleID: "rule-\(i % 4)",
                severity: i % 5 == 0 ? .medium : .high, evidence: i % 9 == 0 ? "GET /é\u{0}\"\n" : "GET /default.ida?\(i % 11)",
                input: i % 2 == 0 ? "access.log" : "tap0.pcap", recordKind: i % 2 == 0 ? .line : .packet, record: i * 1_000_003)
        }
    }

    /// A database at an older schema `version`, with sensors isc (1) and sans (2), filled by
    /// `fill`.
    static func olderDatabase(at path: String, version: String, _ fill: @escaping @Sendable (Database) throws -> Void) async throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: version)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES ('isc', 'h1', '44.0.0.0/8', 0)")
            try db.execute(sql: "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES ('sans', 'h2', '45.0.0.0/8', 0)")
            try fill(db)
        }
        try queue.close()
    }

    @Test("a batch of events survives its binary body, in time order, ties in the order sent; damage is caught")
    func eventChunkRoundTrip() throws {
        let events = Self.variedEvents(600)
        let chunk = EventChunk(batch: events)
        let expected = events.indices.sorted { (events[$0].timeNanoseconds, $0) < (events[$1].timeNanoseconds, $1) }.map { events[$0] }
        #expect(chunk.entries.map(\.event) == expected)
        #expect(chunk.entries.map(\.place) == (0..<600).map(UInt16.init))
        let body = chunk.encoded()
        let back = try #require(EventChunk(decoding: body))
        #expect(back.entries.map(\.event) == expected && back.entries.map(\.place) == chunk.entries.map(\.place))
        for cut in stride(from: 0, to: body.count, by: 97) {
            #expect(EventChunk(decoding: Array(body[..<cut])) == nil, "cut at \(cut)")
        }
        #expect(EventChunk(decoding: body + [0]) == nil)
    }

    @Test("a batch's source log survives its binary body; damage is caught")
    func pendingLogRoundTrip() {
        func sighting(_ i: Int) -> PendingSighting {
            let key = SourceKey(family: i % 3 == 0 ? "nimda" : "code-red-ii", source: UInt32(i * 65_537))
            let n = Int64(i)
            return PendingSighting(key: key, globalFirst: n - 5, ownFirst: n, last: n * 9, events: n % 4, addSensors: n % 2)
        }
        let sightings = (0..<300).map(sighting)
        let body = PendingSourcesLog.encode(sightings)
        #expect(PendingSourcesLog.decode(body) == sightings)
        for cut in stride(from: 0, to: body.count, by: 53) {
            #expect(PendingSourcesLog.decode(Array(body[..<cut])) == nil, "cut at \(cut)")
        }
    }

    @Test("a version 1 database moves to version 2 with its events, in their order, by their sensors")
    func versionOneMoves() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/" + SQLiteStore.fileName
        // Version 1 stored text through GRDB, which ends it at a NUL: none here.
        let events = Self.variedEvents(2_500).map { e in
            var e = e
            e.evidence = e.evidence.replacingOccurrences(of: "\u{0}", with: "")
            return e
        }
        try await Self.olderDatabase(at: path, version: "v1") { db in
            for (i, e) in events.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO events (sensor_id, time_ns, source, destination, port, protocol, family, rule, severity, evidence, input, record_kind, record)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        i % 3 == 0 ? 2 : 1, e.timeNanoseconds, Int64(e.source), Int64(e.destination), Int64(e.destinationPort),
                        e.transport.rawValue, e.family, e.ruleID, e.severity.rawValue, e.evidence, e.input,
                        e.recordKind == .line ? "line" : "packet", Int64(e.record),
                    ])
            }
        }
        let store = try SQLiteStore(folder: folder.path)
        var got: [StoredEvent] = []
        var query = EventsQuery(fromNanoseconds: Make.day, toNanoseconds: Make.day + 86_400_000_000_000, limit: 333)
        while true {
            let page = try await store.events(query)
            got += page
            guard page.count == query.limit, let last = page.last else { break }
            query.after = (last.event.timeNanoseconds, last.id)
        }
        // Version 1 ordered by (time, row): the same order.
        let expected = events.indices.sorted { (events[$0].timeNanoseconds, $0) < (events[$1].timeNanoseconds, $1) }
        #expect(got.count == events.count)
        let firstDifference = zip(got.map(\.event), expected.map { events[$0] }).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "\(String(describing: firstDifference))")
        #expect(got.map(\.sensor) == expected.map { $0 % 3 == 0 ? "sans" : "isc" })
        #expect(try await store.pool.read { db in try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'events'") } == false)
        await store.close()
    }

    @Test("a minute's source set survives its binary body; damage (a torn or unordered body) is caught")
    func minuteSetRoundTrip() {
        let sources: [UInt32] = [0, 1, 7, 0x0C00_0001, 0xFFFF_FFFF]
        let body = MinuteSourceSets.encode(sources)
        #expect(body.count == 20)
        #expect(body.withUnsafeBytes { MinuteSourceSets.decode($0) } == sources)
        #expect(Array(body[..<19]).withUnsafeBytes { MinuteSourceSets.decode($0) } == nil)
        let unordered = MinuteSourceSets.encode([5, 3])
        #expect(unordered.withUnsafeBytes { MinuteSourceSets.decode($0) } == nil)
        let repeated = MinuteSourceSets.encode([5, 5])
        #expect(repeated.withUnsafeBytes { MinuteSourceSets.decode($0) } == nil)
    }

    @Test("a minute added to by many batches keeps few set rows and counts each source once")
    func minuteSetsAreMergedAndExact() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SQLiteStore(folder: folder.path)
        let isc = try await Make.sensor(store, "isc")
        let minute = Make.day + 10 * Make.minute
        // 40 batches into one minute: each a new source and one seen before (source 1).
        for i in 0..<40 {
            let batch = IngestBatch(events: [
                Make.event(source: UInt32(1_000 + i), at: minute + Int64(i) * 1_000_000_000), Make.event(source: 1, at: minute + 5),
            ])
            try await Make.ingest(store, batch, sensor: isc, key: "b\(i)")
        }
        let points = try await store.series(Make.wholeDay(sensor: "isc"))
        let point = try #require(points.first { $0.startNanoseconds == minute })
        #expect(point.events == 80 && point.peakMinuteSources == 41)
        let all = try await store.series(Make.wholeDay())
        #expect(all.first { $0.startNanoseconds == minute }?.peakMinuteSources == 41)
        let (rows, pairs) = try await store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM minute_source_sets") ?? -1,
                try Int.fetchOne(db, sql: "SELECT SUM(length(body)) / 4 FROM minute_source_sets") ?? -1
            )
        }
        // Two lists (the sensor's and all sensors'), each of at most maximumParts rows.
        #expect(rows <= 2 * MinuteSourceSets.maximumParts && rows >= 2)
        #expect(pairs == 2 * 41)
        await store.close()
    }

    @Test("a version 2 database moves to version 3: minute lists into sets, lone sensors into their sources")
    func versionTwoMoves() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/" + SQLiteStore.fileName
        let minute = Make.day / Make.minute + 30
        let (a, b): (Int64, Int64) = (0x0C00_0001, 0x0C00_0002)
        let t = minute * Make.minute
        try await Self.olderDatabase(at: path, version: "v2") { db in
            // a: seen by isc alone; b: by both.
            try db.execute(
                sql: "INSERT INTO sources (family, source, first_seen_ns, last_seen_ns, events, sensors) VALUES ('code-red-v2', ?, ?, ?, 1, 1), ('code-red-v2', ?, ?, ?, 2, 2)",
                arguments: [a, t, t, b, t + 1, t + 2])
            try db.execute(
                sql: """
                    INSERT INTO source_sensors (family, source, sensor_id, first_seen_ns, last_seen_ns, events)
                    VALUES ('code-red-v2', ?, 1, ?, ?, 1), ('code-red-v2', ?, 1, ?, ?, 1), ('code-red-v2', ?, 2, ?, ?, 1)
                    """,
                arguments: [a, t, t, b, t + 1, t + 1, b, t + 2, t + 2])
            for (sensor, source) in [(1, a), (1, b), (2, b), (0, a), (0, b)] {
                try db.execute(
                    sql: "INSERT INTO minute_sources (family, sensor_id, minute, source) VALUES ('code-red-v2', ?, ?, ?)",
                    arguments: [sensor, minute, source])
            }
            for (sensor, distinct, new) in [(1, 2, 2), (2, 1, 1), (0, 2, 2)] {
                try db.execute(
                    sql: "INSERT INTO intervals (family, sensor_id, minute, events, probes, distinct_sources, new_sources) VALUES ('code-red-v2', ?, ?, ?, 0, ?, ?)",
                    arguments: [sensor, minute, distinct, distinct, new])
            }
        }
        let store = try SQLiteStore(folder: folder.path)
        let moved = try await store.pool.read { db in
            (
                old: try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name IN ('minute_sources', 'sources_by_first_seen')"),
                sets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM minute_source_sets"),
                pairs: try Int.fetchOne(db, sql: "SELECT SUM(length(body)) / 4 FROM minute_source_sets"),
                sole: try Int64?.fetchAll(db, sql: "SELECT sole_sensor FROM sources ORDER BY source"),
                rows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source_sensors")
            )
        }
        #expect(moved.old == false && moved.sets == 3 && moved.pairs == 5)
        #expect(moved.sole == [1, nil] && moved.rows == 2)
        var page = try await store.sources(SourcesQuery(family: "code-red-v2"))
        #expect(page.sources.map(\.sensors) == [["isc"], ["isc", "sans"]])
        // Both sensors see a again in the same minute: only sans is new to it, and neither
        // list counts a twice.
        let sensors = try await store.sensors()
        let isc = try #require(sensors.first { $0.name == "isc" })
        let sans = try #require(sensors.first { $0.name == "sans" })
        try await Make.ingest(store, IngestBatch(events: [Make.event(source: UInt32(a), at: t + 30)]), sensor: sans, key: "s1")
        try await Make.ingest(store, IngestBatch(events: [Make.event(source: UInt32(a), at: t + 40)]), sensor: isc, key: "i1")
        page = try await store.sources(SourcesQuery(family: "code-red-v2"))
        #expect(page.sources.map(\.sensors) == [["isc", "sans"], ["isc", "sans"]])
        #expect(page.sources.first?.events == 3 && page.sources.first?.lastSeenNanoseconds == t + 40)
        func distinct(_ sensor: String?) async throws -> Int64? {
            try await store.series(Make.wholeDay(sensor: sensor)).first { $0.startNanoseconds == t }?.peakMinuteSources
        }
        #expect(try await distinct("isc") == 2)
        #expect(try await distinct("sans") == 2)
        #expect(try await distinct(nil) == 2)
        await store.close()
    }

    @Test("under a steady feed the write-ahead log is checkpointed beside the writer and stays bounded")
    func theLogStaysBounded() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // A bound of 256 frames (1 MiB); 480 batches of 500 events (50,000 sources, too few
        // for a fold, whose one transaction is as large as it is) write tens of MiB of log,
        // which would all stay in a log that never starts over.
        let store = try SQLiteStore(folder: folder.path, walRestartFrames: 256)
        let isc = try await Make.sensor(store, "isc")
        let wal = folder.path + "/" + SQLiteStore.fileName + "-wal"
        // Four feeds at once, as a busy center has them, so that the writer is never idle
        // (an idle writer lets a checkpoint finish and the log start over by itself).
        let largest = try await withThrowingTaskGroup(of: Int64.self) { group in
            for feed in 0..<4 {
                group.addTask {
                    var largest: Int64 = 0
                    for b in stride(from: feed, to: 480, by: 4) {
                        let events = (0..<500).map { i in
                            Make.event(source: UInt32(0x0C00_0000 + (b * 500 + i) % 50_000), at: Make.day + Int64(b) * Make.minute + Int64(i) * 1_000_000)
                        }
                        try await Make.ingest(store, IngestBatch(events: events), sensor: isc, key: "b\(b)")
                        let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber
                        largest = max(largest, size?.int64Value ?? 0)
                    }
                    return largest
                }
            }
            return try await group.reduce(0) { max($0, $1) }
        }
        #expect(largest > 0)
        #expect(largest < 16 << 20, "largest log \(largest) bytes")
        // Everything acknowledged is there.
        let page = try await store.sources(SourcesQuery(limit: 10_000))
        #expect(page.sources.count == 10_000 && page.next != nil && page.sources.allSatisfy { (4...5).contains($0.events) })
        let all = try await store.series(Make.wholeDay())
        #expect(all.reduce(0) { $0 + $1.events } == 240_000 && all.last?.cumulativeSources == 50_000)
        await store.close()
    }
}
