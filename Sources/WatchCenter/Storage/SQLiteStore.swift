import Foundation
import GRDB
import Sensor
import WormWatchCore

/// The embedded store: one SQLite database in a data folder (`watch-center.sqlite`), in WAL
/// mode with `synchronous=FULL`, so an acknowledged batch survives a crash of the server and
/// of the machine. Nothing to install or start. One writer at a time; readers never wait.
public final class SQLiteStore: ObservationStore {
    /// The database file's name inside the data folder.
    public static let fileName = "watch-center.sqlite"

    let pool: DatabasePool
    let writer: GroupCommitQueue
    let checkpointer: WALCheckpointer
    /// The data folder.
    public let folder: String

    public var description: String { folder }

    /// Opens (creating if needed) the store in `folder`, and brings its schema up to date.
    public convenience init(folder: String) throws(StoreError) {
        try self.init(folder: folder, walRestartFrames: WALCheckpointer.defaultRestartFrames)
    }

    /// The same, with the log's bound (see ``WALCheckpointer``) set.
    init(folder: String, walRestartFrames: Int) throws(StoreError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unavailable(store: folder, reason: "cannot create the folder (\(Self.reason(error)))")
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 64 MiB of page cache per connection (SQLite's default is 2 MiB).
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Checkpoints are the WALCheckpointer's, not the committing writer's; a log that a
            // large transaction (a fold) grew is cut back to 64 MiB when it starts over.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        do {
            pool = try DatabasePool(path: folder + "/" + Self.fileName, configuration: config)
        } catch {
            throw .unavailable(store: folder, reason: Self.reason(error))
        }
        let migrator = Self.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let applied = (try? pool.read { db in try migrator.appliedIdentifiers(db) }) ?? []
                throw StoreError.schemaTooNew(store: folder, found: applied.count, known: StoreSchema.sqlite)
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(store: folder, reason: "cannot bring the schema up to date (\(Self.reason(error)))")
        }
        do {
            checkpointer = try WALCheckpointer(path: folder + "/" + Self.fileName, restartFrames: walRestartFrames)
        } catch {
            throw .unavailable(store: folder, reason: Self.reason(error))
        }
        writer = GroupCommitQueue(pool: pool, store: folder, checkpointer: checkpointer)
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }

    /// The schema's versions, applied in order at start (GRDB records them in `grdb_migrations`).
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: SQLiteSchema.v1)
        }
        m.registerMigration("v2") { db in
            try db.execute(sql: SQLiteSchema.v2)
            try SQLiteSchema.moveEventsToBatches(db)
        }
        m.registerMigration("v3") { db in
            try db.execute(sql: SQLiteSchema.v3)
            try MinuteSourceSets.moveFromRows(db)
        }
        return m
    }

    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .failed(store: folder, reason: Self.reason(error))
        }
    }

    func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .failed(store: folder, reason: Self.reason(error))
        }
    }

    // MARK: Sensors

    static let sensorColumns = "id, name, monitors, created_ns, revoked_ns, last_batch_ns, batches, events, observations"

    static func sensor(_ row: Row) -> SensorRecord {
        let monitors = (row["monitors"] as String? ?? "").split(separator: ",").compactMap { IPv4Prefix($0) }
        return SensorRecord(
            id: row["id"], name: row["name"], monitors: monitors, createdNanoseconds: row["created_ns"],
            revokedNanoseconds: row["revoked_ns"], lastBatchNanoseconds: row["last_batch_ns"], batches: row["batches"],
            events: row["events"], observations: row["observations"])
    }

    public func addSensor(name: String, monitors: [IPv4Prefix], tokenHash: String, now: Int64) async throws(StoreError) -> SensorRecord {
        guard SensorName.isValid(name) else { throw .invalidSensorName(name: name) }
        guard !monitors.isEmpty else { throw .noMonitors }
        let text = monitors.map(\.description).joined(separator: ",")
        return try await writing { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM sensors WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.sensorExists(name: name)
            }
            try db.execute(
                sql: "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES (?, ?, ?, ?)",
                arguments: [name, tokenHash, text, now])
            return SensorRecord(id: db.lastInsertedRowID, name: name, monitors: monitors, createdNanoseconds: now)
        }
    }

    public func sensors() async throws(StoreError) -> [SensorRecord] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.sensorColumns) FROM sensors ORDER BY name").map(Self.sensor)
        }
    }

    public func revokeSensor(name: String, now: Int64) async throws(StoreError) -> SensorRecord {
        try await writing { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.sensorColumns) FROM sensors WHERE name = ?", arguments: [name]) else {
                let names = try String.fetchAll(db, sql: "SELECT name FROM sensors")
                throw StoreError.unknownSensor(name: name, suggestion: YAMLWalker<StoreError>.suggestion(for: name, among: names))
            }
            var sensor = Self.sensor(row)
            if sensor.revokedNanoseconds == nil {
                try db.execute(sql: "UPDATE sensors SET revoked_ns = ? WHERE id = ?", arguments: [now, sensor.id])
                sensor.revokedNanoseconds = now
            }
            return sensor
        }
    }

    public func sensor(tokenHash: String) async throws(StoreError) -> SensorRecord? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.sensorColumns) FROM sensors WHERE token_hash = ?", arguments: [tokenHash]).map(Self.sensor)
        }
    }

    // MARK: Ingest

    public func ingest(_ batch: IngestBatch, sensor: SensorRecord, key: String, bodyDigest: String, now: Int64) async throws(StoreError) -> IngestReceipt {
        try await writer.submit(batch, sensor: sensor.id, key: key, digest: bodyDigest, now: now).get()
    }

    /// One batch, inside the writer's transaction: its receipt, and the sightings to add to
    /// the pending sources once its savepoint stands. `pending` is what earlier groups and
    /// batches left pending.
    static func ingestOne(
        _ db: Database, _ batch: IngestBatch, _ digest: BatchDigest, events: EncodedEvents?, minuteGroups: [MinuteSourceSets.Group],
        sensor id: Int64, key: String, digest bodyDigest: String, now: Int64, pending: PendingSources, store: String
    ) throws -> (receipt: IngestReceipt, staged: [(PendingSighting, stored: StoredSource?)]) {
        if let row = try Row.fetchOne(
            db, sql: "SELECT body_sha256, received_ns, events, observations, new_sources FROM batches WHERE sensor_id = ? AND idempotency_key = ?",
            arguments: [id, key])
        {
            guard (row["body_sha256"] as String) == bodyDigest else { throw StoreError.keyReused(key: key) }
            return (
                IngestReceipt(
                    key: key, events: row["events"], observations: row["observations"], newSources: row["new_sources"],
                    receivedNanoseconds: row["received_ns"], replayed: true), []
            )
        }
        let (state, stored) = try Self.state(db, digest: digest, minuteGroups: minuteGroups, sensor: id, pending: pending, store: store)
        let plan = BatchPlan(digest: digest, state: state, sensor: id)
        let sightings = plan.sources.map { u in
            PendingSighting(
                key: u.key, globalFirst: min(u.first, state.globalFirstSeen[u.key] ?? u.first),
                ownFirst: min(u.first, state.sensorFirstSeen[u.key] ?? u.first), last: u.last, events: u.events, addSensors: u.addSensors)
        }
        try Self.apply(db, plan: plan, sightings: sightings, events: events, sensor: id)
        let receipt = IngestReceipt(
            key: key, events: batch.events.count, observations: batch.counts.count, newSources: plan.newSources,
            receivedNanoseconds: now, replayed: false)
        try db.execute(
            sql: """
                INSERT INTO batches (sensor_id, idempotency_key, body_sha256, received_ns, events, observations, new_sources)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, key, bodyDigest, now, receipt.events, receipt.observations, receipt.newSources])
        try db.execute(
            sql: "UPDATE sensors SET last_batch_ns = ?, batches = batches + 1, events = events + ?, observations = observations + ? WHERE id = ?",
            arguments: [now, receipt.events, receipt.observations, id])
        return (receipt, sightings.map { ($0, stored[$0.key] ?? nil) })
    }

    /// What the store holds of the batch's keys — pending sightings first, then the tables —
    /// and, for sources not pending, the tables' rows (nil: not there).
    static func state(
        _ db: Database, digest: BatchDigest, minuteGroups: [MinuteSourceSets.Group], sensor: Int64, pending: PendingSources, store: String
    ) throws -> (BatchState, [SourceKey: StoredSource?]) {
        var state = BatchState()
        var stored: [SourceKey: StoredSource?] = [:]
        let global = try FastStatement(db, "SELECT first_seen_ns, last_seen_ns, events, sole_sensor FROM sources WHERE family = ? AND source = ?")
        let own = try FastStatement(db, "SELECT first_seen_ns FROM source_sensors WHERE family = ? AND source = ? AND sensor_id = ?")
        for key in digest.sightings.keys {
            let source = Int64(key.source)
            // The table's row, as read now or when the source became pending.
            let row: StoredSource?
            if let p = pending.global[key] {
                state.globalFirstSeen[key] = p.first
                row = p.stored
            } else {
                global.bind(1, key.family)
                global.bind(2, source)
                row = try global.first(StoredSource.init)
                stored[key] = row
                if let row { state.globalFirstSeen[key] = row.first }
            }
            if let first = pending.own[PendingSources.OwnKey(key: key, sensor: sensor)]?.first {
                state.sensorFirstSeen[key] = first
            } else if let row {
                if let sole = row.soleSensor {
                    if sole == sensor { state.sensorFirstSeen[key] = row.first }
                } else {
                    own.bind(1, key.family)
                    own.bind(2, source)
                    own.bind(3, sensor)
                    if let first = try own.int64() { state.sensorFirstSeen[key] = first }
                }
            }
        }
        // The per-minute source lists are written here, in the same transaction: the sources
        // they hold already tell the plan which pairs were known; apply() skips the plan's
        // minute inserts.
        let sets = try MinuteSourceSets.Statements(db)
        for group in minuteGroups {
            for known in try MinuteSourceSets.add(group, sensor: sensor, statements: sets, store: store) {
                state.sensorMinutes.insert(MinuteSource(familyNumber: group.familyNumber, minute: group.minute, source: known))
            }
            for known in try MinuteSourceSets.add(group, sensor: BatchPlan.allSensors, statements: sets, store: store) {
                state.globalMinutes.insert(MinuteSource(familyNumber: group.familyNumber, minute: group.minute, source: known))
            }
        }
        return (state, stored)
    }

    static func apply(_ db: Database, plan: BatchPlan, sightings: [PendingSighting], events: EncodedEvents?, sensor: Int64) throws {
        // The sources are logged in one row; fold() brings them into the tables later.
        if !sightings.isEmpty {
            try db.execute(
                sql: "INSERT INTO pending_sources (sensor_id, body) VALUES (?, ?)",
                arguments: [sensor, Data(PendingSourcesLog.encode(sightings))])
        }
        // plan.minuteInserts were written by state().
        let interval = try FastStatement(
            db,
            """
            INSERT INTO intervals (family, sensor_id, minute, events, probes, distinct_sources, new_sources) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (family, sensor_id, minute) DO UPDATE SET
              events = min(events + excluded.events, \(StoreLimits.saturation)),
              probes = min(probes + excluded.probes, \(StoreLimits.saturation)),
              distinct_sources = min(distinct_sources + excluded.distinct_sources, \(StoreLimits.saturation)),
              new_sources = new_sources + excluded.new_sources
            """)
        for (key, d) in plan.intervals {
            interval.bind(1, key.family)
            interval.bind(2, key.sensor)
            interval.bind(3, key.minute)
            interval.bind(4, d.events)
            interval.bind(5, d.probes)
            interval.bind(6, d.distinct)
            interval.bind(7, d.newSources)
            try interval.run()
        }
        if let events {
            let insert = try FastStatement(
                db, "INSERT INTO event_batches (sensor_id, first_ns, last_ns, events, body) VALUES (?, ?, ?, ?, ?)")
            insert.bind(1, sensor)
            insert.bind(2, events.firstNanoseconds)
            insert.bind(3, events.lastNanoseconds)
            insert.bind(4, events.count)
            insert.bind(5, blob: events.body)
            try insert.run()
        }
    }

    /// Folds the pending sightings into `sources` and `source_sensors`, in key order, and
    /// empties the log, in the caller's transaction. A source seen by one sensor only keeps
    /// that sensor in its `sources` row (`sole_sensor`) and has no `source_sensors` row; when
    /// a second sensor sees it, the first one's row is written out from the `sources` row.
    static func fold(_ db: Database, _ pending: PendingSources) throws {
        guard !pending.isEmpty else { return }
        let insert = try FastStatement(
            db, "INSERT INTO sources (family, source, first_seen_ns, last_seen_ns, events, sensors, sole_sensor) VALUES (?, ?, ?, ?, ?, ?, ?)")
        // Only a source seen earlier than stored moves in the first-seen index.
        let earlier = try FastStatement(
            db,
            """
            UPDATE sources SET first_seen_ns = min(first_seen_ns, ?3), last_seen_ns = max(last_seen_ns, ?4),
              events = min(events + ?5, \(StoreLimits.saturation)), sensors = sensors + ?6, sole_sensor = ?7 WHERE family = ?1 AND source = ?2
            """)
        let later = try FastStatement(
            db,
            """
            UPDATE sources SET last_seen_ns = max(last_seen_ns, ?4),
              events = min(events + ?5, \(StoreLimits.saturation)), sensors = sensors + ?6, sole_sensor = ?7 WHERE family = ?1 AND source = ?2
            """)
        let own = try FastStatement(
            db,
            """
            INSERT INTO source_sensors (family, source, sensor_id, first_seen_ns, last_seen_ns, events) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (family, source, sensor_id) DO UPDATE SET
              first_seen_ns = min(first_seen_ns, excluded.first_seen_ns), last_seen_ns = max(last_seen_ns, excluded.last_seen_ns),
              events = min(events + excluded.events, \(StoreLimits.saturation))
            """)
        func writeOwn(_ key: SourceKey, sensor: Int64, first: Int64, last: Int64, events: Int64) throws {
            own.bind(1, key.family)
            own.bind(2, Int64(key.source))
            own.bind(3, sensor)
            own.bind(4, first)
            own.bind(5, last)
            own.bind(6, events)
            try own.run()
        }
        // Both in key order; a source's pending sensors are consecutive in `ownKeys`.
        let keys = pending.global.keys.sorted()
        let ownKeys = pending.own.keys.sorted()
        var next = 0
        for key in keys {
            guard let g = pending.global[key] else { continue }
            while next < ownKeys.count && ownKeys[next].key < key { next += 1 }
            let first = next
            while next < ownKeys.count && ownKeys[next].key == key { next += 1 }
            let sensors = ownKeys[first..<next]
            // Who has seen it after the fold: one sensor (kept in the row), or several.
            var sole: Int64?
            var writeOut: (sensor: Int64, row: StoredSource)?
            if let stored = g.stored {
                if let s = stored.soleSensor {
                    if sensors.allSatisfy({ $0.sensor == s }) { sole = s } else { writeOut = (s, stored) }
                }
            } else if sensors.count == 1, let only = sensors.first {
                sole = only.sensor
            }
            let statement: FastStatement
            if let stored = g.stored { statement = g.first < stored.first ? earlier : later } else { statement = insert }
            statement.bind(1, key.family)
            statement.bind(2, Int64(key.source))
            statement.bind(3, g.first)
            statement.bind(4, g.last)
            statement.bind(5, g.events)
            statement.bind(6, g.addSensors)
            statement.bind(7, sole)
            try statement.run()
            guard sole == nil else { continue }
            if let w = writeOut { try writeOwn(key, sensor: w.sensor, first: w.row.first, last: w.row.last, events: w.row.events) }
            for k in sensors {
                guard let o = pending.own[k] else { continue }
                try writeOwn(key, sensor: k.sensor, first: o.first, last: o.last, events: o.events)
            }
        }
        try db.execute(sql: "DELETE FROM pending_sources")
    }

    /// The pending sightings the log holds (at start, after a stop without a fold).
    static func loadPending(_ db: Database, store: String) throws -> PendingSources {
        var pending = PendingSources(capacity: GroupCommitQueue.foldThreshold + GroupCommitQueue.maxGroup * 1_000)
        let global = try FastStatement(db, "SELECT first_seen_ns, last_seen_ns, events, sole_sensor FROM sources WHERE family = ? AND source = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, sensor_id, body FROM pending_sources ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            guard let body = row["body"] as Data?, let sightings = PendingSourcesLog.decode([UInt8](body)) else {
                throw StoreError.failed(store: store, reason: "pending_sources row \(id) is damaged")
            }
            let sensor: Int64 = row["sensor_id"]
            for s in sightings {
                var stored: StoredSource?
                if pending.global[s.key] == nil {
                    global.bind(1, s.key.family)
                    global.bind(2, Int64(s.key.source))
                    stored = try global.first(StoredSource.init)
                }
                pending.add(s, sensor: sensor, stored: stored)
            }
        }
        return pending
    }

    // MARK: Reading

    public func families() async throws(StoreError) -> [FamilySummary] {
        try await reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT family, SUM(new_sources) AS sources, SUM(events) AS events, SUM(probes) AS probes,
                           MIN(minute) AS first, MAX(minute) AS last
                    FROM intervals WHERE sensor_id = 0 GROUP BY family ORDER BY family
                    """
            ).map { row in
                FamilySummary(
                    family: row["family"], sources: row["sources"], events: row["events"], probes: row["probes"],
                    firstNanoseconds: (row["first"] as Int64) * 60_000_000_000, lastNanoseconds: (row["last"] as Int64) * 60_000_000_000)
            }
        }
    }

    public func series(_ query: SeriesQuery) async throws(StoreError) -> [SeriesPoint] {
        let start = SeriesAssembly.startMinute(query)
        let end = minuteOf(query.toNanoseconds - 1)
        return try await reading { db in
            var sensorID = BatchPlan.allSensors
            if let name = query.sensor {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM sensors WHERE name = ?", arguments: [name]) else {
                    let names = try String.fetchAll(db, sql: "SELECT name FROM sensors")
                    throw StoreError.unknownSensor(name: name, suggestion: YAMLWalker<StoreError>.suggestion(for: name, among: names))
                }
                sensorID = id
            }
            let familyClause = query.family == nil ? "" : " AND family = ?"
            let stepMinutes = max(1, query.stepSeconds / 60)
            var arguments: StatementArguments = [stepMinutes, sensorID, start, end]
            if let f = query.family { arguments += [f] }
            // Steps are summed in SQLite, one row a step: with one family a minute has one row;
            // across families the minutes are summed first (the peak is of the sums).
            let sql =
                query.family != nil
                ? """
                SELECT minute / ? AS bucket, SUM(events), SUM(probes), MAX(distinct_sources), SUM(new_sources)
                FROM intervals WHERE sensor_id = ? AND minute BETWEEN ? AND ?\(familyClause) GROUP BY bucket ORDER BY bucket
                """
                : """
                SELECT minute / ? AS bucket, SUM(e), SUM(p), MAX(d), SUM(n) FROM (
                  SELECT minute, SUM(events) AS e, SUM(probes) AS p, SUM(distinct_sources) AS d, SUM(new_sources) AS n
                  FROM intervals WHERE sensor_id = ? AND minute BETWEEN ? AND ? GROUP BY minute)
                GROUP BY bucket ORDER BY bucket
                """
            var rows: [MinuteRow] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rows.append(
                    MinuteRow(
                        minute: (row[0] as Int64) * stepMinutes, events: row[1], probes: row[2], distinct: row[3], newSources: row[4]))
            }
            var baseArguments: StatementArguments = [sensorID, start]
            if let f = query.family { baseArguments += [f] }
            let base = try Int64.fetchOne(
                db, sql: "SELECT COALESCE(SUM(new_sources), 0) FROM intervals WHERE sensor_id = ? AND minute < ?\(familyClause)",
                arguments: baseArguments) ?? 0
            return SeriesAssembly.points(rows, base: base, query: query)
        }
    }

    public func sources(_ query: SourcesQuery) async throws(StoreError) -> SourcesPage {
        // Pending sightings first, so the page shows every acknowledged batch.
        try await writer.fold()
        return try await reading { db in
            // Each family's page in (first seen, source) order from its index; without a family,
            // every family's page merged in (first seen, family, source) order.
            let families = try query.family.map { [$0] } ?? Self.families(db)
            var rows: [(family: String, row: SourceRow)] = []
            for family in families {
                rows += try Self.sourceRows(db, family: family, query: query).map { (family, $0) }
            }
            if query.family == nil {
                rows.sort { a, b in
                    if a.row.first != b.row.first { return a.row.first < b.row.first }
                    if a.family != b.family { return a.family.utf8.lexicographicallyPrecedes(b.family.utf8) }
                    return a.row.source < b.row.source
                }
            }
            let names = try Self.sensorNames(db)
            let who = try db.cachedStatement(sql: "SELECT sensor_id FROM source_sensors WHERE family = ? AND source = ?")
            var records: [SourceRecord] = []
            for (family, row) in rows.prefix(query.limit) {
                let ids = try row.soleSensor.map { [$0] } ?? Int64.fetchAll(who, arguments: [family, Int64(row.source)])
                records.append(
                    SourceRecord(
                        family: family, source: row.source, firstSeenNanoseconds: row.first, lastSeenNanoseconds: row.last, events: row.events,
                        sensors: ids.compactMap { names[$0] }.sorted()))
            }
            return SourcesPage(sources: records, next: rows.count > query.limit ? records.last?.cursor : nil)
        }
    }

    /// A row of `sources` for a page.
    struct SourceRow {
        var source: UInt32
        var first: Int64
        var last: Int64
        var events: Int64
        var soleSensor: Int64?
    }

    /// The families in `sources`, found by skipping along its primary key (one seek a family).
    static func families(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                WITH RECURSIVE f(family) AS (
                  SELECT MIN(family) FROM sources
                  UNION ALL
                  SELECT (SELECT MIN(family) FROM sources WHERE family > f.family) FROM f WHERE f.family IS NOT NULL
                )
                SELECT family FROM f WHERE family IS NOT NULL
                """)
    }

    /// Up to `limit + 1` sources of one family for the page, from the (family, first seen,
    /// source) index: those after the cursor in the page's order, first seen at or after
    /// `since`.
    static func sourceRows(_ db: Database, family: String, query: SourcesQuery) throws -> [SourceRow] {
        var conditions = ["family = ?"]
        var arguments: StatementArguments = [family]
        if let since = query.sinceNanoseconds {
            conditions.append("first_seen_ns >= ?")
            arguments += [since]
        }
        if let c = query.after {
            // The page's order is (first seen, family, source), or (first seen, source) within
            // one family: after the cursor means a later first sighting, or the same one and
            // a later family, or the same family and a later source.
            let familyOrder: Int
            if query.family != nil || family == c.family {
                familyOrder = 0
            } else {
                familyOrder = family.utf8.lexicographicallyPrecedes(c.family.utf8) ? -1 : 1
            }
            switch familyOrder {
            case 0:
                conditions.append("(first_seen_ns, source) > (?, ?)")
                arguments += [c.firstSeenNanoseconds, Int64(c.source)]
            case 1:
                conditions.append("first_seen_ns >= ?")
                arguments += [c.firstSeenNanoseconds]
            default:
                conditions.append("first_seen_ns > ?")
                arguments += [c.firstSeenNanoseconds]
            }
        }
        arguments += [query.limit + 1]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT source, first_seen_ns, last_seen_ns, events, sole_sensor FROM sources
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY first_seen_ns, source LIMIT ?
                """,
            arguments: arguments)
        var result: [SourceRow] = []
        while let row = try rows.next() {
            result.append(
                SourceRow(
                    source: UInt32(truncatingIfNeeded: row[0] as Int64), first: row[1], last: row[2], events: row[3], soleSensor: row[4]))
        }
        return result
    }

    static func sensorNames(_ db: Database) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM sensors") { names[row["id"]] = row["name"] }
        return names
    }

    public func topSources(family: String, limit: Int) async throws(StoreError) -> TopSources {
        try await writer.fold()
        return try await reading { db in
            // One pass over the family's primary-key range, ranked and counted in Swift: 1.1 s
            // for 4 million sources, where SQLite's ORDER BY … LIMIT and GROUP BY source >> 16
            // took 0.7 s and 1.6 s.
            var top = TopSources.Accumulator(limit: limit)
            let statement = try FastStatement(db, "SELECT source, events, first_seen_ns, last_seen_ns FROM sources WHERE family = ?")
            statement.bind(1, family)
            try statement.forEachRow { row in
                top.add(TopSources.Source(
                    source: UInt32(truncatingIfNeeded: row.int64(0)), events: row.int64(1), firstSeenNanoseconds: row.int64(2),
                    lastSeenNanoseconds: row.int64(3)))
            }
            return top.result(family: family)
        }
    }

    public func events(_ query: EventsQuery) async throws(StoreError) -> [StoredEvent] {
        let folder = self.folder
        return try await reading { db in
            let names = try Self.sensorNames(db)
            // Batches that may hold an event of the page: overlapping [from, to), not ending
            // before the cursor; merged in (time, id) order, each opened once the page reaches
            // its first event.
            let from = max(query.fromNanoseconds, query.after?.time ?? query.fromNanoseconds)
            var conditions = ["first_ns < ?", "last_ns >= ?"]
            var arguments: StatementArguments = [query.toNanoseconds, from]
            if let s = query.sensor {
                guard let id = names.first(where: { $0.value == s })?.key else {
                    throw StoreError.unknownSensor(name: s, suggestion: YAMLWalker<StoreError>.suggestion(for: s, among: Array(names.values)))
                }
                conditions.append("sensor_id = ?")
                arguments += [id]
            }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, sensor_id, first_ns, body FROM event_batches WHERE \(conditions.joined(separator: " AND ")) ORDER BY first_ns, id",
                arguments: arguments)
            var merger = EventMerger(query: query)
            var waiting: Row? = try rows.next()
            while merger.out.count < query.limit {
                // Open every batch whose first event could come before the next one out.
                while let row = waiting, merger.nextTime.map({ (row["first_ns"] as Int64) <= $0 }) ?? true {
                    let rowID: Int64 = row["id"]
                    guard let body = row["body"] as Data?, let chunk = EventChunk(decoding: [UInt8](body)) else {
                        throw StoreError.failed(store: folder, reason: "event_batches row \(rowID) is damaged")
                    }
                    merger.open(chunk, row: rowID, sensor: names[row["sensor_id"]] ?? "?")
                    waiting = try rows.next()
                }
                guard merger.emitNext() else { break }
            }
            return merger.out
        }
    }

    /// A version 1 event row.
    static func event(_ row: Row) -> SensorEvent {
        SensorEvent(
            timeNanoseconds: row["time_ns"], source: UInt32(truncatingIfNeeded: row["source"] as Int64),
            destination: UInt32(truncatingIfNeeded: row["destination"] as Int64),
            destinationPort: UInt16(truncatingIfNeeded: row["port"] as Int64),
            transport: TransportProtocol(rawValue: row["protocol"]) ?? .tcp, family: row["family"], ruleID: row["rule"],
            severity: Rule.Severity(rawValue: row["severity"]) ?? .medium, evidence: row["evidence"], input: row["input"],
            recordKind: (row["record_kind"] as String) == "packet" ? .packet : .line, record: Int(row["record"] as Int64))
    }

    // MARK: Upkeep

    public func pruneRawEvents(keepingDays days: Int) async throws(StoreError) -> Int {
        let folder = self.folder
        return try await writing { db in
            guard let newest = try Int64.fetchOne(db, sql: "SELECT MAX(last_ns) FROM event_batches") else { return 0 }
            let horizon = newest - Int64(days) * 86_400 * 1_000_000_000
            var deleted = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(events), 0) FROM event_batches WHERE last_ns < ?", arguments: [horizon]) ?? 0
            try db.execute(sql: "DELETE FROM event_batches WHERE last_ns < ?", arguments: [horizon])
            // Batches that straddle the horizon keep their newer events (and their ids).
            for row in try Row.fetchAll(db, sql: "SELECT id, body FROM event_batches WHERE first_ns < ?", arguments: [horizon]) {
                let rowID: Int64 = row["id"]
                guard let body = row["body"] as Data?, let chunk = EventChunk(decoding: [UInt8](body)) else {
                    throw StoreError.failed(store: folder, reason: "event_batches row \(rowID) is damaged")
                }
                let kept = EventChunk(entries: chunk.entries.filter { $0.event.timeNanoseconds >= horizon })
                deleted += chunk.entries.count - kept.entries.count
                try db.execute(
                    sql: "UPDATE event_batches SET first_ns = ?, events = ?, body = ? WHERE id = ?",
                    arguments: [kept.firstNanoseconds, kept.entries.count, Data(kept.encoded()), rowID])
            }
            try db.execute(sql: "DELETE FROM minute_source_sets WHERE minute < ?", arguments: [minuteOf(horizon)])
            return deleted
        }
    }

    public func storageBytes() async throws(StoreError) -> Int64 {
        let folder = self.folder
        var total: Int64 = 0
        for suffix in ["", "-wal", "-shm"] {
            let path = folder + "/" + Self.fileName + suffix
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber { total += size.int64Value }
        }
        return total
    }

    public func ping() async throws(StoreError) {
        _ = try await reading { db in try Int64.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async {
        // Fold what this store left pending, so the tables alone hold everything (the log
        // would be read again anyway).
        if writer.hasPending { try? await writer.fold() }
        await checkpointer.close()
        try? pool.close()
    }
}

/// The SQLite schema, by version.
enum SQLiteSchema {
    /// Version 2's data move: version 1's event rows into `event_batches`, a row for every
    /// 1,000 consecutive events of a sensor (in the order stored), then the old table dropped.
    static func moveEventsToBatches(_ db: Database) throws {
        let insert = try db.makeStatement(sql: "INSERT INTO event_batches (sensor_id, first_ns, last_ns, events, body) VALUES (?, ?, ?, ?, ?)")
        var open: [Int64: [SensorEvent]] = [:]
        func flush(_ sensor: Int64) throws {
            guard let events = open[sensor], !events.isEmpty else { return }
            let chunk = EventChunk(batch: events)
            try insert.execute(arguments: [sensor, chunk.firstNanoseconds, chunk.lastNanoseconds, chunk.entries.count, Data(chunk.encoded())])
            open[sensor] = []
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT sensor_id, time_ns, source, destination, port, protocol, family, rule, severity, evidence, input, record_kind, record
                FROM events ORDER BY id
                """)
        while let row = try rows.next() {
            let sensor: Int64 = row["sensor_id"]
            open[sensor, default: []].append(SQLiteStore.event(row))
            if open[sensor, default: []].count == 1_000 { try flush(sensor) }
        }
        for sensor in open.keys.sorted() { try flush(sensor) }
        try db.execute(sql: "DROP TABLE events")
    }

    static let v1 = """
        CREATE TABLE sensors (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL UNIQUE,
          token_hash TEXT NOT NULL UNIQUE,
          monitors TEXT NOT NULL,
          created_ns INTEGER NOT NULL,
          revoked_ns INTEGER,
          last_batch_ns INTEGER,
          batches INTEGER NOT NULL DEFAULT 0,
          events INTEGER NOT NULL DEFAULT 0,
          observations INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE batches (
          sensor_id INTEGER NOT NULL,
          idempotency_key TEXT NOT NULL,
          body_sha256 TEXT NOT NULL,
          received_ns INTEGER NOT NULL,
          events INTEGER NOT NULL,
          observations INTEGER NOT NULL,
          new_sources INTEGER NOT NULL,
          PRIMARY KEY (sensor_id, idempotency_key)
        ) WITHOUT ROWID;
        CREATE TABLE events (
          id INTEGER PRIMARY KEY,
          sensor_id INTEGER NOT NULL,
          time_ns INTEGER NOT NULL,
          source INTEGER NOT NULL,
          destination INTEGER NOT NULL,
          port INTEGER NOT NULL,
          protocol TEXT NOT NULL,
          family TEXT NOT NULL,
          rule TEXT NOT NULL,
          severity TEXT NOT NULL,
          evidence TEXT NOT NULL,
          input TEXT NOT NULL,
          record_kind TEXT NOT NULL,
          record INTEGER NOT NULL
        );
        CREATE INDEX events_by_time ON events (time_ns, id);
        CREATE TABLE sources (
          family TEXT NOT NULL,
          source INTEGER NOT NULL,
          first_seen_ns INTEGER NOT NULL,
          last_seen_ns INTEGER NOT NULL,
          events INTEGER NOT NULL,
          sensors INTEGER NOT NULL,
          PRIMARY KEY (family, source)
        ) WITHOUT ROWID;
        CREATE INDEX sources_by_family_first_seen ON sources (family, first_seen_ns, source);
        CREATE INDEX sources_by_first_seen ON sources (first_seen_ns, family, source);
        CREATE TABLE source_sensors (
          family TEXT NOT NULL,
          source INTEGER NOT NULL,
          sensor_id INTEGER NOT NULL,
          first_seen_ns INTEGER NOT NULL,
          last_seen_ns INTEGER NOT NULL,
          events INTEGER NOT NULL,
          PRIMARY KEY (family, source, sensor_id)
        ) WITHOUT ROWID;
        CREATE TABLE minute_sources (
          family TEXT NOT NULL,
          sensor_id INTEGER NOT NULL,
          minute INTEGER NOT NULL,
          source INTEGER NOT NULL,
          PRIMARY KEY (family, sensor_id, minute, source)
        ) WITHOUT ROWID;
        CREATE TABLE intervals (
          family TEXT NOT NULL,
          sensor_id INTEGER NOT NULL,
          minute INTEGER NOT NULL,
          events INTEGER NOT NULL,
          probes INTEGER NOT NULL,
          distinct_sources INTEGER NOT NULL,
          new_sources INTEGER NOT NULL,
          PRIMARY KEY (family, sensor_id, minute)
        ) WITHOUT ROWID;
        CREATE INDEX intervals_by_sensor_minute ON intervals (sensor_id, minute);
        """

    /// Version 2: batches log their sources in one row each, folded into the tables later
    /// (see ``PendingSources``).
    static let v2 = """
        CREATE TABLE pending_sources (
          id INTEGER PRIMARY KEY,
          sensor_id INTEGER NOT NULL,
          body BLOB NOT NULL
        );
        CREATE TABLE event_batches (
          id INTEGER PRIMARY KEY,
          sensor_id INTEGER NOT NULL,
          first_ns INTEGER NOT NULL,
          last_ns INTEGER NOT NULL,
          events INTEGER NOT NULL,
          body BLOB NOT NULL
        );
        CREATE INDEX event_batches_by_time ON event_batches (first_ns, last_ns, sensor_id);
        """

    /// Version 3: the per-minute source lists as a few set rows per minute (see
    /// ``MinuteSourceSets``); a source seen by one sensor keeps it in `sources.sole_sensor`
    /// instead of a `source_sensors` row; pages of all families are merged from the
    /// per-family index, so the index on first sightings alone goes.
    static let v3 = """
        ALTER TABLE sources ADD COLUMN sole_sensor INTEGER;
        UPDATE sources SET sole_sensor = (
          SELECT MIN(ss.sensor_id) FROM source_sensors ss WHERE ss.family = sources.family AND ss.source = sources.source)
        WHERE (SELECT COUNT(*) FROM source_sensors ss WHERE ss.family = sources.family AND ss.source = sources.source) = 1;
        DELETE FROM source_sensors WHERE EXISTS (
          SELECT 1 FROM sources s WHERE s.family = source_sensors.family AND s.source = source_sensors.source AND s.sole_sensor IS NOT NULL);
        DROP INDEX sources_by_first_seen;
        CREATE TABLE minute_source_sets (
          id INTEGER PRIMARY KEY,
          family TEXT NOT NULL,
          sensor_id INTEGER NOT NULL,
          minute INTEGER NOT NULL,
          body BLOB NOT NULL
        );
        CREATE INDEX minute_source_sets_by_minute ON minute_source_sets (family, sensor_id, minute);
        """
}
