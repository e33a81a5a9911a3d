import Logging
import WormWatchCore

/// Where a Watch Center keeps its data: a folder for the embedded SQLite store, or a
/// PostgreSQL URL for the shared one.
public enum StoreLocation: Sendable, Hashable {
    /// The embedded store in this folder.
    case folder(String)
    /// The shared store at this `postgres://` URL.
    case postgres(String)

    /// The default folder, relative to the working directory.
    public static let defaultFolder = "wormwatch-data"

    /// From the command line's `--data` and `--database` (at most one of them).
    public init(data: String?, database: String?) throws(RequestError) {
        switch (data, database) {
        case (.some, .some):
            throw RequestError(setting: "database", reason: "give --data (SQLite) or --database (PostgreSQL), not both")
        case (_, .some(let url)):
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw RequestError(setting: "database", reason: "'\(url.prefix(60))' is not a postgres:// URL", hint: "postgres://user@127.0.0.1:5432/wormwatch")
            }
            self = .postgres(url)
        case (let folder, nil):
            self = .folder(folder ?? Self.defaultFolder)
        }
    }

    /// Opens the store, bringing its schema up to date.
    public func open(logger: Logger = Logger(label: "wormwatch.store")) async throws(StoreError) -> any ObservationStore {
        switch self {
        case .folder(let path): try SQLiteStore(folder: path)
        case .postgres(let url): try await PostgresStore(url: url, logger: logger)
        }
    }
}

/// Registering sensors: a name, the blocks it watches, a new token (returned once, stored
/// hashed).
public enum SensorRegistration {
    /// Reads `--monitors 192.0.2.0/24,198.51.100.0/24`: CIDR prefixes, comma-separated, no host
    /// bits set.
    public static func monitors(_ text: String) throws(RequestError) -> [IPv4Prefix] {
        var out: [IPv4Prefix] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: " ")
            switch IPv4Prefix.parseExact(item) {
            case .prefix(let p): out.append(p)
            case .hostBitsSet(let p):
                throw RequestError(setting: "monitors", subject: item, reason: "host bits are set", hint: "did you mean \(p)?")
            case .invalid:
                throw RequestError(setting: "monitors", subject: item.isEmpty ? "''" : item, reason: "not a CIDR prefix like 192.0.2.0/24")
            }
        }
        guard !out.isEmpty else { throw RequestError(setting: "monitors", reason: "a sensor watches at least one block") }
        return out
    }

    /// Registers a sensor and returns it with its token — the only time the token exists
    /// outside the sensor.
    public static func register(name: String, monitors: [IPv4Prefix], in store: some ObservationStore, now: Int64) async throws(StoreError) -> (SensorRecord, SensorToken) {
        let token = SensorToken.generate()
        let record = try await store.addSensor(name: name, monitors: monitors, tokenHash: token.hash, now: now)
        return (record, token)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
