import Sensor
import WormWatchCore

/// Where the Watch Center keeps what sensors send: one protocol, two implementations —
/// ``SQLiteStore`` (embedded, the default) and ``PostgresStore`` (shared by several servers).
/// The same test suite runs against both.
///
/// Every method is safe to call from many tasks at once. Ingest is all-or-nothing and durable:
/// when ``ingest(_:sensor:key:bodyDigest:now:)`` returns, the batch survives a crash; when it
/// throws, nothing of it was stored.
public protocol ObservationStore: Sendable {
    /// Where the data is, for messages (a folder, or a URL without its password).
    var description: String { get }

    // MARK: Sensors

    /// Registers a sensor with the hash of its token.
    func addSensor(name: String, monitors: [IPv4Prefix], tokenHash: String, now: Int64) async throws(StoreError) -> SensorRecord
    /// All sensors, by name.
    func sensors() async throws(StoreError) -> [SensorRecord]
    /// Revokes a sensor: its token stops working; its data stays.
    func revokeSensor(name: String, now: Int64) async throws(StoreError) -> SensorRecord
    /// The sensor whose token has this hash, revoked or not; nil if none.
    func sensor(tokenHash: String) async throws(StoreError) -> SensorRecord?

    // MARK: Ingest

    /// Applies a batch once: a batch whose key this sensor used before is not applied again,
    /// and its first receipt is returned (``IngestReceipt/replayed`` set). A key used before
    /// with another body throws ``StoreError/keyReused(key:)``.
    func ingest(_ batch: IngestBatch, sensor: SensorRecord, key: String, bodyDigest: String, now: Int64) async throws(StoreError) -> IngestReceipt

    // MARK: Reading

    /// The families with data, by name.
    func families() async throws(StoreError) -> [FamilySummary]
    /// A series in steps.
    func series(_ query: SeriesQuery) async throws(StoreError) -> [SeriesPoint]
    /// A page of sources.
    func sources(_ query: SourcesQuery) async throws(StoreError) -> SourcesPage
    /// A family's `limit` top sources (most events, then earliest seen) and `limit` /16
    /// prefixes with the most sources. It reads every source of the family: about a second at
    /// 5 million, so the server keeps the answer for a minute (``TopSources``).
    func topSources(family: String, limit: Int) async throws(StoreError) -> TopSources
    /// A page of stored events.
    func events(_ query: EventsQuery) async throws(StoreError) -> [StoredEvent]

    // MARK: Upkeep

    /// Deletes raw events (and the per-minute source lists) more than `days` before the newest
    /// stored event; aggregates stay. Returns the events deleted.
    func pruneRawEvents(keepingDays days: Int) async throws(StoreError) -> Int
    /// The database's size on disk, in bytes.
    func storageBytes() async throws(StoreError) -> Int64
    /// Checks that the database answers.
    func ping() async throws(StoreError)
    /// Closes connections; the store is unusable afterwards.
    func close() async
}

/// The schema versions this program knows, per store (a store refuses a newer one).
public enum StoreSchema {
    /// SQLite's: 1, the tables; 2, batches log their sources (folded into the tables later);
    /// 3, per-minute source lists as set rows.
    public static let sqlite = 3
    /// PostgreSQL's.
    public static let postgres = 1
}
