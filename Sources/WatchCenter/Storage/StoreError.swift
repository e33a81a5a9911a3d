import WormWatchCore

/// Why a store could not do what was asked. Every store method throws only this.
public enum StoreError: Error, Sendable, Hashable {
    /// The database cannot be reached or opened (a server down, a folder not writable).
    case unavailable(store: String, reason: String)
    /// The database's schema is newer than this program knows.
    case schemaTooNew(store: String, found: Int, known: Int)
    /// A sensor of that name is already registered.
    case sensorExists(name: String)
    /// No sensor of that name.
    case unknownSensor(name: String, suggestion: String?)
    /// The name is not a valid sensor name.
    case invalidSensorName(name: String)
    /// A sensor needs at least one monitored block.
    case noMonitors
    /// The `Idempotency-Key` was used before for a different body.
    case keyReused(key: String)
    /// The database refused a statement: a bug, or a damaged database.
    case failed(store: String, reason: String)
}

extension StoreError: UserFacingError {
    public var location: String {
        switch self {
        case .unavailable(let store, _), .schemaTooNew(let store, _, _), .failed(let store, _): store
        case .sensorExists(let name), .unknownSensor(let name, _), .invalidSensorName(let name): name
        case .noMonitors: "monitors"
        case .keyReused(let key): "Idempotency-Key \(key)"
        }
    }

    public var reason: String {
        switch self {
        case .unavailable(_, let reason): "the store is unavailable: \(reason)"
        case .schemaTooNew(_, let found, let known):
            "the database's schema is version \(found); this wormwatch knows versions up to \(known)"
        case .sensorExists: "a sensor of that name is already registered"
        case .unknownSensor: "no sensor of that name is registered"
        case .invalidSensorName: SensorName.rule
        case .noMonitors: "a sensor watches at least one address block (--monitors 192.0.2.0/24)"
        case .keyReused: "this key was used before for a different batch"
        case .failed(_, let reason): "the database refused a statement: \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownSensor(_, let suggestion?): "did you mean '\(suggestion)'?"
        case .schemaTooNew: "upgrade wormwatch, or point it at another database"
        case .keyReused: "give each batch its own key; resend a batch only with its own body"
        default: nil
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .unavailable, .schemaTooNew: .unavailable
        case .sensorExists, .keyReused: .dataError
        case .unknownSensor: .noInput
        case .invalidSensorName, .noMonitors: .usage
        case .failed: .software
        }
    }
}
