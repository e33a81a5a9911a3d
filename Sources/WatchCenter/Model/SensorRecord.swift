import WormWatchCore

/// A registered sensor: its name, the address blocks it watches (the estimates need ω), and
/// what it has sent. Its token is never part of it: only a hash is stored.
public struct SensorRecord: Sendable, Hashable, Codable {
    /// The store's id (1, 2, …; 0 stands for all sensors together in the series).
    public var id: Int64
    /// The sensor's name (`isc-telescope`).
    public var name: String
    /// The blocks it watches.
    public var monitors: [IPv4Prefix]
    /// When it was registered, nanoseconds since 1970.
    public var createdNanoseconds: Int64
    /// When it was revoked, if it was.
    public var revokedNanoseconds: Int64?
    /// When its last batch arrived (the server's clock), if one did.
    public var lastBatchNanoseconds: Int64?
    /// Batches accepted.
    public var batches: Int64
    /// Events accepted.
    public var events: Int64
    /// Monitor-count lines accepted.
    public var observations: Int64

    /// Creates a record.
    public init(
        id: Int64, name: String, monitors: [IPv4Prefix], createdNanoseconds: Int64, revokedNanoseconds: Int64? = nil,
        lastBatchNanoseconds: Int64? = nil, batches: Int64 = 0, events: Int64 = 0, observations: Int64 = 0
    ) {
        self.id = id
        self.name = name
        self.monitors = monitors
        self.createdNanoseconds = createdNanoseconds
        self.revokedNanoseconds = revokedNanoseconds
        self.lastBatchNanoseconds = lastBatchNanoseconds
        self.batches = batches
        self.events = events
        self.observations = observations
    }

    /// Whether it was revoked.
    public var isRevoked: Bool { revokedNanoseconds != nil }

    /// The number of addresses it watches (ω), overlapping blocks counted once.
    public var monitoredAddresses: UInt64 { IPv4Prefix.coveredAddresses(monitors) }

    /// Its blocks as stored: `a.b.c.d/n` joined by commas.
    public var monitorsText: String { monitors.map(\.description).joined(separator: ",") }

    enum CodingKeys: String, CodingKey {
        case id, name, monitors
        case created = "created"
        case revoked = "revoked"
        case lastBatch = "last_batch"
        case batches, events, observations
        case monitoredAddresses = "monitored_addresses"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys) throws -> Int64? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let ns = UTCCalendar.parseISO8601Nanoseconds(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not an ISO 8601 time")
            }
            return ns
        }
        id = try c.decode(Int64.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        monitors = try c.decode([String].self, forKey: .monitors).map { text in
            guard let p = IPv4Prefix(text) else {
                throw DecodingError.dataCorruptedError(forKey: .monitors, in: c, debugDescription: "not a prefix")
            }
            return p
        }
        createdNanoseconds = try time(.created) ?? 0
        revokedNanoseconds = try time(.revoked)
        lastBatchNanoseconds = try time(.lastBatch)
        batches = try c.decode(Int64.self, forKey: .batches)
        events = try c.decode(Int64.self, forKey: .events)
        observations = try c.decode(Int64.self, forKey: .observations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(monitors.map(\.description), forKey: .monitors)
        try c.encode(monitoredAddresses, forKey: .monitoredAddresses)
        try c.encode(UTCCalendar.iso8601(nanoseconds: createdNanoseconds), forKey: .created)
        try c.encode(revokedNanoseconds.map { UTCCalendar.iso8601(nanoseconds: $0) }, forKey: .revoked)
        try c.encode(lastBatchNanoseconds.map { UTCCalendar.iso8601(nanoseconds: $0) }, forKey: .lastBatch)
        try c.encode(batches, forKey: .batches)
        try c.encode(events, forKey: .events)
        try c.encode(observations, forKey: .observations)
    }
}

extension IPv4Prefix {
    /// The addresses a set of prefixes covers, overlaps counted once.
    public static func coveredAddresses(_ prefixes: [IPv4Prefix]) -> UInt64 {
        let ranges = prefixes.map { (UInt64($0.base), UInt64($0.base) + $0.size) }.sorted { $0.0 < $1.0 }
        var total: UInt64 = 0
        var current: (UInt64, UInt64)?
        for r in ranges {
            if let c = current, r.0 <= c.1 {
                current = (c.0, max(c.1, r.1))
            } else {
                if let c = current { total += c.1 - c.0 }
                current = r
            }
        }
        if let c = current { total += c.1 - c.0 }
        return total
    }
}
