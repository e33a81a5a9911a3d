/// What a run keeps beyond the time series and summary.
public struct EngineOptions: Sendable, Hashable {
    /// Keep every infection's time in ``OutbreakRecord/infectionTimes``.
    public var keepInfectionTimes: Bool
    /// Keep each monitor's first-seen times in ``OutbreakRecord/firstSeenTimes``.
    public var keepFirstSeen: Bool
    /// Keep the probes of monitors with `recordProbes` in ``OutbreakRecord/probes``
    /// (their counts are derived from them either way).
    public var keepProbes: Bool
    /// Keep each interval's probe rate into every /8 in ``OutbreakRecord/trafficPerSlash8``
    /// (memoryless strategies only).
    public var keepTrafficPerSlash8: Bool
    /// Creates options; by default nothing extra is kept.
    public init(keepInfectionTimes: Bool = false, keepFirstSeen: Bool = false, keepProbes: Bool = false,
                keepTrafficPerSlash8: Bool = false) {
        self.keepInfectionTimes = keepInfectionTimes; self.keepFirstSeen = keepFirstSeen; self.keepProbes = keepProbes
        self.keepTrafficPerSlash8 = keepTrafficPerSlash8
    }
}
