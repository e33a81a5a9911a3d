import WormWatchCore
extension Scenario {
    /// Checks that the scenario is consistent; throws the first problem found.
    public func validate() throws(ScenarioError) {
        func fail(_ field: String, _ message: String) -> ScenarioError { ScenarioError(field: field, message: message) }
        func finite(_ x: Double, _ field: String, positive: Bool = false) throws(ScenarioError) {
            guard x.isFinite else { throw fail(field, "must be a finite number") }
            if positive { guard x > 0 else { throw fail(field, "must be greater than 0 (got \(x))") } }
            else { guard x >= 0 else { throw fail(field, "must not be negative (got \(x))") } }
        }
        guard (16...32).contains(space.bits) else { throw fail("space.bits", "must be between 16 and 32 (got \(space.bits))") }
        for (i, p) in space.reserved.enumerated() {
            for q in space.reserved[..<i] where p.overlap(with: q) > 0 {
                throw fail("space.reserved[\(i)]", "\(p) overlaps \(q)")
            }
        }
        try finite(duration, "duration_hours", positive: true)
        try finite(interval, "interval_seconds", positive: true)
        guard duration <= 366 * 86400 else { throw fail("duration_hours", "must be at most one year") }
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

        // Population.
        guard population.size >= 1 else { throw fail("population.size", "must be at least 1 (got \(population.size))") }
        guard population.size <= 1_000_000_000 else { throw fail("population.size", "must be at most 10^9 hosts (got \(population.size))") }
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
                guard c.weight.isFinite, (0...1).contains(c.weight) else { throw fail(field + ".weight", "must be between 0 and 1 (got \(c.weight))") }
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
            var total = 0
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
                total += e.count
            }
            guard total == population.size else { throw fail("population.size", "is \(population.size) but the prefix counts add up to \(total)") }
        }

        // Worm.
        switch worm.probeRate {
        case .fixed(let r): try finite(r, "worm.probe_rate", positive: true)
        case .discrete(let list):
            guard !list.isEmpty, list.count <= 256 else { throw fail("worm.probe_rate.discrete", "needs 1 to 256 entries") }
            for (i, e) in list.enumerated() {
                try finite(e.rate, "worm.probe_rate.discrete[\(i)].rate", positive: true)
                try finite(e.weight, "worm.probe_rate.discrete[\(i)].weight", positive: true)
            }
        case .logNormal(let median, let sigma):
            try finite(median, "worm.probe_rate.median", positive: true)
            try finite(sigma, "worm.probe_rate.sigma")
            guard sigma <= 5 else { throw fail("worm.probe_rate.sigma", "must be at most 5 (got \(sigma))") }
        case .uniform(let lo, let hi):
            try finite(lo, "worm.probe_rate.min", positive: true)
            try finite(hi, "worm.probe_rate.max", positive: true)
            guard lo <= hi else { throw fail("worm.probe_rate", "min (\(lo)) is larger than max (\(hi))") }
        }
        try finite(worm.infectionDelay, "worm.infection_delay_seconds")
        var weightSum = worm.strategy.anywhereWeight
        try finite(weightSum, "worm.scan.anywhere")
        for (i, c) in worm.strategy.localComponents.enumerated() {
            let field = "worm.scan.local[\(i)]"
            guard (1...16).contains(c.length), c.length >= 32 - space.bits else {
                throw fail(field + ".prefix_length", "must be between \(max(1, 32 - space.bits)) and 16 for a 2^\(space.bits) space (got \(c.length))")
            }
            try finite(c.weight, field + ".weight")
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
        guard worm.initialInfected + worm.initialAddresses.count >= 1 else { throw fail("worm.initial_infected", "at least one host must be infected at the start") }
        guard worm.initialInfected + worm.initialAddresses.count <= population.size else {
            throw fail("worm.initial_infected", "more initial infections (\(worm.initialInfected + worm.initialAddresses.count)) than vulnerable hosts (\(population.size))")
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
            try finite(life.floodBitsPerSecond, "worm.lifecycle.flood_bits_per_second")
        }
        guard (20...65_535).contains(worm.probeBytes) else { throw fail("worm.probe_bytes", "must be 20 to 65535 (got \(worm.probeBytes))") }

        // Host events and network.
        var last = -Double.infinity
        for (i, step) in hostEvents.patchSchedule.enumerated() {
            try finite(step.start, "host_events.patch[\(i)].from_hours")
            try finite(step.rate, "host_events.patch[\(i)].rate_per_hour")
            guard step.start >= last else { throw fail("host_events.patch[\(i)].from_hours", "steps must be in time order") }
            last = step.start
        }
        try finite(hostEvents.cleanRate, "host_events.clean_rate_per_hour")
        try finite(hostEvents.rebootRate, "host_events.reboot_rate_per_hour")
        try finite(hostEvents.awarenessPatchRate, "host_events.awareness_patch_rate_per_hour")
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
                try finite(z.weight, "host_events.diurnal.zones[\(i)].weight", positive: true)
            }
        }
        try finite(network.congestionExponent, "network.congestion_exponent")

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
        }
    }
}
