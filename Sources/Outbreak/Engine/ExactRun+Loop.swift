/// The event loop.
extension ExactRun {
    mutating func simulate(rng: inout Xoshiro256StarStar, progress: ((Double) -> Void)? = nil) -> OutbreakRecord {
        let scenario = plan.scenario
        let duration = scenario.duration
        let anyCoefficient = plan.anyWeight / plan.anySpace
        let cleanRate = scenario.hostEvents.cleanRate
        let rebootRate = scenario.hostEvents.rebootRate
        let awareness = scenario.hostEvents.awarenessPatchRate / Double(n)
        let probeBits = Double(scenario.worm.probeBytes * 8)
        let floodBits = scenario.worm.lifecycle?.floodBitsPerSecond ?? 0
        var rows: [OutbreakRow] = []
        rows.reserveCapacity(plan.intervals)
        var trafficPerSlash8: [[Double]] = []

        applyPhase(plan.initialPhase, at: 0, rng: &rng)
        // Initial infections, then the zones asleep at the start go off.: the listed addresses, then random hosts.
        var initial: [Int] = []
        for a in scenario.worm.initialAddresses {
            if let h = indexOf(a) { initial.append(h) }
        }
        var chosen = Set(initial)
        while chosen.count < Swift.min(n, scenario.worm.initialAddresses.count + scenario.worm.initialInfected) {
            let h = Int(rng.nextInt(below: UInt64(n)))
            if chosen.insert(h).inserted { initial.append(h) }
        }
        for h in initial { infect(h, at: 0, immediate: true, rng: &rng) }  // seeds scan at once
        for (z, off) in plan.initiallyOff.enumerated() where off {
            for h in zoneHosts[z] { switchOff(Int(h), at: 0, rng: &rng) }
        }

        var t = 0.0
        var k = 0
        var intervalEnd = plan.intervalEnd(0)
        var phaseIndex = 0
        var switchIndex = 0
        var patchRate = scenario.hostEvents.patchRate(at: 0)
        var nextPatch = plan.nextPatchChange(after: 0)
        var newInfections = 0
        var probeIntegral = 0.0
        var floodIntegral = 0.0
        var totalProbes = 0.0
        var peakNew = 0.0, peakTime = 0.0, peakTraffic = 0.0
        var lastPercent = -1

        while true {
            let nextPhase = phaseIndex < plan.phaseChanges.count ? plan.phaseChanges[phaseIndex].time : .infinity
            let nextLatent = latentHead != latentTail ? latentTime[latentHead] : .infinity
            let nextHit = sequences?.nextDue() ?? .infinity
            let nextSwitch = switchIndex < plan.switches.count ? plan.switches[switchIndex].time : .infinity
            let breakpoint = Swift.min(intervalEnd, nextPhase, nextPatch, nextLatent, nextHit, nextSwitch)

            let congestion = plan.congestion(infected: i + l + offInfected + offLatent)
            let anyPressure = scanning ? anyCoefficient * activeRate * Double(s) : 0
            var levelPressure = 0.0
            if scanning { for x in 0..<levels.count { levelPressure += levels[x].pressure.total } }
            let infectionRate = congestion * (anyPressure + levelPressure)
            let patchTotal = (patchRate + awareness * Double(i + l + offInfected + offLatent + cleaned)) * Double(s)
            let cleanTotal = cleanRate * Double(i)
            let rebootTotal = rebootRate * Double(i)
            let total = infectionRate + patchTotal + cleanTotal + rebootTotal
            let dt = rng.exponential(rate: total)
            let probeRate = scanning ? activeRate : 0
            let floodRate = flooding ? Double(i) * floodBits : 0

            if t + dt >= breakpoint {
                let step = breakpoint - t
                probeIntegral += probeRate * step
                floodIntegral += floodRate * step
                t = breakpoint
                while latentHead != latentTail && latentTime[latentHead] <= t {
                    let h = Int(latentHost[latentHead])
                    let due = latentTime[latentHead]
                    latentHead += 1
                    if latentHead == n { latentHead = 0 }
                    activate(h, at: due, rng: &rng)
                    events += 1
                }
                if sequences != nil {
                    while let due = sequences?.nextDue(), due <= t { sequenceHit(at: due, rng: &rng) }
                }
                while switchIndex < plan.switches.count && plan.switches[switchIndex].time <= t {
                    let change = plan.switches[switchIndex]
                    for h in zoneHosts[change.zone] {
                        if change.on { switchOn(Int(h), at: t, rng: &rng) } else { switchOff(Int(h), at: t, rng: &rng) }
                    }
                    switchIndex += 1
                    events += 1
                }
                while phaseIndex < plan.phaseChanges.count && plan.phaseChanges[phaseIndex].time <= t {
                    applyPhase(plan.phaseChanges[phaseIndex].phase, at: t, rng: &rng)
                    phaseIndex += 1
                }
                if nextPatch <= t {
                    patchRate = scenario.hostEvents.patchRate(at: t)
                    nextPatch = plan.nextPatchChange(after: t)
                }
                if t >= intervalEnd {
                    newInfections += pendingNew
                    pendingNew = 0
                    let length = intervalEnd - Double(k) * scenario.interval
                    var counts: [MonitorCounts] = []
                    counts.reserveCapacity(monitors.count)
                    for m in monitors.indices { counts.append(monitors[m].close(interval: k, length: length, rng: &rng)) }
                    if slash8 != nil {
                        trafficPerSlash8.append(slash8?.close(at: t, length: length, probeIntegral: probeIntegral, scanning: scanning) ?? [])
                    }
                    let probesPerSecond = probeIntegral / length
                    let traffic = probesPerSecond * probeBits + floodIntegral / length
                    rows.append(OutbreakRow(
                        time: intervalEnd, susceptible: s + offSusceptible, infected: l + i + offLatent + offInfected, removed: patched + cleaned,
                        newInfections: newInfections, everInfected: ever, probesPerSecond: probesPerSecond,
                        trafficBitsPerSecond: traffic, monitors: counts))
                    let perMinute = Double(newInfections) * 60 / length
                    if perMinute > peakNew { peakNew = perMinute; peakTime = intervalEnd }
                    peakTraffic = Swift.max(peakTraffic, traffic)
                    totalProbes += probeIntegral
                    newInfections = 0; probeIntegral = 0; floodIntegral = 0
                    k += 1
                    if k >= plan.intervals || intervalEnd >= duration { break }
                    intervalEnd = plan.intervalEnd(k)
                    if let progress, Int(t / duration * 100) != lastPercent {
                        lastPercent = Int(t / duration * 100)
                        progress(t / duration)
                    }
                }
                continue
            }

            t += dt
            probeIntegral += probeRate * dt
            floodIntegral += floodRate * dt
            events += 1
            var u = rng.nextUnit() * total
            if u < infectionRate {
                let victim = chooseVictim(u / congestion, anyPressure: anyPressure, rng: &rng)
                infect(victim, at: t, rng: &rng)
                newInfections += 1
                continue
            }
            u -= infectionRate
            if u < patchTotal, s > 0 {
                patch(uniformSusceptible(rng: &rng))
                continue
            }
            u -= patchTotal
            if i > 0 {
                let h = infectedHost(rank: Int64(rng.nextInt(below: UInt64(i))))
                deactivate(h, at: t, reboot: u >= cleanTotal, rng: &rng)
            }
        }

        var firstSeen: [[Double]] = []
        var probes: [[MonitorProbe]] = []
        if sequences != nil {
            // Sequence walkers' monitors are explicit: their probes were recorded leg by leg.
            sequences?.finish(at: duration, rng: &rng)
            for m in monitors.indices {
                monitors[m].probes = sequences?.hits[m] ?? []
                monitors[m].explicit = true
            }
        }
        if scanning && (options.keepFirstSeen || monitors.contains(where: \.explicit)) {
            for b in 0..<blockCount {
                let start = segmentStart(2, b)
                for p in start..<start + Int(count[b * 5 + 2]) {
                    let h = Int(order[p])
                    for m in monitors.indices { monitors[m].finish(h, address: host[h].address, at: duration, rng: &rng) }
                }
            }
        }
        for m in monitors.indices {
            if options.keepFirstSeen {
                firstSeen.append(monitors[m].explicit ? firstProbeTimes(monitors[m].probes) : monitors[m].firstSeen.sorted())
            }
            if monitors[m].explicit {
                let counts = monitors[m].explicitCounts()
                for k in rows.indices { rows[k].monitors[m] = counts[k] }
                monitors[m].totalNew = counts.reduce(0) { $0 + $1.newSources }
            }
            probes.append(options.keepProbes ? monitors[m].probes : [])
        }
        let summary = OutbreakSummary(
            population: n, finalInfected: l + i + offLatent + offInfected, everInfected: ever, peakNewInfectionsPerMinute: peakNew,
            peakTime: peakTime, timeTo10Percent: thresholdTimes[0], timeTo50Percent: thresholdTimes[1],
            timeTo90Percent: thresholdTimes[2], totalProbes: totalProbes, peakTrafficBitsPerSecond: peakTraffic,
            monitorSources: monitors.map(\.totalNew), events: events)
        return OutbreakRecord(
            scenario: scenario.name, seed: 0, run: 0, startTime: scenario.startTime,
            monitorNames: scenario.monitors.map(\.name), rows: rows, summary: summary,
            infectionTimes: infectionTimes, firstSeenTimes: firstSeen, probes: probes, trafficPerSlash8: trafficPerSlash8)
    }

    /// Each source's first probe time, from a monitor's probes.
    func firstProbeTimes(_ probes: [MonitorProbe]) -> [Double] {
        var first: [UInt32: Double] = [:]
        for p in probes where first[p.source] == nil || p.time < first[p.source] ?? .infinity { first[p.source] = p.time }
        return first.values.sorted()
    }
}
