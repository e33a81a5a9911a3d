import Foundation
import GRDB
import Sensor
import Testing
import WatchCenterTestSupport
@testable import WatchCenter
import WormWatchCore
import WormWatchTestSupport

/// SQLite's own layout: batches of raw events and the log of pending sources in their binary
/// bodies, and the move of a version 1 database to version 2.
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
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "v1")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES ('isc', 'h1', '44.0.0.0/8', 0)")
                try db.execute(sql: "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES ('sans', 'h2', '45.0.0.0/8', 0)")
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
            try queue.close()
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
}
