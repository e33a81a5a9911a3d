/// What one monitor recorded in one interval.
public struct MonitorCounts: Sendable, Hashable {
    /// Probes that reached the monitor.
    public var probes: Int
    /// Distinct infected sources seen in the interval.
    public var distinctSources: Int
    /// Sources seen for the first time ever.
    public var newSources: Int
    /// Creates counts.
    public init(probes: Int = 0, distinctSources: Int = 0, newSources: Int = 0) {
        self.probes = probes; self.distinctSources = distinctSources; self.newSources = newSources
    }
}

/// One probe that reached a monitor.
public struct MonitorProbe: Sendable, Hashable {
    /// Seconds since the simulation start.
    public var time: Double
    /// The infected host that sent it.
    public var source: UInt32
    /// The monitored address it reached.
    public var destination: UInt32
    /// Creates a probe record.
    public init(time: Double, source: UInt32, destination: UInt32) {
        self.time = time; self.source = source; self.destination = destination
    }
}

/// One row of the time series: the state at the end of an interval and what happened in it.
public struct OutbreakRow: Sendable, Hashable {
    /// Seconds since the simulation start at the end of the interval.
    public var time: Double
    /// Vulnerable hosts not (now) infected and not patched.
    public var susceptible: Int
    /// Hosts infected now (including those still in their infection delay).
    public var infected: Int
    /// Hosts removed for good (patched or cleaned).
    public var removed: Int
    /// Infections during the interval (a host infected again after a reboot counts again).
    public var newInfections: Int
    /// Hosts infected at least once so far.
    public var everInfected: Int
    /// Mean probes per second sent by all infected hosts during the interval.
    public var probesPerSecond: Double
    /// Mean bits per second of worm traffic (probes and floods) during the interval.
    public var trafficBitsPerSecond: Double
    /// Per monitor, in the scenario's order.
    public var monitors: [MonitorCounts]
}

/// The headline figures of one run.
public struct OutbreakSummary: Sendable, Hashable {
    /// Vulnerable hosts, N.
    public var population: Int
    /// Hosts infected at the end.
    public var finalInfected: Int
    /// Hosts infected at least once.
    public var everInfected: Int
    /// The largest number of new infections in one minute (interval counts scaled to a minute).
    public var peakNewInfectionsPerMinute: Double
    /// When that interval ended, in seconds since the start.
    public var peakTime: Double
    /// Seconds until 10 %, 50 %, 90 % of the population had been infected at least once (`nil`: never).
    public var timeTo10Percent: Double?
    /// See ``timeTo10Percent``.
    public var timeTo50Percent: Double?
    /// See ``timeTo10Percent``.
    public var timeTo90Percent: Double?
    /// Probes sent by all infected hosts over the run (the integral of the probe rate).
    public var totalProbes: Double
    /// The highest interval-mean traffic, bits per second.
    public var peakTrafficBitsPerSecond: Double
    /// Distinct sources each monitor saw over the run.
    public var monitorSources: [Int]
    /// Events the engine processed (infections, removals, reboots, activations).
    public var events: Int
}

/// Everything one run produced.
public struct OutbreakRecord: Sendable, Hashable {
    /// The scenario's name.
    public var scenario: String
    /// The run's seed and its index in the ensemble.
    public var seed: UInt64
    /// The index of the run.
    public var run: Int
    /// Simulation start, seconds since the epoch (UTC).
    public var startTime: Int64
    /// Monitor names, in column order.
    public var monitorNames: [String]
    /// The time series.
    public var rows: [OutbreakRow]
    /// The headline figures.
    public var summary: OutbreakSummary
    /// Every infection's time, in order (kept when asked for; tests compare distributions of it).
    public var infectionTimes: [Double]
    /// Per monitor, each source's first-seen time in seconds (kept when asked for).
    public var firstSeenTimes: [[Double]]
    /// Per monitor, every probe it received, in time order (monitors with `recordProbes`).
    public var probes: [[MonitorProbe]] = []
    /// Per row, the mean probes per second into each /8 (index = first octet), when kept.
    public var trafficPerSlash8: [[Double]] = []

    /// Creates a record (runs make their own; this rebuilds one that travelled, e.g. a shard's).
    public init(scenario: String, seed: UInt64, run: Int, startTime: Int64, monitorNames: [String], rows: [OutbreakRow],
                summary: OutbreakSummary, infectionTimes: [Double] = [], firstSeenTimes: [[Double]] = [],
                probes: [[MonitorProbe]] = [], trafficPerSlash8: [[Double]] = []) {
        self.scenario = scenario; self.seed = seed; self.run = run; self.startTime = startTime; self.monitorNames = monitorNames
        self.rows = rows; self.summary = summary; self.infectionTimes = infectionTimes; self.firstSeenTimes = firstSeenTimes
        self.probes = probes; self.trafficPerSlash8 = trafficPerSlash8
    }
}

// The run's records as JSON values that travel (to a server, between processes): snake_case
// keys, units in the key where they are not seconds or counts (conventions.md).

extension MonitorCounts: Codable {
    enum CodingKeys: String, CodingKey {
        case probes
        case distinctSources = "distinct_sources"
        case newSources = "new_sources"
    }
}

extension MonitorProbe: Codable {
    enum CodingKeys: String, CodingKey {
        case time = "elapsed_seconds"
        case source, destination
    }
}

extension OutbreakRow: Codable {
    enum CodingKeys: String, CodingKey {
        case time = "elapsed_seconds"
        case susceptible, infected, removed
        case newInfections = "new_infections"
        case everInfected = "ever_infected"
        case probesPerSecond = "probes_per_second"
        case trafficBitsPerSecond = "traffic_bits_per_second"
        case monitors
    }
}

extension OutbreakSummary: Codable {
    enum CodingKeys: String, CodingKey {
        case population
        case finalInfected = "final_infected"
        case everInfected = "ever_infected"
        case peakNewInfectionsPerMinute = "peak_new_infections_per_minute"
        case peakTime = "peak_time_seconds"
        case timeTo10Percent = "time_to_10pct_seconds"
        case timeTo50Percent = "time_to_50pct_seconds"
        case timeTo90Percent = "time_to_90pct_seconds"
        case totalProbes = "total_probes"
        case peakTrafficBitsPerSecond = "peak_traffic_bits_per_second"
        case monitorSources = "monitor_sources"
        case events
    }
}
