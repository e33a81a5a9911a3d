/// What one worm family's monitors saw in one interval, combined over sensors: the input of
/// the estimation and the early warning.
///
/// `newSources` are sources seen for the first time by any of the monitors; `distinctSources`
/// are the sources seen in the interval, new or not. A source seen by two sensors counts once.
public struct MonitoredInterval: Sendable, Hashable, Codable {
    /// The interval's start, in seconds since 1970-01-01T00:00:00Z.
    public var start: Double
    /// The interval's length, in seconds.
    public var seconds: Double
    /// Probes that reached the monitored addresses.
    public var probes: Int
    /// Distinct sources seen in the interval.
    public var distinctSources: Int
    /// Sources seen for the first time.
    public var newSources: Int

    /// Creates an interval's counts.
    public init(start: Double, seconds: Double, probes: Int, distinctSources: Int, newSources: Int) {
        self.start = start; self.seconds = seconds; self.probes = probes
        self.distinctSources = distinctSources; self.newSources = newSources
    }

    /// The interval's end, in seconds since 1970-01-01T00:00:00Z.
    public var end: Double { start + seconds }
}

/// The monitored share of the address space: ω addresses watched out of Ω.
public struct MonitorCoverage: Sendable, Hashable, Codable {
    /// ω: addresses the monitors watch (their blocks added; blocks must not overlap).
    public var monitored: UInt64
    /// Ω: addresses a uniform scanner chooses from (2^32 for IPv4).
    public var space: UInt64

    /// Creates a coverage of `monitored` addresses out of `space` (2^32 by default).
    public init(monitored: UInt64, space: UInt64 = 1 << 32) {
        self.monitored = monitored; self.space = space
    }

    /// ω/Ω: the chance that one uniform probe lands on a monitored address.
    public var fraction: Double { space == 0 ? 0 : Double(monitored) / Double(space) }
}
