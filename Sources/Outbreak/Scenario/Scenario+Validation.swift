import Foundation
import WormWatchCore

/// The physical limits ``Scenario/validate()`` holds every scenario to, and why.
///
/// Each bounds a value beyond what any network or machine could have; together they keep
/// every quantity the engines derive (total probe rates, traffic, event rates, monitor
/// counts) finite and inside its type. `docs/scenario-format.md` states them by key.
public enum ScenarioLimits {
    /// Probes per second per host: 1.5e8. A 100 Gb/s Ethernet link carries at most
    /// 148.8 million minimum-size frames a second (64 bytes, 84 with preamble and gap).
    public static let probeRate = 1.5e8
    /// Bits per second one host sends, probing or flooding: 1e11, a 100 Gb/s link.
    public static let hostBitsPerSecond = 1e11
    /// Per-host patch, clean, reboot and awareness rates, per second: 1 (3600 per hour in
    /// the file), a mean of one second per host — no machine is patched, cleaned or
    /// rebooted faster.
    public static let hostEventRate = 1.0
    /// Seconds: the longest run, one leap year (8784 hours). Nothing measured in time
    /// (infection delay, interval, patch step) can usefully be longer.
    public static let duration = 366.0 * 86400
    /// Relative weights (discrete probe-rate classes, diurnal time zones): 1e9. A ratio of
    /// 1e9 already gives one host of the largest population; it keeps the sums finite.
    public static let relativeWeight = 1e9
    /// Zou et al.'s congestion exponent η: 1000. Already (1 − I/N)^1000 < 5e-5 once 1 % of
    /// the hosts are infected; larger exponents stop every outbreak at once.
    public static let congestionExponent = 1000.0
    /// Vulnerable hosts: 1e9, about every host the Internet has had at once (and host
    /// indices are 32-bit).
    public static let population = 1_000_000_000
    /// Probes one monitor may receive in one interval: 1e18, well inside its 64-bit
    /// count (9.2e18) with room for the random draw.
    public static let monitorProbesPerInterval = 1e18
}

extension Scenario {
    /// How a field's value is written in a scenario file, for messages: fields whose path
    /// ends in `_per_hour` hold per-second rates, `_hours` fields hold seconds.
    private enum FileUnit {
        case same, perHour, hours

        /// `x` (as stored) in the file's unit, or `nil` when the conversion to the stored
        /// unit overflowed and the file's value cannot be recovered.
        func shown(_ x: Double) -> String? {
            switch self {
            case .same: return "\(x)"
            case .perHour, .hours:
                guard x.isFinite else { return nil }
                let y = self == .perHour ? x * 3600 : x / 3600
                // Undo the rounding of the conversion: 15 significant digits give back the file's number.
                let rounded = Double(String(format: "%.15g", y)) ?? y
                return "\(rounded)"
            }
        }
    }

    /// A number in short form for computed figures (`3.232e+11`).
    private static func figure(_ x: Double) -> String { String(format: "%.4g", x) }

    /// Checks that the scenario is consistent and physically possible; throws the first
    /// problem found. The limits and their reasons are ``ScenarioLimits``.
    public func validate() throws(ScenarioError) {
        func fail(_ field: String, _ message: String) -> ScenarioError { ScenarioError(field: field, message: message) }
        func got(_ x: Double, _ unit: FileUnit) -> String { unit.shown(x).map { " (got \($0))" } ?? "" }
        /// A finite number ≥ 0 (> 0 with `positive`) and at most `limit`; `most` says what
        /// the limit is and why.
        func number(_ x: Double, _ field: String, positive: Bool = false, atMost limit: Double = .infinity,
                    _ most: String = "", unit: FileUnit = .same) throws(ScenarioError) {
            guard !x.isNaN else { throw fail(field, "must be a finite number") }
            if positive { guard x > 0 else { throw fail(field, "must be greater than 0" + got(x, unit)) } }
            else { guard x >= 0 else { throw fail(field, "must not be negative" + got(x, unit)) } }
            guard x <= limit else { throw fail(field, "must be at most " + most + got(x, unit)) }
            guard x.isFinite else { throw fail(field, "must be a finite number") }
        }
        /// A share of a whole, 0…1.
        func share(_ x: Double, _ field: String) throws(ScenarioError) {
            guard x.isFinite, (0...1).contains(x) else { throw fail(field, "must be between 0 and 1 (got \(x))") }
        }
        let probeRateLimit = "1.5e8 probes per second per host (the packet rate of a 100 Gb/s link)"
        let weightLimit = "1e9 (weights are relative; a ratio of 1e9 already gives one host in a billion)"
        let eventRateLimit = "3600 per hour per host (a mean of one second)"
        let longestRun = "\(Int(ScenarioLimits.duration)) seconds (one leap year, the longest run)"

        guard (16...32).contains(space.bits) else { throw fail("space.bits", "must be between 16 and 32 (got \(space.bits))") }
        for (i, p) in space.reserved.enumerated() {
            for q in space.reserved[..<i] where p.overlap(with: q) > 0 {
                throw fail("space.reserved[\(i)]", "\(p) overlaps \(q)")
            }
        }
        // The run: at most a (leap) year; intervals no longer than that.
        try number(duration, "duration_hours", positive: true, atMost: ScenarioLimits.duration,
                   "8784 hours (one leap year)", unit: .hours)
        try number(interval, "interval_seconds", positive: true, atMost: ScenarioLimits.duration, longestRun)
        guard duration / interval <= 1_000_000 else { throw fail("interval_seconds", "gives more than 10^6 rows; choose a longer interval") }
        guard (-2_000_000_000...8_000_000_000).contains(startTime) else { throw fail("start", "is out of range") }

        let exclude = worm.strategy.exclude
        for (i, p) in exclude.enumerated() {
            guard p.length >= 32 - space.bits, space.prefix.overlap(with: p) > 0 else {
                throw fail("worm.scan.exclude[\(i)]", "\(p) lies outside the address space \(space.prefix)")
            }
            for q in exclude[..<i] where p.overlap(with: q) > 0 { throw fail("worm.scan.exclude[\(i)]", "\(p) overlaps \(q)") }
        }
        let excluded = exclude.reduce(UInt64(0)) { $0 + $1.size }
        if worm.strategy.anywhereWeight > 0 && excluded >= space.size {
            throw fail("worm.scan.exclude", "excludes the whole address space")
        }

        // Population. Prefix counts first: without a size they make it, and a count too
        // large for its prefix is best reported where it is written.
        if case .prefixCounts(let list) = population.placement {
            for (i, e) in list.enumerated() {
                let field = "population.prefix_counts[\(i)]"
                guard e.prefix.length >= 32 - space.bits, space.contains(e.prefix.base) else {
                    throw fail(field, "\(e.prefix) lies outside the address space \(space.prefix)")
                }
                guard e.count >= 0 else { throw fail(field, "count must not be negative (got \(e.count))") }
                for (j, other) in list[..<i].enumerated() where other.prefix.overlap(with: e.prefix) > 0 {
                    throw fail(field, "\(e.prefix) overlaps entry \(j) (\(other.prefix))")
                }
                let blocked = (space.reserved + exclude).reduce(UInt64(0)) { $0 + $1.overlap(with: e.prefix) }
                guard UInt64(e.count) <= e.prefix.size - min(blocked, e.prefix.size) else {
                    throw fail(field, "\(e.count) hosts do not fit in \(e.prefix)")
                }
            }
        }
        guard population.size >= 1 else { throw fail("population.size", "must be at least 1 (got \(population.size))") }
        guard population.size <= ScenarioLimits.population else {
            throw fail("population.size", "must be at most 10^9 hosts (got \(population.size))")
        }
        let routable = space.routableCount
        guard UInt64(population.size) <= routable else {
            throw fail("population.size", "\(population.size) hosts do not fit in the \(routable) routable addresses of the space")
        }
        switch population.placement {
        case .uniform: break
        case .clustered(let clusters):
            var total = 0.0
            var capacity: UInt64 = 0
            for (i, c) in clusters.enumerated() {
                let field = "population.clusters[\(i)]"
                try share(c.weight, field + ".weight")
                guard c.prefix.length >= 32 - space.bits, space.contains(c.prefix.base) else {
                    throw fail(field + ".prefix", "\(c.prefix) lies outside the address space \(space.prefix)")
                }
                let blocked = (space.reserved + exclude).reduce(UInt64(0)) { $0 + $1.overlap(with: c.prefix) }
                let usable = c.prefix.size - Swift.min(blocked, c.prefix.size)
                guard c.weight == 0 || usable > 0 else {
                    throw fail(field + ".prefix", "\(c.prefix) lies entirely in reserved or never-scanned blocks: no host can be placed there")
                }
                capacity += usable
                total += c.weight
            }
            guard total <= 1 + 1e-9 else { throw fail("population.clusters", "weights sum to \(total), more than 1") }
            guard total < 1 - 1e-9 || capacity >= UInt64(population.size) else {
                throw fail("population.clusters", "the clusters hold \(capacity) usable addresses, fewer than the \(population.size) hosts their weights (summing to 1) place in them")
            }
        case .addresses(let list):
            guard list.count == population.size else { throw fail("population.size", "is \(population.size) but \(list.count) addresses are listed") }
            var seen = Set<UInt32>()
            for (i, a) in list.enumerated() {
                let field = "population.addresses[\(i)]"
                guard space.contains(a) else { throw fail(field, "\(IPv4Address(a)) lies outside the address space \(space.prefix)") }
                guard !space.isReserved(a) else { throw fail(field, "\(IPv4Address(a)) lies in a reserved block") }
                guard !exclude.contains(where: { $0.contains(a) }) else { throw fail(field, "\(IPv4Address(a)) lies in a block the worm never scans") }
                guard seen.insert(a).inserted else { throw fail(field, "\(IPv4Address(a)) is listed twice") }
            }
        case .prefixCounts(let list):
            // Each count is at most its prefix's size (checked above): the sum cannot overflow.
            let total = list.reduce(0) { $0 + $1.count }
            guard total == population.size else { throw fail("population.size", "is \(population.size) but the prefix counts add up to \(total)") }
        }

        // Worm. Every class of probe rate is at most the packet rate of a 100 Gb/s link, so
        // N × rate ≤ 1e9 × 1.5e8 and every traffic figure stay finite.
        switch worm.probeRate {
        case .fixed(let r): try number(r, "worm.probe_rate", positive: true, atMost: ScenarioLimits.probeRate, probeRateLimit)
        case .discrete(let list):
            guard !list.isEmpty, list.count <= 256 else { throw fail("worm.probe_rate.discrete", "needs 1 to 256 entries") }
            for (i, e) in list.enumerated() {
                try number(e.rate, "worm.probe_rate.discrete[\(i)].rate", positive: true, atMost: ScenarioLimits.probeRate, probeRateLimit)
                // At most 256 weights of at most 1e9: the sum the classes divide by is finite.
                try number(e.weight, "worm.probe_rate.discrete[\(i)].weight", positive: true, atMost: ScenarioLimits.relativeWeight, weightLimit)
            }
        case .logNormal(let median, let sigma):
            try number(median, "worm.probe_rate.median", positive: true, atMost: ScenarioLimits.probeRate, probeRateLimit)
            try number(sigma, "worm.probe_rate.sigma")
            guard sigma <= 5 else { throw fail("worm.probe_rate.sigma", "must be at most 5 (got \(sigma))") }
        case .uniform(let lo, let hi):
            try number(lo, "worm.probe_rate.min", positive: true, atMost: ScenarioLimits.probeRate, probeRateLimit)
            try number(hi, "worm.probe_rate.max", positive: true, atMost: ScenarioLimits.probeRate, probeRateLimit)
            guard lo <= hi else { throw fail("worm.probe_rate", "min (\(lo)) is larger than max (\(hi))") }
        }
        // The engines use the 64 classes of a log-normal, the fastest e^(2.42·sigma) times the median.
        let fastest = worm.probeRate.classes.reduce(0) { Swift.max($0, $1.rate) }
        if case .logNormal(_, let sigma) = worm.probeRate, fastest > ScenarioLimits.probeRate {
            throw fail("worm.probe_rate.median", "with sigma \(sigma) the fastest of the 64 rate classes probes \(Self.figure(fastest)) times a second, more than 1.5e8 (the packet rate of a 100 Gb/s link)")
        }
        try number(worm.infectionDelay, "worm.infection_delay_seconds", atMost: ScenarioLimits.duration, longestRun)
        var weightSum = worm.strategy.anywhereWeight
        try share(weightSum, "worm.scan.anywhere")
        for (i, c) in worm.strategy.localComponents.enumerated() {
            let field = "worm.scan.local[\(i)]"
            guard (1...16).contains(c.length), c.length >= 32 - space.bits else {
                throw fail(field + ".prefix_length", "must be between \(max(1, 32 - space.bits)) and 16 for a 2^\(space.bits) space (got \(c.length))")
            }
            try share(c.weight, field + ".weight")
            weightSum += c.weight
        }
        guard Swift.abs(weightSum - 1) < 1e-9 else { throw fail("worm.scan", "weights sum to \(weightSum), not 1") }
        if case .staticSeed(let sequences, _) = worm.strategy, !(1...64).contains(sequences) {
            throw fail("worm.scan.sequences", "must be 1 to 64 (got \(sequences))")
        }
        if worm.strategy.isSequential {
            for (m, monitor) in monitors.enumerated() where monitor.size > 1 << 20 {
                throw fail("monitors[\(m)]", "watches \(monitor.size) addresses; with sequence-walking strategies (permutation, static-seed, sequential) a monitor may watch at most 2^20")
            }
        }
        guard worm.initialInfected >= 0 else { throw fail("worm.initial_infected", "must not be negative") }
        guard worm.initialInfected > 0 || !worm.initialAddresses.isEmpty else { throw fail("worm.initial_infected", "at least one host must be infected at the start") }
        // Compared without adding, which could overflow.
        guard worm.initialInfected <= population.size - Swift.min(population.size, worm.initialAddresses.count),
              worm.initialAddresses.count <= population.size else {
            let total = worm.initialInfected.addingReportingOverflow(worm.initialAddresses.count)
            throw fail("worm.initial_infected", "more initial infections (\(total.overflow ? "over \(Int.max)" : "\(total.partialValue)")) than vulnerable hosts (\(population.size))")
        }
        for (i, a) in worm.initialAddresses.enumerated() {
            let field = "worm.initial_addresses[\(i)]"
            guard space.contains(a), !space.isReserved(a), !exclude.contains(where: { $0.contains(a) }) else {
                throw fail(field, "\(IPv4Address(a)) cannot hold a vulnerable host in this space")
            }
            if case .addresses(let list) = population.placement, !list.contains(a) {
                throw fail(field, "\(IPv4Address(a)) is not in the population's address list")
            }
            if worm.initialAddresses[..<i].contains(a) { throw fail(field, "\(IPv4Address(a)) is listed twice") }
        }
        if let life = worm.lifecycle {
            guard (1...31).contains(life.spreadUntilDay) else { throw fail("worm.lifecycle.spread_until_day", "must be 1 to 31") }
            guard (life.spreadUntilDay...31).contains(life.floodUntilDay) else {
                throw fail("worm.lifecycle.flood_until_day", "must be between spread_until_day and 31")
            }
            // What one host's link carries; N × 1e11 ≤ 1e20 bits per second stays finite.
            try number(life.floodBitsPerSecond, "worm.lifecycle.flood_bits_per_second", atMost: ScenarioLimits.hostBitsPerSecond,
                       "1e11 bits per second per host (a 100 Gb/s link)")
        }
        guard (20...65_535).contains(worm.probeBytes) else { throw fail("worm.probe_bytes", "must be 20 to 65535 (got \(worm.probeBytes))") }
        // The fastest host's probes must fit its link too: rate × bytes × 8 ≤ 1e11 bits per second.
        let probeBits = fastest * Double(worm.probeBytes) * 8
        if probeBits > ScenarioLimits.hostBitsPerSecond {
            let field: String
            switch worm.probeRate {
            case .fixed: field = "worm.probe_rate"
            case .discrete(let list): field = "worm.probe_rate.discrete[\(list.firstIndex { $0.rate == fastest } ?? 0)].rate"
            case .logNormal: field = "worm.probe_rate.median"
            case .uniform: field = "worm.probe_rate.max"
            }
            throw fail(field, "\(Self.figure(fastest)) probes per second of \(worm.probeBytes) bytes (worm.probe_bytes) are \(Self.figure(probeBits)) bits per second, more than a 100 Gb/s link carries (1e11)")
        }

        // Host events and network. Per-host event rates are at most one a second, so every
        // total (N × rate) is at most 1e9 a second.
        var last = -Double.infinity
        for (i, step) in hostEvents.patchSchedule.enumerated() {
            try number(step.start, "host_events.patch[\(i)].from_hours", atMost: ScenarioLimits.duration,
                       "8784 hours (one leap year, the longest run)", unit: .hours)
            try number(step.rate, "host_events.patch[\(i)].rate_per_hour", atMost: ScenarioLimits.hostEventRate, eventRateLimit, unit: .perHour)
            guard step.start >= last else { throw fail("host_events.patch[\(i)].from_hours", "steps must be in time order") }
            last = step.start
        }
        try number(hostEvents.cleanRate, "host_events.clean_rate_per_hour", atMost: ScenarioLimits.hostEventRate, eventRateLimit, unit: .perHour)
        try number(hostEvents.rebootRate, "host_events.reboot_rate_per_hour", atMost: ScenarioLimits.hostEventRate, eventRateLimit, unit: .perHour)
        try number(hostEvents.awarenessPatchRate, "host_events.awareness_patch_rate_per_hour", atMost: ScenarioLimits.hostEventRate,
                   eventRateLimit, unit: .perHour)
        if let d = hostEvents.diurnal {
            guard d.share.isFinite, (0...1).contains(d.share) else { throw fail("host_events.diurnal.share", "must be between 0 and 1 (got \(d.share))") }
            for (key, hour) in [("off_from_hour", d.offFromHour), ("off_until_hour", d.offUntilHour)] {
                guard hour.isFinite, (0...24).contains(hour) else { throw fail("host_events.diurnal.\(key)", "must be an hour from 0 to 24 (got \(hour))") }
            }
            guard d.offFromHour != d.offUntilHour else { throw fail("host_events.diurnal.off_until_hour", "equals off_from_hour: machines would never be off") }
            guard !d.zones.isEmpty, d.zones.count <= 64 else { throw fail("host_events.diurnal.zones", "needs 1 to 64 time zones") }
            for (i, z) in d.zones.enumerated() {
                guard z.utcOffsetHours.isFinite, (-12...14).contains(z.utcOffsetHours) else {
                    throw fail("host_events.diurnal.zones[\(i)].utc_offset_hours", "must be between -12 and 14 (got \(z.utcOffsetHours))")
                }
                try number(z.weight, "host_events.diurnal.zones[\(i)].weight", positive: true, atMost: ScenarioLimits.relativeWeight, weightLimit)
            }
        }
        try number(network.congestionExponent, "network.congestion_exponent", atMost: ScenarioLimits.congestionExponent,
                   "1000 (already (1 - I/N)^1000 < 5e-5 once 1 % of the hosts are infected)")

        // Monitors.
        var names = Set<String>()
        guard monitors.count <= 64 else { throw fail("monitors", "at most 64 monitors") }
        for (m, monitor) in monitors.enumerated() {
            guard !monitor.name.isEmpty else { throw fail("monitors[\(m)].name", "must not be empty") }
            guard names.insert(monitor.name).inserted else { throw fail("monitors[\(m)].name", "'\(monitor.name)' is used twice") }
            guard !monitor.prefixes.isEmpty else { throw fail("monitors[\(m)].prefixes", "must list at least one block or address") }
            for (i, p) in monitor.prefixes.enumerated() {
                guard p.length >= 32 - space.bits, space.contains(p.base) else {
                    throw fail("monitors[\(m)].prefixes[\(i)]", "\(p) lies outside the address space \(space.prefix)")
                }
                for q in monitor.prefixes[..<i] where p.overlap(with: q) > 0 {
                    throw fail("monitors[\(m)].prefixes[\(i)]", "\(p) overlaps \(q)")
                }
            }
            // A counting monitor adds its probes of one interval in a 64-bit integer: bound
            // them by every host probing at the fastest rate with the monitor's largest share
            // of probes (recording monitors and sequence walkers count probes one by one).
            guard !monitor.recordProbes, !worm.strategy.isSequential else { continue }
            let size = Double(monitor.size)
            var reach = 0.0
            if worm.strategy.anywhereWeight > 0 {  // then some of the space is not excluded (checked above)
                reach += worm.strategy.anywhereWeight * Swift.min(1, size / Double(space.size - excluded))
            }
            for c in worm.strategy.localComponents { reach += c.weight * Swift.min(1, size / Double(UInt64(1) << (32 - c.length))) }
            let most = Double(population.size) * fastest * Swift.min(reach, 1) * Swift.min(interval, duration)
            guard most <= ScenarioLimits.monitorProbesPerInterval else {
                throw fail("monitors[\(m)]", "could receive up to \(Self.figure(most)) probes in one interval, more than the 1e18 a per-interval count may hold; choose a shorter interval_seconds")
            }
        }
    }
}
