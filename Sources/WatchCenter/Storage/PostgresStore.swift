import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Sensor
import WormWatchCore

/// The shared store: the same data in PostgreSQL, so that several servers can serve and ingest
/// at once. Ingest transactions take one advisory lock, so batches apply one at a time across
/// all servers — the same order-independent result as the embedded store — and each batch is
/// committed (`synchronous_commit`, PostgreSQL's default) before it is acknowledged.
///
/// Connect with a URL: `postgres://user[:password]@host[:port]/database[?sslmode=disable|require]`.
public final class PostgresStore: ObservationStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// The URL without its password.
    public let description: String

    /// The advisory lock ingest and migrations take (an arbitrary constant: "WW" + 1).
    static let ingestLock: Int64 = 0x5757_0001
    static let migrationLock: Int64 = 0x5757_0002

    /// Connects and brings the schema up to date.
    public init(url: String, logger: Logger = Logger(label: "wormwatch.postgres")) async throws(StoreError) {
        let parsed = try Self.configuration(url)
        description = parsed.display
        self.logger = logger
        let client = PostgresClient(configuration: parsed.configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// Reads a `postgres://` URL.
    static func configuration(_ url: String) throws(StoreError) -> (configuration: PostgresClient.Configuration, display: String) {
        guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql", let host = c.host, !host.isEmpty else {
            throw .unavailable(store: "--database", reason: "not a URL like postgres://user@127.0.0.1:5432/wormwatch")
        }
        let user = c.user ?? "postgres"
        let database = c.path.hasPrefix("/") && c.path.count > 1 ? String(c.path.dropFirst()) : user
        var display = "postgres://\(user)@\(host)"
        if let port = c.port { display += ":\(port)" }
        display += "/\(database)"
        var tls = PostgresClient.Configuration.TLS.disable
        for item in c.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"): tls = .disable
            case ("sslmode", "prefer"): tls = .prefer(.makeClientConfiguration())
            case ("sslmode", "require"): tls = .require(.makeClientConfiguration())
            default:
                throw .unavailable(store: display, reason: "unknown URL option '\(item.name)=\(item.value ?? "")' (sslmode=disable|prefer|require)")
            }
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: user, password: c.password, database: database, tls: tls)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        return (configuration, display)
    }

    func fail(_ error: any Error) -> StoreError {
        if let e = error as? StoreError { return e }
        if let t = error as? PostgresTransactionError {
            if let inner = t.closureError { return fail(inner) }
            if let inner = t.beginError ?? t.commitError ?? t.rollbackError { return fail(inner) }
        }
        if let e = error as? PSQLError {
            switch e.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
                return .unavailable(store: description, reason: "cannot reach the server (\(e.underlying.map { "\($0)" } ?? "\(e.code)"))")
            default:
                if let message = e.serverInfo?[.message] { return .failed(store: description, reason: message) }
                return .unavailable(store: description, reason: "\(e.code)")
            }
        }
        return .failed(store: description, reason: "\(error)")
    }

    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw fail(error)
        }
    }

    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw fail(error)
        }
    }

    // MARK: Migrations

    func migrate() async throws(StoreError) {
        let known = PostgresSchema.versions.count
        let store = description
        try await transaction { c in
            try await c.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
            try await c.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: self.logger)
            var current = 0
            for try await v in try await c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", logger: self.logger).decode(Int.self) {
                current = v
            }
            if current > known { throw StoreError.schemaTooNew(store: store, found: current, known: known) }
            for version in (current + 1)...max(current + 1, known) where version <= known {
                for statement in PostgresSchema.versions[version - 1] {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await c.query("INSERT INTO schema_migrations (version) VALUES (\(version))", logger: self.logger)
            }
        }
    }

    // MARK: Sensors

    static let sensorColumns = "id, name, monitors, created_ns, revoked_ns, last_batch_ns, batches, events, observations"
    typealias SensorRow = (Int64, String, String, Int64, Int64?, Int64?, Int64, Int64, Int64)

    static func sensor(_ r: SensorRow) -> SensorRecord {
        SensorRecord(
            id: r.0, name: r.1, monitors: r.2.split(separator: ",").compactMap { IPv4Prefix($0) }, createdNanoseconds: r.3,
            revokedNanoseconds: r.4, lastBatchNanoseconds: r.5, batches: r.6, events: r.7, observations: r.8)
    }

    static func sensors(_ c: PostgresConnection, logger: Logger, where clause: String = "", _ binds: PostgresBindings = PostgresBindings()) async throws -> [SensorRecord] {
        var out: [SensorRecord] = []
        let rows = try await c.query(
            PostgresQuery(unsafeSQL: "SELECT \(sensorColumns) FROM sensors \(clause) ORDER BY name", binds: binds), logger: logger)
        for try await r in rows.decode(SensorRow.self) { out.append(sensor(r)) }
        return out
    }

    public func addSensor(name: String, monitors: [IPv4Prefix], tokenHash: String, now: Int64) async throws(StoreError) -> SensorRecord {
        guard SensorName.isValid(name) else { throw .invalidSensorName(name: name) }
        guard !monitors.isEmpty else { throw .noMonitors }
        let text = monitors.map(\.description).joined(separator: ",")
        return try await transaction { c in
            try await c.query("LOCK TABLE sensors IN SHARE ROW EXCLUSIVE MODE", logger: self.logger)
            var binds = PostgresBindings()
            binds.append(name)
            if try await !Self.sensors(c, logger: self.logger, where: "WHERE name = $1", binds).isEmpty {
                throw StoreError.sensorExists(name: name)
            }
            var id: Int64 = 0
            let rows = try await c.query(
                "INSERT INTO sensors (name, token_hash, monitors, created_ns) VALUES (\(name), \(tokenHash), \(text), \(now)) RETURNING id",
                logger: self.logger)
            for try await v in rows.decode(Int64.self) { id = v }
            return SensorRecord(id: id, name: name, monitors: monitors, createdNanoseconds: now)
        }
    }

    public func sensors() async throws(StoreError) -> [SensorRecord] {
        try await withConnection { c in try await Self.sensors(c, logger: self.logger) }
    }

    func unknown(_ name: String, _ c: PostgresConnection) async throws -> StoreError {
        let names = try await Self.sensors(c, logger: logger).map(\.name)
        return .unknownSensor(name: name, suggestion: YAMLWalker<StoreError>.suggestion(for: name, among: names))
    }

    public func revokeSensor(name: String, now: Int64) async throws(StoreError) -> SensorRecord {
        try await transaction { c in
            var binds = PostgresBindings()
            binds.append(name)
            guard var sensor = try await Self.sensors(c, logger: self.logger, where: "WHERE name = $1", binds).first else {
                throw try await self.unknown(name, c)
            }
            if sensor.revokedNanoseconds == nil {
                try await c.query("UPDATE sensors SET revoked_ns = \(now) WHERE id = \(sensor.id)", logger: self.logger)
                sensor.revokedNanoseconds = now
            }
            return sensor
        }
    }

    public func sensor(tokenHash: String) async throws(StoreError) -> SensorRecord? {
        try await withConnection { c in
            var binds = PostgresBindings()
            binds.append(tokenHash)
            return try await Self.sensors(c, logger: self.logger, where: "WHERE token_hash = $1", binds).first
        }
    }

    // MARK: Ingest

    public func ingest(_ batch: IngestBatch, sensor: SensorRecord, key: String, bodyDigest: String, now: Int64) async throws(StoreError) -> IngestReceipt {
        let id = sensor.id
        let logger = self.logger
        return try await transaction { c in
            try await c.query("SELECT pg_advisory_xact_lock(\(Self.ingestLock))", logger: logger)
            let earlier = try await c.query(
                """
                SELECT body_sha256, received_ns, events, observations, new_sources FROM batches
                WHERE sensor_id = \(id) AND idempotency_key = \(key)
                """, logger: logger)
            for try await (digest, received, events, observations, newSources) in earlier.decode((String, Int64, Int, Int, Int).self) {
                guard digest == bodyDigest else { throw StoreError.keyReused(key: key) }
                return IngestReceipt(
                    key: key, events: events, observations: observations, newSources: newSources, receivedNanoseconds: received, replayed: true)
            }
            let digest = BatchDigest(batch)
            let state = try await Self.state(c, digest: digest, sensor: id, logger: logger)
            let plan = BatchPlan(digest: digest, state: state, sensor: id)
            try await Self.apply(c, plan: plan, batch: batch, sensor: id, logger: logger)
            let receipt = IngestReceipt(
                key: key, events: batch.events.count, observations: batch.counts.count, newSources: plan.newSources,
                receivedNanoseconds: now, replayed: false)
            try await c.query(
                """
                INSERT INTO batches (sensor_id, idempotency_key, body_sha256, received_ns, events, observations, new_sources)
                VALUES (\(id), \(key), \(bodyDigest), \(now), \(receipt.events), \(receipt.observations), \(receipt.newSources))
                """, logger: logger)
            try await c.query(
                """
                UPDATE sensors SET last_batch_ns = \(now), batches = batches + 1, events = events + \(receipt.events),
                  observations = observations + \(receipt.observations) WHERE id = \(id)
                """, logger: logger)
            return receipt
        }
    }

    static func state(_ c: PostgresConnection, digest: BatchDigest, sensor: Int64, logger: Logger) async throws -> BatchState {
        var state = BatchState()
        let keys = Array(digest.sightings.keys)
        if !keys.isEmpty {
            let families = keys.map(\.family)
            let sources = keys.map { Int64($0.source) }
            let global = try await c.query(
                """
                SELECT s.family, s.source, s.first_seen_ns FROM sources s
                JOIN unnest(\(families)::text[], \(sources)::bigint[]) AS k(family, source) ON s.family = k.family AND s.source = k.source
                """, logger: logger)
            for try await (f, s, first) in global.decode((String, Int64, Int64).self) {
                state.globalFirstSeen[SourceKey(family: f, source: UInt32(truncatingIfNeeded: s))] = first
            }
            let own = try await c.query(
                """
                SELECT s.family, s.source, s.first_seen_ns FROM source_sensors s
                JOIN unnest(\(families)::text[], \(sources)::bigint[]) AS k(family, source) ON s.family = k.family AND s.source = k.source
                WHERE s.sensor_id = \(sensor)
                """, logger: logger)
            for try await (f, s, first) in own.decode((String, Int64, Int64).self) {
                state.sensorFirstSeen[SourceKey(family: f, source: UInt32(truncatingIfNeeded: s))] = first
            }
        }
        let minutes = Array(digest.minuteSources)
        if !minutes.isEmpty {
            let rows = try await c.query(
                """
                SELECT m.sensor_id, m.family, m.minute, m.source FROM minute_sources m
                JOIN unnest(\(minutes.map(\.family))::text[], \(minutes.map(\.minute))::bigint[], \(minutes.map { Int64($0.source) })::bigint[])
                  AS k(family, minute, source) ON m.family = k.family AND m.minute = k.minute AND m.source = k.source
                WHERE m.sensor_id IN (\(sensor), \(BatchPlan.allSensors))
                """, logger: logger)
            for try await (id, f, minute, s) in rows.decode((Int64, String, Int64, Int64).self) {
                let key = MinuteSource(family: f, minute: minute, source: UInt32(truncatingIfNeeded: s))
                if id == sensor { state.sensorMinutes.insert(key) } else { state.globalMinutes.insert(key) }
            }
        }
        return state
    }

    static func apply(_ c: PostgresConnection, plan: BatchPlan, batch: IngestBatch, sensor: Int64, logger: Logger) async throws {
        if !plan.sources.isEmpty {
            let families = plan.sources.map(\.key.family)
            let sources = plan.sources.map { Int64($0.key.source) }
            let firsts = plan.sources.map(\.first)
            let lasts = plan.sources.map(\.last)
            let events = plan.sources.map(\.events)
            let adds = plan.sources.map(\.addSensors)
            try await c.query(
                """
                INSERT INTO sources (family, source, first_seen_ns, last_seen_ns, events, sensors)
                SELECT * FROM unnest(\(families)::text[], \(sources)::bigint[], \(firsts)::bigint[], \(lasts)::bigint[], \(events)::bigint[], \(adds)::bigint[])
                ON CONFLICT (family, source) DO UPDATE SET
                  first_seen_ns = LEAST(sources.first_seen_ns, EXCLUDED.first_seen_ns),
                  last_seen_ns = GREATEST(sources.last_seen_ns, EXCLUDED.last_seen_ns),
                  events = sources.events + EXCLUDED.events, sensors = sources.sensors + EXCLUDED.sensors
                """, logger: logger)
            try await c.query(
                """
                INSERT INTO source_sensors (family, source, sensor_id, first_seen_ns, last_seen_ns, events)
                SELECT k.family, k.source, \(sensor), k.first, k.last, k.events
                FROM unnest(\(families)::text[], \(sources)::bigint[], \(firsts)::bigint[], \(lasts)::bigint[], \(events)::bigint[])
                  AS k(family, source, first, last, events)
                ON CONFLICT (family, source, sensor_id) DO UPDATE SET
                  first_seen_ns = LEAST(source_sensors.first_seen_ns, EXCLUDED.first_seen_ns),
                  last_seen_ns = GREATEST(source_sensors.last_seen_ns, EXCLUDED.last_seen_ns),
                  events = source_sensors.events + EXCLUDED.events
                """, logger: logger)
        }
        if !plan.minuteInserts.isEmpty {
            let m = plan.minuteInserts
            try await c.query(
                """
                INSERT INTO minute_sources (family, sensor_id, minute, source)
                SELECT * FROM unnest(\(m.map(\.key.family))::text[], \(m.map(\.sensor))::bigint[], \(m.map(\.key.minute))::bigint[], \(m.map { Int64($0.key.source) })::bigint[])
                """, logger: logger)
        }
        if !plan.intervals.isEmpty {
            let i = plan.intervals
            try await c.query(
                """
                INSERT INTO intervals (family, sensor_id, minute, events, probes, distinct_sources, new_sources)
                SELECT * FROM unnest(\(i.map(\.key.family))::text[], \(i.map(\.key.sensor))::bigint[], \(i.map(\.key.minute))::bigint[],
                  \(i.map(\.delta.events))::bigint[], \(i.map(\.delta.probes))::bigint[], \(i.map(\.delta.distinct))::bigint[], \(i.map(\.delta.newSources))::bigint[])
                ON CONFLICT (family, sensor_id, minute) DO UPDATE SET
                  events = LEAST(intervals.events + EXCLUDED.events, \(unescaped: StoreLimits.saturationText)),
                  probes = LEAST(intervals.probes + EXCLUDED.probes, \(unescaped: StoreLimits.saturationText)),
                  distinct_sources = LEAST(intervals.distinct_sources + EXCLUDED.distinct_sources, \(unescaped: StoreLimits.saturationText)),
                  new_sources = intervals.new_sources + EXCLUDED.new_sources
                """, logger: logger)
        }
        if !batch.events.isEmpty {
            let e = batch.events
            try await c.query(
                """
                INSERT INTO events (sensor_id, time_ns, source, destination, port, protocol, family, rule, severity, evidence, input, record_kind, record)
                SELECT \(sensor), * FROM unnest(\(e.map(\.timeNanoseconds))::bigint[], \(e.map { Int64($0.source) })::bigint[],
                  \(e.map { Int64($0.destination) })::bigint[], \(e.map { Int64($0.destinationPort) })::bigint[], \(e.map(\.transport.rawValue))::text[],
                  \(e.map(\.family))::text[], \(e.map(\.ruleID))::text[], \(e.map(\.severity.rawValue))::text[], \(e.map(\.evidence))::text[],
                  \(e.map(\.input))::text[], \(e.map { $0.recordKind == .line ? "line" : "packet" })::text[], \(e.map { Int64($0.record) })::bigint[])
                """, logger: logger)
        }
    }

    // MARK: Reading

    public func families() async throws(StoreError) -> [FamilySummary] {
        try await withConnection { c in
            var out: [FamilySummary] = []
            let rows = try await c.query(
                """
                SELECT family, SUM(new_sources)::bigint, SUM(events)::bigint, SUM(probes)::bigint, MIN(minute), MAX(minute)
                FROM intervals WHERE sensor_id = 0 GROUP BY family ORDER BY family
                """, logger: self.logger)
            for try await (f, sources, events, probes, first, last) in rows.decode((String, Int64, Int64, Int64, Int64, Int64).self) {
                out.append(
                    FamilySummary(
                        family: f, sources: sources, events: events, probes: probes, firstNanoseconds: first * 60_000_000_000,
                        lastNanoseconds: last * 60_000_000_000))
            }
            return out
        }
    }

    func sensorID(_ name: String, _ c: PostgresConnection) async throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(name)
        guard let s = try await Self.sensors(c, logger: logger, where: "WHERE name = $1", binds).first else { throw try await unknown(name, c) }
        return s.id
    }

    public func series(_ query: SeriesQuery) async throws(StoreError) -> [SeriesPoint] {
        let start = SeriesAssembly.startMinute(query)
        let end = minuteOf(query.toNanoseconds - 1)
        return try await withConnection { c in
            let sensor = try await query.sensor.asyncMap { try await self.sensorID($0, c) } ?? BatchPlan.allSensors
            let stepMinutes = max(1, query.stepSeconds / 60)
            var binds = PostgresBindings()
            binds.append(stepMinutes)
            binds.append(sensor)
            binds.append(start)
            binds.append(end)
            let sql: String
            if let f = query.family {
                binds.append(f)
                sql = """
                    SELECT minute / $1 AS bucket, SUM(events)::bigint, SUM(probes)::bigint, MAX(distinct_sources)::bigint, SUM(new_sources)::bigint
                    FROM intervals WHERE sensor_id = $2 AND minute BETWEEN $3 AND $4 AND family = $5 GROUP BY bucket ORDER BY bucket
                    """
            } else {
                sql = """
                    SELECT minute / $1 AS bucket, SUM(e)::bigint, SUM(p)::bigint, MAX(d)::bigint, SUM(n)::bigint FROM (
                      SELECT minute, SUM(events) AS e, SUM(probes) AS p, SUM(distinct_sources) AS d, SUM(new_sources) AS n
                      FROM intervals WHERE sensor_id = $2 AND minute BETWEEN $3 AND $4 GROUP BY minute) m
                    GROUP BY bucket ORDER BY bucket
                    """
            }
            var rows: [MinuteRow] = []
            let result = try await c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
            for try await (b, e, p, d, n) in result.decode((Int64, Int64, Int64, Int64, Int64).self) {
                rows.append(MinuteRow(minute: b * stepMinutes, events: e, probes: p, distinct: d, newSources: n))
            }
            var baseBinds = PostgresBindings()
            baseBinds.append(sensor)
            baseBinds.append(start)
            var baseClause = ""
            if let f = query.family {
                baseBinds.append(f)
                baseClause = " AND family = $3"
            }
            var base: Int64 = 0
            let b = try await c.query(
                PostgresQuery(
                    unsafeSQL: "SELECT COALESCE(SUM(new_sources), 0)::bigint FROM intervals WHERE sensor_id = $1 AND minute < $2\(baseClause)",
                    binds: baseBinds), logger: self.logger)
            for try await v in b.decode(Int64.self) { base = v }
            return SeriesAssembly.points(rows, base: base, query: query)
        }
    }

    public func sources(_ query: SourcesQuery) async throws(StoreError) -> SourcesPage {
        try await withConnection { c in
            var conditions: [String] = []
            var binds = PostgresBindings()
            func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            if let f = query.family { conditions.append("family = \(bind(f))") }
            if let since = query.sinceNanoseconds { conditions.append("first_seen_ns >= \(bind(since))") }
            if let a = query.after {
                if query.family != nil {
                    conditions.append("(first_seen_ns, source) > (\(bind(a.firstSeenNanoseconds)), \(bind(Int64(a.source))))")
                } else {
                    conditions.append("(first_seen_ns, family, source) > (\(bind(a.firstSeenNanoseconds)), \(bind(a.family)), \(bind(Int64(a.source))))")
                }
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let order = query.family != nil ? "first_seen_ns, source" : "first_seen_ns, family, source"
            let limit = bind(Int64(query.limit + 1))
            let rows = try await c.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT s.family, s.source, s.first_seen_ns, s.last_seen_ns, s.events,
                          (SELECT string_agg(n.name, ',' ORDER BY n.name) FROM source_sensors o JOIN sensors n ON n.id = o.sensor_id
                           WHERE o.family = s.family AND o.source = s.source)
                        FROM (SELECT * FROM sources \(whereClause) ORDER BY \(order) LIMIT \(limit)) s ORDER BY \(order)
                        """, binds: binds), logger: self.logger)
            var records: [SourceRecord] = []
            var more = false
            for try await (f, s, first, last, events, names) in rows.decode((String, Int64, Int64, Int64, Int64, String?).self) {
                if records.count == query.limit {
                    more = true
                    continue
                }
                records.append(
                    SourceRecord(
                        family: f, source: UInt32(truncatingIfNeeded: s), firstSeenNanoseconds: first, lastSeenNanoseconds: last, events: events,
                        sensors: (names ?? "").split(separator: ",").map(String.init)))
            }
            return SourcesPage(sources: records, next: more ? records.last?.cursor : nil)
        }
    }

    public func topSources(family: String, limit: Int) async throws(StoreError) -> TopSources {
        try await withConnection { c in
            var sources: [TopSources.Source] = []
            var binds = PostgresBindings()
            binds.append(family)
            binds.append(Int64(limit))
            let rows = try await c.query(
                PostgresQuery(
                    unsafeSQL: "SELECT source, events, first_seen_ns, last_seen_ns FROM sources WHERE family = $1 ORDER BY events DESC, first_seen_ns, source LIMIT $2",
                    binds: binds), logger: self.logger)
            for try await (s, events, first, last) in rows.decode((Int64, Int64, Int64, Int64).self) {
                sources.append(TopSources.Source(source: UInt32(truncatingIfNeeded: s), events: events, firstSeenNanoseconds: first, lastSeenNanoseconds: last))
            }
            var prefixes: [TopSources.Prefix] = []
            let groups = try await c.query(
                PostgresQuery(
                    unsafeSQL: "SELECT source >> 16 AS p, COUNT(*) AS n FROM sources WHERE family = $1 GROUP BY p ORDER BY n DESC, p LIMIT $2",
                    binds: binds), logger: self.logger)
            for try await (p, n) in groups.decode((Int64, Int64).self) {
                prefixes.append(TopSources.Prefix(network: UInt32(truncatingIfNeeded: p) << 16, sources: n))
            }
            return TopSources(family: family, sources: sources, prefixes: prefixes)
        }
    }

    public func events(_ query: EventsQuery) async throws(StoreError) -> [StoredEvent] {
        try await withConnection { c in
            var binds = PostgresBindings()
            func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            var conditions = ["e.time_ns >= \(bind(query.fromNanoseconds))", "e.time_ns < \(bind(query.toNanoseconds))"]
            if let f = query.family { conditions.append("e.family = \(bind(f))") }
            if let s = query.sensor {
                let id = try await self.sensorID(s, c)
                conditions.append("e.sensor_id = \(bind(id))")
            }
            if let a = query.after { conditions.append("(e.time_ns, e.id) > (\(bind(a.time)), \(bind(a.id)))") }
            let limit = bind(Int64(query.limit))
            let rows = try await c.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT e.id, n.name, e.time_ns, e.source, e.destination, e.port, e.protocol, e.family, e.rule, e.severity, e.evidence,
                          e.input, e.record_kind, e.record
                        FROM events e JOIN sensors n ON n.id = e.sensor_id
                        WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.time_ns, e.id LIMIT \(limit)
                        """, binds: binds), logger: self.logger)
            var out: [StoredEvent] = []
            for try await r in rows.decode((Int64, String, Int64, Int64, Int64, Int64, String, String, String, String, String, String, String, Int64).self) {
                out.append(
                    StoredEvent(
                        id: r.0, sensor: r.1,
                        event: SensorEvent(
                            timeNanoseconds: r.2, source: UInt32(truncatingIfNeeded: r.3), destination: UInt32(truncatingIfNeeded: r.4),
                            destinationPort: UInt16(truncatingIfNeeded: r.5), transport: TransportProtocol(rawValue: r.6) ?? .tcp, family: r.7,
                            ruleID: r.8, severity: Rule.Severity(rawValue: r.9) ?? .medium, evidence: r.10, input: r.11,
                            recordKind: r.12 == "packet" ? .packet : .line, record: Int(r.13))))
            }
            return out
        }
    }

    // MARK: Upkeep

    public func pruneRawEvents(keepingDays days: Int) async throws(StoreError) -> Int {
        try await transaction { c in
            try await c.query("SELECT pg_advisory_xact_lock(\(Self.ingestLock))", logger: self.logger)
            var newest: Int64?
            for try await v in try await c.query("SELECT MAX(time_ns) FROM events", logger: self.logger).decode(Int64?.self) { newest = v }
            guard let newest else { return 0 }
            let horizon = newest - Int64(days) * 86_400 * 1_000_000_000
            var deleted = 0
            let rows = try await c.query(
                "WITH d AS (DELETE FROM events WHERE time_ns < \(horizon) RETURNING 1) SELECT COUNT(*)::bigint FROM d", logger: self.logger)
            for try await v in rows.decode(Int64.self) { deleted = Int(v) }
            try await c.query("DELETE FROM minute_sources WHERE minute < \(minuteOf(horizon))", logger: self.logger)
            return deleted
        }
    }

    public func storageBytes() async throws(StoreError) -> Int64 {
        try await withConnection { c in
            var size: Int64 = 0
            for try await v in try await c.query("SELECT pg_database_size(current_database())", logger: self.logger).decode(Int64.self) {
                size = v
            }
            return size
        }
    }

    public func ping() async throws(StoreError) {
        _ = try await withConnection { c in
            try await c.query("SELECT 1", logger: self.logger)
            return true
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// The PostgreSQL schema, by version: each version is a list of statements applied in one
/// transaction and recorded in `schema_migrations`.
enum PostgresSchema {
    static let versions: [[String]] = [v1]

    static let v1 = [
        """
        CREATE TABLE sensors (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          token_hash TEXT NOT NULL UNIQUE,
          monitors TEXT NOT NULL,
          created_ns BIGINT NOT NULL,
          revoked_ns BIGINT,
          last_batch_ns BIGINT,
          batches BIGINT NOT NULL DEFAULT 0,
          events BIGINT NOT NULL DEFAULT 0,
          observations BIGINT NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE batches (
          sensor_id BIGINT NOT NULL,
          idempotency_key TEXT NOT NULL,
          body_sha256 TEXT NOT NULL,
          received_ns BIGINT NOT NULL,
          events INTEGER NOT NULL,
          observations INTEGER NOT NULL,
          new_sources INTEGER NOT NULL,
          PRIMARY KEY (sensor_id, idempotency_key)
        )
        """,
        """
        CREATE TABLE events (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          sensor_id BIGINT NOT NULL,
          time_ns BIGINT NOT NULL,
          source BIGINT NOT NULL,
          destination BIGINT NOT NULL,
          port BIGINT NOT NULL,
          protocol TEXT NOT NULL,
          family TEXT NOT NULL,
          rule TEXT NOT NULL,
          severity TEXT NOT NULL,
          evidence TEXT NOT NULL,
          input TEXT NOT NULL,
          record_kind TEXT NOT NULL,
          record BIGINT NOT NULL
        )
        """,
        "CREATE INDEX events_by_time ON events (time_ns, id)",
        """
        CREATE TABLE sources (
          family TEXT NOT NULL,
          source BIGINT NOT NULL,
          first_seen_ns BIGINT NOT NULL,
          last_seen_ns BIGINT NOT NULL,
          events BIGINT NOT NULL,
          sensors BIGINT NOT NULL,
          PRIMARY KEY (family, source)
        )
        """,
        "CREATE INDEX sources_by_family_first_seen ON sources (family, first_seen_ns, source)",
        "CREATE INDEX sources_by_first_seen ON sources (first_seen_ns, family, source)",
        """
        CREATE TABLE source_sensors (
          family TEXT NOT NULL,
          source BIGINT NOT NULL,
          sensor_id BIGINT NOT NULL,
          first_seen_ns BIGINT NOT NULL,
          last_seen_ns BIGINT NOT NULL,
          events BIGINT NOT NULL,
          PRIMARY KEY (family, source, sensor_id)
        )
        """,
        """
        CREATE TABLE minute_sources (
          family TEXT NOT NULL,
          sensor_id BIGINT NOT NULL,
          minute BIGINT NOT NULL,
          source BIGINT NOT NULL,
          PRIMARY KEY (family, sensor_id, minute, source)
        )
        """,
        """
        CREATE TABLE intervals (
          family TEXT NOT NULL,
          sensor_id BIGINT NOT NULL,
          minute BIGINT NOT NULL,
          events BIGINT NOT NULL,
          probes BIGINT NOT NULL,
          distinct_sources BIGINT NOT NULL,
          new_sources BIGINT NOT NULL,
          PRIMARY KEY (family, sensor_id, minute)
        )
        """,
        "CREATE INDEX intervals_by_sensor_minute ON intervals (sensor_id, minute)",
    ]
}
