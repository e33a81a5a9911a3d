import WormWatchCore

/// What one batch may hold: the server refuses more, with a clear error, before storing any of
/// it.
public struct IngestLimits: Sendable, Hashable {
    /// The largest body, in bytes (413 beyond).
    public var maxBodyBytes: Int
    /// The most lines in a batch.
    public var maxLines: Int
    /// The earliest time accepted, nanoseconds since 1970 (default 1995-01-01T00:00:00Z: before
    /// any data a worm sensor could hold, so a zero or a garbled time is caught).
    public var earliestNanoseconds: Int64
    /// How far past the server's clock a time may be, in seconds (default one day: clocks
    /// drift, and time zones get mixed up, but not by more).
    public var futureSkewSeconds: Int64
    /// The longest string field (evidence, input names), in bytes.
    public var maxFieldBytes: Int
    /// The most new sources in one `wormwatch.observation/1` line.
    public var maxNewSourcesPerLine: Int
    /// The largest count in one line (probes, distinct sources, new sources): 10^9 in one
    /// interval is more than a /8 telescope saw of Slammer in a minute, and keeps every sum the
    /// center keeps far from overflowing.
    public static let maxCount: Int64 = 1_000_000_000

    /// The defaults: 16 MiB, 10,000 lines, 1995 to a day ahead, 2,048-byte fields, 100,000 new
    /// sources a line.
    public init(
        maxBodyBytes: Int = 16 << 20, maxLines: Int = 10_000,
        earliestNanoseconds: Int64 = 788_918_400 * 1_000_000_000, futureSkewSeconds: Int64 = 86_400,
        maxFieldBytes: Int = 2_048, maxNewSourcesPerLine: Int = 100_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxLines = maxLines
        self.earliestNanoseconds = earliestNanoseconds
        self.futureSkewSeconds = futureSkewSeconds
        self.maxFieldBytes = maxFieldBytes
        self.maxNewSourcesPerLine = maxNewSourcesPerLine
    }
}
