import WatchCenter

/// How a Watch Center server runs: where it listens, what a batch may hold, how fast a sensor
/// may push, how long raw events are kept.
public struct CenterConfiguration: Sendable {
    /// The address to listen on (loopback by default: put a proxy in front to serve others).
    public var host: String
    /// The port (0: any free port, reported once listening).
    public var port: Int
    /// The limits of one batch.
    public var limits: IngestLimits
    /// Batches a sensor may send per second, on average.
    public var batchesPerSecond: Double
    /// Batches a sensor may send at once after a quiet spell.
    public var burst: Double
    /// Days of raw events kept, counted back from the newest event stored; aggregates stay.
    public var retainDays: Int
    /// Seconds between retention passes.
    public var pruneIntervalSeconds: Int
    /// Seconds a client may take to send a request's body.
    public var bodyTimeoutSeconds: Int
    /// Seconds an idle connection stays open.
    public var idleTimeoutSeconds: Int
    /// A sensor silent this long is flagged in `sensor list` and `/api/v1/sensors`.
    public var silentAfterSeconds: Int
    /// URLs that receive every advisory (POST, signed with ``webhookSecret``).
    public var webhooks: [String] = []
    /// The shared secret of the webhooks' HMAC signatures.
    public var webhookSecret: String = ""
    /// Seconds an assessment is served from memory before it is refreshed in the background
    /// (0: assessed on every request).
    public var assessmentMaxAgeSeconds: Double = 5
    /// Seconds between two looks for advisories to deliver.
    public var webhookIntervalSeconds: Double = 2

    /// The defaults: 127.0.0.1:8080, 16 MiB and 10,000 lines a batch, 50 batches/s per sensor
    /// (bursts of 100), 30 days of raw events, bodies within 60 s, idle connections closed
    /// after 75 s, silent after 10 minutes.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, limits: IngestLimits = IngestLimits(), batchesPerSecond: Double = 50,
        burst: Double = 100, retainDays: Int = 30, pruneIntervalSeconds: Int = 3_600, bodyTimeoutSeconds: Int = 60,
        idleTimeoutSeconds: Int = 75, silentAfterSeconds: Int = 600
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.batchesPerSecond = batchesPerSecond
        self.burst = burst
        self.retainDays = retainDays
        self.pruneIntervalSeconds = pruneIntervalSeconds
        self.bodyTimeoutSeconds = bodyTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.silentAfterSeconds = silentAfterSeconds
    }
}
