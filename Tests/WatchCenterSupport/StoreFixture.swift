import Foundation
import Logging
import PostgresNIO
import Sensor
import Testing
import WatchCenter
import WormWatchCore
import WormWatchTestSupport

/// The two stores the suite runs against. PostgreSQL runs when WORMWATCH_TEST_POSTGRES_URL
/// names a server (scripts/postgres-for-tests start prints one; .ci/run sets it), and is
/// required under CI=true (see ``PostgresAvailabilityTests``).
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public var testDescription: String { rawValue }

    /// The server URL for the PostgreSQL half, if one is configured.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["WORMWATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends this run tests: SQLite always, PostgreSQL when configured or required.
    public static var available: [Backend] {
        postgresURL != nil || ExternalTool.isCI ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// A fresh, empty store of one backend: a temporary folder, or a new PostgreSQL database.
public struct StoreFixture: Sendable {
    public let store: any ObservationStore
    public let backend: Backend
    /// Where to open the same data again (a second server, a reopened store).
    public let location: StoreLocation
    private let cleanup: @Sendable () async -> Void

    public static func make(_ backend: Backend) async throws -> StoreFixture {
        switch backend {
        case .sqlite:
            let folder = try TemporaryFolder()
            let store = try SQLiteStore(folder: folder.path)
            return StoreFixture(store: store, backend: backend, location: .folder(folder.path)) { folder.cleanUp() }
        case .postgres:
            let base = try #require(Backend.postgresURL, "set WORMWATCH_TEST_POSTGRES_URL (scripts/postgres-for-tests start) to run the PostgreSQL half")
            let name = "wwtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await PostgresAdmin.run(base, "CREATE DATABASE \(name)")
            let url = PostgresAdmin.url(base, database: String(name))
            let store = try await PostgresStore(url: url)
            return StoreFixture(store: store, backend: backend, location: .postgres(url)) {
                try? await PostgresAdmin.run(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    private init(store: any ObservationStore, backend: Backend, location: StoreLocation, cleanup: @escaping @Sendable () async -> Void) {
        self.store = store
        self.backend = backend
        self.location = location
        self.cleanup = cleanup
    }

    /// Closes the store and removes its data.
    public func tearDown() async {
        await store.close()
        await cleanup()
    }

    /// Runs `body` with a fresh store, then removes it.
    public static func with(_ backend: Backend, _ body: (StoreFixture) async throws -> Void) async throws {
        let fixture = try await make(backend)
        do {
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }
}

/// Statements the tests run as the administrator of the test server (create and drop databases).
public enum PostgresAdmin {
    public static func url(_ base: String, database: String) -> String {
        guard var c = URLComponents(string: base) else { return base }
        c.path = "/" + database
        return c.string ?? base
    }

    public static func run(_ base: String, _ sql: String) async throws {
        guard let c = URLComponents(string: base), let host = c.host else { throw StoreError.unavailable(store: base, reason: "bad URL") }
        let configuration = PostgresClient.Configuration(
            host: host, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
            database: c.path.count > 1 ? String(c.path.dropFirst()) : nil, tls: .disable)
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}

/// Building blocks of test batches.
public enum Make {
    /// 2001-07-19T00:00:00Z in nanoseconds.
    public static let day: Int64 = 995_500_800 * 1_000_000_000
    public static let minute: Int64 = 60_000_000_000
    /// A clock in 2026, for the future limit.
    public static let now: Int64 = 1_796_000_000 * 1_000_000_000

    public static func event(_ family: String = "code-red-v2", source: UInt32, at time: Int64, record: Int = 1) -> SensorEvent {
        SensorEvent(
            timeNanoseconds: time, source: source, destination: 0x2C00_0001, destinationPort: 80, transport: .tcp, family: family,
            ruleID: family, severity: .high, evidence: "GET /default.ida?NNNN", input: "access.log", recordKind: .line, record: record)
    }

    public static func address(_ text: String) -> UInt32 { IPv4Address(text)?.value ?? 0 }

    /// Registers a sensor watching 44.0.0.0/8 (or the given blocks).
    public static func sensor(_ store: any ObservationStore, _ name: String, monitors: String = "44.0.0.0/8") async throws -> SensorRecord {
        try await store.addSensor(name: name, monitors: try SensorRegistration.monitors(monitors), tokenHash: SensorToken.hash(of: "token-" + name), now: now)
    }

    /// Ingests a batch under `key`, its digest the hash of its NDJSON.
    @discardableResult
    public static func ingest(_ store: any ObservationStore, _ batch: IngestBatch, sensor: SensorRecord, key: String) async throws -> IngestReceipt {
        try await store.ingest(batch, sensor: sensor, key: key, bodyDigest: SensorToken.hash(of: String(decoding: batch.ndjson(), as: UTF8.self)), now: now)
    }

    /// The whole 2001-07-19 day in minutes.
    public static func wholeDay(family: String? = "code-red-v2", sensor: String? = nil, step: Int64 = 60) -> SeriesQuery {
        SeriesQuery(family: family, sensor: sensor, fromNanoseconds: day, toNanoseconds: day + 1_440 * minute, stepSeconds: step)
    }
}
