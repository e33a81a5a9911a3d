import Foundation
import WormWatchCore

/// Everything that defines one outbreak: where hosts live, how the worm behaves,
/// what happens to hosts, the network, what is observed, and for how long.
///
/// Values are in SI units: seconds, probes per second, bytes. Scenario files
/// (module `OutbreakScenarios`) map onto this type field by field.
public struct Scenario: Sendable, Hashable {
    /// A short name (`codered-v2`).
    public var name: String
    /// One or two sentences for people.
    public var summary: String
    /// The address space.
    public var space: AddressSpace
    /// The vulnerable hosts.
    public var population: Population
    /// The worm.
    public var worm: Worm
    /// Patching, cleaning and reboots.
    public var hostEvents: HostEvents
    /// Traffic accounting and congestion.
    public var network: Network
    /// Observed address blocks (telescopes, honeypots).
    public var monitors: [Monitor]
    /// When the simulation starts, in seconds since 1970-01-01T00:00:00Z (drives the lifecycle calendar).
    public var startTime: Int64
    /// How long to simulate, in seconds.
    public var duration: Double
    /// The length of one row of the time series, in seconds.
    public var interval: Double

    /// Creates a scenario; see each property for its meaning.
    public init(
        name: String, summary: String = "", space: AddressSpace, population: Population, worm: Worm,
        hostEvents: HostEvents = HostEvents(), network: Network = Network(), monitors: [Monitor] = [],
        startTime: Int64 = 0, duration: Double, interval: Double = 60
    ) {
        self.name = name; self.summary = summary; self.space = space; self.population = population
        self.worm = worm; self.hostEvents = hostEvents; self.network = network; self.monitors = monitors
        self.startTime = startTime; self.duration = duration; self.interval = interval
    }
}

/// The vulnerable hosts: how many, and where they sit in the address space.
public struct Population: Sendable, Hashable {
    /// How hosts are placed.
    public enum Placement: Sendable, Hashable {
        /// Uniformly over the routable part of the space.
        case uniform
        /// A share of the hosts in each listed prefix (uniform inside it), the rest uniform.
        case clustered([Cluster])
        /// Exactly these addresses (the population size is their count).
        case addresses([UInt32])
        /// This many hosts in each prefix, uniform inside it.
        case prefixCounts([PrefixCount])
    }
    /// A prefix that holds a given share of the population.
    public struct Cluster: Sendable, Hashable {
        /// The block.
        public var prefix: IPv4Prefix
        /// Its share of all hosts, 0…1.
        public var weight: Double
        /// Creates a cluster.
        public init(prefix: IPv4Prefix, weight: Double) { self.prefix = prefix; self.weight = weight }
    }
    /// A prefix that holds a given number of hosts.
    public struct PrefixCount: Sendable, Hashable {
        /// The block.
        public var prefix: IPv4Prefix
        /// How many vulnerable hosts it holds.
        public var count: Int
        /// Creates an entry.
        public init(prefix: IPv4Prefix, count: Int) { self.prefix = prefix; self.count = count }
    }
    /// The number of vulnerable hosts, N.
    public var size: Int
    /// Where they are.
    public var placement: Placement
    /// Creates a population.
    public init(size: Int, placement: Placement = .uniform) { self.size = size; self.placement = placement }
}

/// How fast each infected host probes: fixed, or drawn per host (bandwidth-limited worms).
public enum ProbeRate: Sendable, Hashable {
    /// Every host probes at this rate (probes per second).
    case fixed(Double)
    /// Each host draws one of these rates with the given weights.
    case discrete([WeightedRate])
    /// Log-normal with this median and log-standard-deviation, cut into 64 equally likely classes.
    case logNormal(median: Double, sigma: Double)
    /// Uniform between the bounds, cut into 64 equally likely classes.
    case uniform(min: Double, max: Double)

    /// One rate with its weight.
    public struct WeightedRate: Sendable, Hashable {
        /// Probes per second.
        public var rate: Double
        /// Relative weight.
        public var weight: Double
        /// Creates an entry.
        public init(rate: Double, weight: Double) { self.rate = rate; self.weight = weight }
    }

    /// The equally exact discrete form the engines use: rates and probabilities.
    public var classes: [WeightedRate] {
        switch self {
        case .fixed(let r): return [WeightedRate(rate: r, weight: 1)]
        case .discrete(let list):
            let total = list.reduce(0) { $0 + $1.weight }
            return list.map { WeightedRate(rate: $0.rate, weight: $0.weight / total) }
        case .logNormal(let median, let sigma):
            return (0..<64).map { k in
                let z = inverseStandardNormal((Double(k) + 0.5) / 64)
                return WeightedRate(rate: median * Foundation.exp(sigma * z), weight: 1.0 / 64)
            }
        case .uniform(let lo, let hi):
            return (0..<64).map { k in WeightedRate(rate: lo + (hi - lo) * (Double(k) + 0.5) / 64, weight: 1.0 / 64) }
        }
    }

    /// The mean rate over hosts.
    public var mean: Double { classes.reduce(0) { $0 + $1.rate * $1.weight } }
}

/// How an infected host picks the addresses it probes.
public enum ScanStrategy: Sendable, Hashable {
    /// Uniform random over the space less `exclude` (Code Red v2).
    case uniform(exclude: [IPv4Prefix])
    /// With weight `anywhere` a uniform address (less `exclude`); with each component's
    /// weight a uniform address inside the host's own prefix of that length (Code Red II:
    /// 1/8 anywhere, 1/2 own /8, 3/8 own /16).
    case localized(anywhere: Double, components: [LocalComponent], exclude: [IPv4Prefix])
    /// Staniford et al.'s permutation scanning (the Warhol worm): every instance walks one
    /// shared pseudo-random permutation of the space, a new instance starting just after its
    /// own position; an instance that hits an already infected host jumps to a random position.
    case permutation(key: UInt64)
    /// Code Red v1's static seed: every instance walks the same pseudo-random sequence(s) from
    /// the start, whatever it finds. `sequences` distinct sequences (threads seeded
    /// differently) share the host's probe rate evenly.
    case staticSeed(sequences: Int, key: UInt64)
    /// Sequential scanning upward through the space (wrapping at the end), from a random
    /// address or from just after the host's own.
    case sequential(start: SequentialStart)

    /// Where a sequential scanner starts.
    public enum SequentialStart: String, Sendable, Hashable {
        /// A uniformly random address.
        case random
        /// The address just after the host's own (a "nearby" start).
        case own
    }

    /// Whether targets follow a per-host sequence (permutation, static seed, sequential)
    /// rather than independent random draws.
    public var isSequential: Bool {
        switch self {
        case .uniform, .localized: return false
        case .permutation, .staticSeed, .sequential: return true
        }
    }

    /// Probes aimed at the host's own prefix of a given length.
    public struct LocalComponent: Sendable, Hashable {
        /// Prefix length, 1…16 (and at least `32 − space.bits`).
        public var length: Int
        /// Share of probes.
        public var weight: Double
        /// Creates a component.
        public init(length: Int, weight: Double) { self.length = length; self.weight = weight }
    }

    /// The blocks the 'anywhere' draws never hit.
    public var exclude: [IPv4Prefix] {
        switch self {
        case .uniform(let e): return e
        case .localized(_, _, let e): return e
        case .permutation, .staticSeed, .sequential: return []
        }
    }
    /// The weight of uniform 'anywhere' probes.
    public var anywhereWeight: Double {
        switch self {
        case .uniform, .permutation, .staticSeed, .sequential: return 1
        case .localized(let w, _, _): return w
        }
    }
    /// The local components (empty for uniform scanning).
    public var localComponents: [LocalComponent] {
        switch self {
        case .uniform, .permutation, .staticSeed, .sequential: return []
        case .localized(_, let c, _): return c
        }
    }
}

/// The worm's day-of-month behaviour (Code Red): spread, then flood one address, then sleep.
public struct Lifecycle: Sendable, Hashable {
    /// Last day of the month (UTC) on which it spreads (Code Red: 19).
    public var spreadUntilDay: Int
    /// Last day on which it floods the target (Code Red: 27); later days it is dormant.
    public var floodUntilDay: Int
    /// The flooded address (Code Red: 198.137.240.91).
    public var floodTarget: UInt32
    /// Bits per second each infected host sends at the target while flooding.
    public var floodBitsPerSecond: Double
    /// Creates a lifecycle.
    public init(spreadUntilDay: Int = 19, floodUntilDay: Int = 27, floodTarget: UInt32 = 0xC689_F05B, floodBitsPerSecond: Double = 0) {
        self.spreadUntilDay = spreadUntilDay; self.floodUntilDay = floodUntilDay
        self.floodTarget = floodTarget; self.floodBitsPerSecond = floodBitsPerSecond
    }
    /// What the worm does on a day of the month.
    public func phase(dayOfMonth day: Int) -> LifecyclePhase {
        day <= spreadUntilDay ? .spread : (day <= floodUntilDay ? .flood : .dormant)
    }
}

/// A phase of the lifecycle.
public enum LifecyclePhase: String, Sendable, Hashable {
    /// Scanning for new victims.
    case spread
    /// Flooding one address; no scanning.
    case flood
    /// Doing nothing until the 1st.
    case dormant
}

/// The worm's behaviour.
public struct Worm: Sendable, Hashable {
    /// Probe rate per infected host.
    public var probeRate: ProbeRate
    /// Seconds from a successful probe until the new victim starts probing.
    public var infectionDelay: Double
    /// Target selection.
    public var strategy: ScanStrategy
    /// Hosts infected at time 0, chosen at random among the population (a hit list
    /// of size k is k initial infections).
    public var initialInfected: Int
    /// Specific addresses infected at time 0 (each must be in the population).
    public var initialAddresses: [UInt32]
    /// The day-of-month lifecycle, or `nil` to spread all the time.
    public var lifecycle: Lifecycle?
    /// Bytes of one probe on the wire (a TCP SYN is 48–62; Slammer's UDP packet 404).
    public var probeBytes: Int

    /// Creates a worm.
    public init(probeRate: ProbeRate, infectionDelay: Double = 0, strategy: ScanStrategy = .uniform(exclude: []),
                initialInfected: Int = 1, initialAddresses: [UInt32] = [], lifecycle: Lifecycle? = nil, probeBytes: Int = 62) {
        self.probeRate = probeRate; self.infectionDelay = infectionDelay; self.strategy = strategy
        self.initialInfected = initialInfected; self.initialAddresses = initialAddresses
        self.lifecycle = lifecycle; self.probeBytes = probeBytes
    }
}

/// What happens to hosts besides infection.
public struct HostEvents: Sendable, Hashable {
    /// Patching of susceptible hosts: per-host rates (per second) from given times on.
    public var patchSchedule: [PatchStep]
    /// Rate (per second) at which each infected host is cleaned and patched (removed for good).
    public var cleanRate: Double
    /// Rate (per second) at which each infected host reboots: the worm, living in memory,
    /// is gone, but the host is still vulnerable and can be infected again.
    public var rebootRate: Double
    /// Awareness-driven patching (Zou, Gong & Towsley): each susceptible host is also patched
    /// at `awarenessPatchRate · (I + R) / N` per second, where I + R counts hosts infected now
    /// or cleaned — the more visible the worm, the faster people patch.
    public var awarenessPatchRate: Double
    /// Machines switched off at night, or `nil` for none.
    public var diurnal: Diurnal?

    /// From `start` seconds on, each susceptible host is patched at `rate` per second.
    public struct PatchStep: Sendable, Hashable {
        /// Seconds since the simulation start.
        public var start: Double
        /// Per-host rate per second.
        public var rate: Double
        /// Creates a step.
        public init(start: Double, rate: Double) { self.start = start; self.rate = rate }
    }
    /// Creates host events; defaults to none.
    public init(patchSchedule: [PatchStep] = [], cleanRate: Double = 0, rebootRate: Double = 0, awarenessPatchRate: Double = 0,
                diurnal: Diurnal? = nil) {
        self.patchSchedule = patchSchedule; self.cleanRate = cleanRate; self.rebootRate = rebootRate
        self.awarenessPatchRate = awarenessPatchRate; self.diurnal = diurnal
    }
    /// The per-host patch rate in force at time `t`.
    public func patchRate(at t: Double) -> Double {
        var r = 0.0
        for step in patchSchedule where step.start <= t { r = step.rate }
        return r
    }
}

/// The diurnal cycle: a share of machines (workstations, home PCs) is switched off every night,
/// local time. While off a machine neither probes nor can be infected, and its other clocks
/// (patching, cleaning, reboots) stand still.
public struct Diurnal: Sendable, Hashable {
    /// The share of hosts that are switched off at night, 0…1.
    public var share: Double
    /// Local hour (0–24) at which they go off.
    public var offFromHour: Double
    /// Local hour (0–24) at which they come back on.
    public var offUntilHour: Double
    /// Their time zones: UTC offsets in hours with weights.
    public var zones: [Zone]

    /// A time zone with its share of the switched hosts.
    public struct Zone: Sendable, Hashable {
        /// Hours ahead of UTC (−12…14).
        public var utcOffsetHours: Double
        /// Relative weight.
        public var weight: Double
        /// Creates a zone.
        public init(utcOffsetHours: Double, weight: Double) { self.utcOffsetHours = utcOffsetHours; self.weight = weight }
    }

    /// Creates a diurnal cycle.
    public init(share: Double, offFromHour: Double = 18, offUntilHour: Double = 8, zones: [Zone]) {
        self.share = share; self.offFromHour = offFromHour; self.offUntilHour = offUntilHour; self.zones = zones
    }

    /// Whether a host of a zone is off at the UTC time `t` (seconds since the epoch).
    public func isOff(zone: Zone, at t: Double) -> Bool {
        let local = (t / 3600 + zone.utcOffsetHours).truncatingRemainder(dividingBy: 24)
        let hour = local < 0 ? local + 24 : local
        return offFromHour <= offUntilHour ? (hour >= offFromHour && hour < offUntilHour)
                                           : (hour >= offFromHour || hour < offUntilHour)
    }
}

/// Network-wide effects.
public struct Network: Sendable, Hashable {
    /// Zou et al.'s congestion exponent η: infection succeeds at β0·(1 − I/N)^η. 0 turns it off.
    public var congestionExponent: Double
    /// Creates network settings.
    public init(congestionExponent: Double = 0) { self.congestionExponent = congestionExponent }
}

/// An observed set of addresses: a telescope (prefixes) or honeypots (addresses).
public struct Monitor: Sendable, Hashable {
    /// A name for the output (`ucsd-8`).
    public var name: String
    /// The observed blocks (addresses are /32 prefixes); they must not overlap.
    public var prefixes: [IPv4Prefix]
    /// Record every probe that reaches the monitor (time, source, destination) — for small
    /// monitors such as honeypots or a /16; its counts then come from those probes.
    public var recordProbes: Bool
    /// Creates a monitor.
    public init(name: String, prefixes: [IPv4Prefix], recordProbes: Bool = false) {
        self.name = name; self.prefixes = prefixes; self.recordProbes = recordProbes
    }
    /// How many addresses it watches.
    public var size: UInt64 { prefixes.reduce(0) { $0 + $1.size } }
}
