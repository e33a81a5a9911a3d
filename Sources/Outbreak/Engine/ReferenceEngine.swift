import WormWatchCore
/// The per-probe reference engine: draws every probe.
///
/// Each active infected host emits probes as a Poisson process of its rate; each probe
/// picks a target from the host's scan distribution; a probe that lands on a susceptible
/// host infects it (delivered with probability `(1 − I/N)^η` under congestion); monitors
/// record every probe that lands in them. Patching, cleaning and reboots are competing
/// exponential clocks. This is the model ``ExactEngine`` samples without drawing probes;
/// it is slow by design and limited to spaces of up to 2^24 addresses.
public struct ReferenceEngine: Sendable {
    /// The scenario it runs.
    public let scenario: Scenario

    /// Checks the scenario (and that its space is small enough) and prepares an engine.
    public init(scenario: Scenario) throws(ScenarioError) {
        try scenario.validate()
        guard scenario.space.bits <= 24 else {
            throw ScenarioError(field: "space.bits", message: "the per-probe reference engine runs spaces of up to 2^24 addresses (got 2^\(scenario.space.bits))")
        }
        self.scenario = scenario
    }

    /// Runs one outbreak, probe by probe.
    public func run(seed: UInt64, run: Int = 0, options: EngineOptions = EngineOptions()) -> OutbreakRecord {
        var rng = Xoshiro256StarStar.stream(seed: seed, index: UInt64(run))
        var record = simulate(plan: ScenarioPlan(scenario), rng: &rng, options: options)
        record.seed = seed
        record.run = run
        return record
    }

    private func simulate(plan: ScenarioPlan, rng: inout Xoshiro256StarStar, options: EngineOptions) -> OutbreakRecord {
        let sc = scenario
        let addresses = PopulationBuilder.place(sc, rng: &rng)
        let n = addresses.count
        var hostAt = [Int32](repeating: -1, count: Int(sc.space.size))
        for (h, a) in addresses.enumerated() { hostAt[Int(a)] = Int32(h) }
        var rateClass = [UInt8](repeating: 0, count: n)
        for h in 0..<n { rateClass[h] = plan.drawClass(&rng) }
        let classRate = plan.classes.map(\.rate)
        let maxRate = classRate.max() ?? 1
        var state = [HostState](repeating: .susceptible, count: n)
        var wasInfected = [Bool](repeating: false, count: n)
        var offline = [Bool](repeating: false, count: n)
        var offSusceptible = 0
        var zoneHosts: [[Int]] = []
        if let diurnal = sc.hostEvents.diurnal {
            zoneHosts = Array(repeating: [], count: diurnal.zones.count)
            for h in 0..<n where rng.nextUnit() < diurnal.share { zoneHosts[plan.drawZone(&rng)].append(h) }
        }
        var susceptible = Array(0..<n), susceptiblePos = Array(0..<n)
        var active: [Int] = [], activePos = [Int](repeating: -1, count: n)
        var latent: [(time: Double, host: Int)] = []
        var latentHead = 0
        var activeRate = 0.0
        var patched = 0, cleaned = 0, ever = 0
        var thresholdTimes: [Double?] = [nil, nil, nil]
        var infectionTimes: [Double] = []
        var scanning = true, flooding = false
        var events = 0

        // Monitors: a bit mask per address.
        let monitorCount = sc.monitors.count
        var monitorMask = monitorCount > 0 ? [UInt64](repeating: 0, count: Int(sc.space.size)) : []
        for (m, monitor) in sc.monitors.enumerated() {
            for p in monitor.prefixes {
                for a in p.base...p.last where sc.space.contains(a) { monitorMask[Int(a)] |= 1 << UInt64(m) }
            }
        }
        var lastInterval = [[Int32]](repeating: [Int32](repeating: -1, count: n), count: monitorCount)
        var seenEver = [[Bool]](repeating: [Bool](repeating: false, count: n), count: monitorCount)
        var counts = [MonitorCounts](repeating: MonitorCounts(), count: monitorCount)
        var totalNew = [Int](repeating: 0, count: monitorCount)
        var firstSeen = [[Double]](repeating: [], count: monitorCount)
        var probeRecords = [[MonitorProbe]](repeating: [], count: monitorCount)
        var trafficPerSlash8: [[Double]] = []
        var slash8Counts = [Double](repeating: 0, count: 256)
        let keepSlash8 = options.keepTrafficPerSlash8 && !sc.worm.strategy.isSequential
        let recording = sc.monitors.map { $0.recordProbes && options.keepProbes }

        let strategy = sc.worm.strategy
        let components = strategy.localComponents.filter { $0.weight > 0 }
        let anyWeight = plan.anyWeight
        let exclude = strategy.exclude
        let spaceSize = sc.space.size

        func removeSusceptible(_ h: Int) {
            let p = susceptiblePos[h], last = susceptible.removeLast()
            if last != h { susceptible[p] = last; susceptiblePos[last] = p }
        }
        // Sequence-walking strategies: one cursor per host and sequence.
        let sequenceCount = plan.sequenceCount
        let permutations = (0..<sequenceCount).map { plan.permutation($0) }
        var cursor = [UInt64](repeating: 0, count: n * sequenceCount)
        func activate(_ h: Int) {
            for q in 0..<sequenceCount {
                cursor[h * sequenceCount + q] = plan.startPosition(address: addresses[h], permutation: permutations[q], rng: &rng)
            }
            state[h] = .infected
            if offline[h] { return }
            activePos[h] = active.count
            active.append(h)
            activeRate += classRate[Int(rateClass[h])]
        }
        func removeActive(_ h: Int) {
            let p = activePos[h], last = active.removeLast()
            if last != h { active[p] = last; activePos[last] = p }
            activePos[h] = -1
            activeRate = active.isEmpty ? 0 : activeRate - classRate[Int(rateClass[h])]
        }
        func switchOff(_ h: Int) {
            guard !offline[h] else { return }
            if state[h] == .susceptible { removeSusceptible(h); offSusceptible += 1 }
            else if state[h] == .infected { removeActive(h) }
            else if state[h] != .latent { return }
            offline[h] = true
        }
        func switchOn(_ h: Int) {
            guard offline[h] else { return }
            offline[h] = false
            if state[h] == .susceptible {
                susceptiblePos[h] = susceptible.count
                susceptible.append(h)
                offSusceptible -= 1
            } else if state[h] == .infected {
                activePos[h] = active.count
                active.append(h)
                activeRate += classRate[Int(rateClass[h])]
            }
        }
        func infect(_ h: Int, _ t: Double, immediate: Bool) {
            removeSusceptible(h)
            state[h] = .latent
            if !wasInfected[h] { wasInfected[h] = true; ever += 1 }
            for k in 0..<3 where thresholdTimes[k] == nil && ever >= plan.thresholds[k] { thresholdTimes[k] = t }
            if options.keepInfectionTimes { infectionTimes.append(t) }
            if sc.worm.infectionDelay > 0 && !immediate { latent.append((t + sc.worm.infectionDelay, h)) } else { activate(h) }
        }
        func endInfection(_ h: Int, reboot: Bool) {
            removeActive(h)
            if reboot {
                state[h] = .susceptible
                susceptiblePos[h] = susceptible.count
                susceptible.append(h)
            } else {
                state[h] = .cleaned
                cleaned += 1
            }
        }

        var initial: [Int] = []
        for a in sc.worm.initialAddresses { if hostAt[Int(a)] >= 0 { initial.append(Int(hostAt[Int(a)])) } }
        var chosen = Set(initial)
        while chosen.count < Swift.min(n, sc.worm.initialAddresses.count + sc.worm.initialInfected) {
            let h = Int(rng.nextInt(below: UInt64(n)))
            if chosen.insert(h).inserted { initial.append(h) }
        }
        func applyPhase(_ phase: LifecyclePhase) { scanning = phase == .spread; flooding = phase == .flood }
        applyPhase(plan.initialPhase)
        for h in initial { infect(h, 0, immediate: true) }
        for (z, off) in plan.initiallyOff.enumerated() where off { for h in zoneHosts[z] { switchOff(h) } }
        var switchIndex = 0

        var rows: [OutbreakRow] = []
        var t = 0.0, k = 0
        var intervalEnd = plan.intervalEnd(0)
        var phaseIndex = 0
        var patchRate = sc.hostEvents.patchRate(at: 0)
        var nextPatch = plan.nextPatchChange(after: 0)
        var newInfections = 0
        var probeIntegral = 0.0, floodIntegral = 0.0, totalProbes = 0.0
        var peakNew = 0.0, peakTime = 0.0, peakTraffic = 0.0
        let awareness = sc.hostEvents.awarenessPatchRate / Double(n)
        let probeBits = Double(sc.worm.probeBytes * 8)
        let floodBits = sc.worm.lifecycle?.floodBitsPerSecond ?? 0

        while true {
            let nextPhase = phaseIndex < plan.phaseChanges.count ? plan.phaseChanges[phaseIndex].time : .infinity
            let nextLatent = latentHead < latent.count ? latent[latentHead].time : .infinity
            let nextSwitch = switchIndex < plan.switches.count ? plan.switches[switchIndex].time : .infinity
            let breakpoint = Swift.min(intervalEnd, nextPhase, nextPatch, nextLatent, nextSwitch)
            let probeRate = scanning ? activeRate : 0
            let s = susceptible.count, i = active.count
            let patchTotal = (patchRate + awareness * Double(n - s - offSusceptible - patched)) * Double(s)
            let cleanTotal = sc.hostEvents.cleanRate * Double(i)
            let rebootTotal = sc.hostEvents.rebootRate * Double(i)
            let total = probeRate + patchTotal + cleanTotal + rebootTotal
            let dt = rng.exponential(rate: total)
            let floodRate = flooding ? Double(i) * floodBits : 0
            if t + dt >= breakpoint {
                probeIntegral += probeRate * (breakpoint - t)
                floodIntegral += floodRate * (breakpoint - t)
                t = breakpoint
                while latentHead < latent.count && latent[latentHead].time <= t {
                    activate(latent[latentHead].host)
                    latentHead += 1
                    events += 1
                }
                while switchIndex < plan.switches.count && plan.switches[switchIndex].time <= t {
                    let change = plan.switches[switchIndex]
                    for h in zoneHosts[change.zone] { if change.on { switchOn(h) } else { switchOff(h) } }
                    switchIndex += 1
                }
                while phaseIndex < plan.phaseChanges.count && plan.phaseChanges[phaseIndex].time <= t {
                    applyPhase(plan.phaseChanges[phaseIndex].phase)
                    phaseIndex += 1
                }
                if nextPatch <= t {
                    patchRate = sc.hostEvents.patchRate(at: t)
                    nextPatch = plan.nextPatchChange(after: t)
                }
                if t >= intervalEnd {
                    let length = intervalEnd - Double(k) * sc.interval
                    if keepSlash8 {
                        trafficPerSlash8.append(slash8Counts.map { $0 / length })
                        slash8Counts = [Double](repeating: 0, count: 256)
                    }
                    let probesPerSecond = probeIntegral / length
                    let traffic = probesPerSecond * probeBits + floodIntegral / length
                    rows.append(OutbreakRow(
                        time: intervalEnd, susceptible: susceptible.count + offSusceptible,
                        infected: n - susceptible.count - offSusceptible - patched - cleaned,
                        removed: patched + cleaned, newInfections: newInfections, everInfected: ever,
                        probesPerSecond: probesPerSecond, trafficBitsPerSecond: traffic, monitors: counts))
                    let perMinute = Double(newInfections) * 60 / length
                    if perMinute > peakNew { peakNew = perMinute; peakTime = intervalEnd }
                    peakTraffic = Swift.max(peakTraffic, traffic)
                    totalProbes += probeIntegral
                    newInfections = 0; probeIntegral = 0; floodIntegral = 0
                    counts = [MonitorCounts](repeating: MonitorCounts(), count: monitorCount)
                    k += 1
                    if k >= plan.intervals || intervalEnd >= sc.duration { break }
                    intervalEnd = plan.intervalEnd(k)
                }
                continue
            }
            t += dt
            probeIntegral += probeRate * dt
            floodIntegral += floodRate * dt
            var u = rng.nextUnit() * total
            if u < probeRate {
                // One probe: a source in proportion to its rate, then a target.
                var source = active[Int(rng.nextInt(below: UInt64(i)))]
                while classRate[Int(rateClass[source])] < maxRate && rng.nextUnit() * maxRate >= classRate[Int(rateClass[source])] {
                    source = active[Int(rng.nextInt(below: UInt64(i)))]
                }
                var target: UInt32
                var cursorIndex = -1
                var pick = rng.nextUnit() * (anyWeight + components.reduce(0) { $0 + $1.weight })
                if sequenceCount > 0 {
                    let q = sequenceCount == 1 ? 0 : Int(rng.nextInt(below: UInt64(sequenceCount)))
                    cursorIndex = source * sequenceCount + q
                    let position = cursor[cursorIndex]
                    target = UInt32(truncatingIfNeeded: permutations[q]?.forward(position) ?? position)
                    cursor[cursorIndex] = (position + 1) % spaceSize
                } else if pick < anyWeight || components.isEmpty {
                    repeat { target = UInt32(truncatingIfNeeded: rng.nextInt(below: spaceSize)) } while exclude.contains { $0.contains(target) }
                } else {
                    pick -= anyWeight
                    var chosenComponent = components[components.count - 1]
                    for c in components {
                        if pick < c.weight { chosenComponent = c; break }
                        pick -= c.weight
                    }
                    let own = IPv4Prefix(base: addresses[source], length: chosenComponent.length)
                    target = own.base &+ UInt32(truncatingIfNeeded: rng.nextInt(below: own.size))
                }
                if keepSlash8 { slash8Counts[Int(target >> 24)] += 1 }
                if monitorCount > 0 {
                    var mask = monitorMask[Int(target)]
                    while mask != 0 {
                        let m = mask.trailingZeroBitCount
                        mask &= mask - 1
                        counts[m].probes += 1
                        if recording[m] { probeRecords[m].append(MonitorProbe(time: t, source: addresses[source], destination: target)) }
                        if lastInterval[m][source] != Int32(k) { lastInterval[m][source] = Int32(k); counts[m].distinctSources += 1 }
                        if !seenEver[m][source] {
                            seenEver[m][source] = true
                            counts[m].newSources += 1
                            totalNew[m] += 1
                            if options.keepFirstSeen { firstSeen[m].append(t) }
                        }
                    }
                }
                let victim = Int(hostAt[Int(target)])
                if cursorIndex >= 0 && victim >= 0 && victim != source && plan.jumpsOnInfected && !offline[victim]
                    && (state[victim] == .latent || state[victim] == .infected) {
                    cursor[cursorIndex] = rng.nextInt(below: spaceSize)
                }
                if victim >= 0 && state[victim] == .susceptible && !offline[victim] {
                    let c = plan.congestion(infected: n - susceptible.count - offSusceptible - patched - cleaned)
                    if c >= 1 || rng.nextUnit() < c {
                        infect(victim, t, immediate: false)
                        newInfections += 1
                        events += 1
                    }
                }
                continue
            }
            events += 1
            u -= probeRate
            if u < patchTotal, s > 0 {
                let h = susceptible[Int(rng.nextInt(below: UInt64(s)))]
                removeSusceptible(h)
                state[h] = .patched
                patched += 1
                continue
            }
            u -= patchTotal
            if i > 0 { endInfection(active[Int(rng.nextInt(below: UInt64(i)))], reboot: u >= cleanTotal) }
        }

        let summary = OutbreakSummary(
            population: n, finalInfected: n - susceptible.count - offSusceptible - patched - cleaned, everInfected: ever,
            peakNewInfectionsPerMinute: peakNew, peakTime: peakTime, timeTo10Percent: thresholdTimes[0],
            timeTo50Percent: thresholdTimes[1], timeTo90Percent: thresholdTimes[2], totalProbes: totalProbes,
            peakTrafficBitsPerSecond: peakTraffic, monitorSources: totalNew, events: events)
        return OutbreakRecord(
            scenario: sc.name, seed: 0, run: 0, startTime: sc.startTime, monitorNames: sc.monitors.map(\.name),
            rows: rows, summary: summary, infectionTimes: infectionTimes, firstSeenTimes: firstSeen.map { $0.sorted() },
            probes: probeRecords, trafficPerSlash8: trafficPerSlash8)
    }
}
