import Foundation

/// The exact, event-driven outbreak engine.
///
/// It samples the per-probe model (see ``ReferenceEngine``) exactly in distribution but
/// costs in proportion to the events that change something: infections, patches,
/// cleanings, reboots, activations and monitor observations — not probes. Infection
/// pressure is aggregated per prefix (Fenwick trees over /16 blocks and over the blocks of
/// each local-scanning level); hosts sit in per-/16 arrays partitioned by state, so a
/// uniform victim is found in O(log) and moved in O(1). Monitors draw each source's
/// first-seen time once per activation and count the rest per interval with binomial and
/// Poisson draws.
public struct ExactEngine: Sendable {
    /// The scenario it runs.
    public let scenario: Scenario

    /// Checks the scenario and prepares an engine for it.
    public init(scenario: Scenario) throws(ScenarioError) {
        try scenario.validate()
        self.scenario = scenario
    }

    /// Runs one outbreak. The same `seed` and `run` index give the same record.
    /// `progress`, if given, is called with the simulated fraction (0…1) at each whole
    /// per cent, as intervals close; it does not change the result.
    public func run(seed: UInt64, run: Int = 0, options: EngineOptions = EngineOptions(),
                    progress: ((Double) -> Void)? = nil) -> OutbreakRecord {
        var rng = Xoshiro256StarStar.stream(seed: seed, index: UInt64(run))
        var state = ExactRun(plan: ScenarioPlan(scenario), rng: &rng, options: options)
        var record = state.simulate(rng: &rng, progress: progress)
        record.seed = seed
        record.run = run
        return record
    }
}

/// One host's engine state, packed so that touching a host costs one cache miss.
struct HostRecord {
    /// Its address.
    var address: UInt32
    /// Its position in `order` (inside its /16 block's segments).
    var slot: Int32
    /// Where it stands in the outbreak.
    var state: HostState = .susceptible
    /// Index of its probe-rate class.
    var rateClass: UInt8 = 0
    /// Whether it has ever been infected (re-infections after a reboot count once).
    var wasInfected = false
    /// 0: always on; k + 1: switched off at night in diurnal time zone k.
    var zone: UInt8 = 0
    /// Whether it is switched off now (it then sits in the OFF segment).
    var offline = false
}

/// Where a host stands in the outbreak (one byte in ``HostRecord``).
///
/// The exact engine keeps each /16 block's hosts in segments ordered S | L | I | R | OFF:
/// susceptible, latent, infected, removed (patched or cleaned) and switched off at night
/// (whatever the state).
enum HostState: UInt8 {
    /// Vulnerable and not infected.
    case susceptible
    /// Infected, waiting out the infection delay before it starts scanning.
    case latent
    /// Infected and scanning (unless switched off for the night).
    case infected
    /// Patched before it was infected: removed for good.
    case patched
    /// Infected, then cleaned (and patched): removed for good.
    case cleaned
}

/// One local-scanning level: per-block counts and the Fenwick tree of infection pressure.
/// It owns its storage.
struct LevelState: ~Copyable {
    let length: Int
    let shift: UInt32
    let count: Int
    let coefficient: Double
    let susceptible: RawBuffer<Int32>
    let infected: RawBuffer<Int32>
    let rate: RawBuffer<Double>
    let pressure: WeightTree

    init(length: Int, weight: Double, spaceBits: Int) {
        self.length = length
        shift = UInt32(32 - length)
        count = 1 << (spaceBits - (32 - length))
        coefficient = weight / Double(UInt64(1) << (32 - length))
        susceptible = RawBuffer(repeating: 0, count: count)
        infected = RawBuffer(repeating: 0, count: count)
        rate = RawBuffer(repeating: 0, count: count)
        pressure = WeightTree(count: count)
    }

    /// Recomputes block x's infection pressure: the level's weight per address of the
    /// block, times the block's scanning rate, times its susceptible hosts.
    @inline(__always) func refresh(_ x: Int) { pressure.set(x, coefficient * rate[x] * Double(susceptible[x])) }

    /// A susceptible host at `address` appeared (`delta` 1) or went (−1).
    @inline(__always) func susceptibleChanged(at address: UInt32, by delta: Int32) {
        let x = Int(address >> shift)
        susceptible[x] += delta
        refresh(x)
    }

    /// An infected host at `address` started scanning at `r` probes per second.
    @inline(__always) func scannerStarted(at address: UInt32, rate r: Double) {
        let x = Int(address >> shift)
        infected[x] += 1
        rate[x] += r
        refresh(x)
    }

    /// An infected host at `address` that scanned at `r` probes per second stopped (the
    /// block's rate returns to exactly 0 with its last scanner, shedding rounding drift).
    @inline(__always) func scannerStopped(at address: UInt32, rate r: Double) {
        let x = Int(address >> shift)
        infected[x] -= 1
        rate[x] = infected[x] == 0 ? 0 : rate[x] - r
        refresh(x)
    }
}

/// One run's mutable state. Buffers are ``RawBuffer``s it owns (freed when the run goes
/// away): no per-event allocation, no copy-on-write or exclusivity checks in the hot loop.
struct ExactRun: ~Copyable {
    let plan: ScenarioPlan
    let options: EngineOptions
    let n: Int
    let blockCount: Int
    /// Everything about host h in one place (one cache line touched per host).
    let host: RawBuffer<HostRecord>
    let order: RawBuffer<Int32>
    let blockStart: RawBuffer<Int32>
    /// `count[b * 5 + seg]`: hosts of block b in segment seg (S, L, I, R, OFF), a block's five together.
    let count: RawBuffer<Int32>
    let susceptibleTree: CountTree
    let infectedTree: CountTree
    let levels: RawBuffer<LevelState>
    let classRate: [Double]
    let delay: Double
    // Latent hosts wait in a FIFO (the delay is fixed).
    let latentTime: RawBuffer<Double>
    let latentHost: RawBuffer<Int32>
    var latentHead = 0, latentTail = 0
    // Totals.
    var s = 0, l = 0, i = 0, patched = 0, cleaned = 0, ever = 0
    /// Hosts switched off for the night, by the state they keep.
    var offSusceptible = 0, offLatent = 0, offInfected = 0
    /// Diurnal time zones: the hosts of each.
    var zoneHosts: [[Int32]] = []
    var activeRate = 0.0
    var updatesSinceRebuild = 0
    var monitors: [MonitorTracker]
    /// Per host and monitor (host-major, so one host's monitor data share a cache line).
    /// The trackers in `monitors` borrow it.
    let monitorSlots: RawBuffer<MonitorSlot>
    /// Cursors of sequence-walking strategies (nil for memoryless scanning).
    var sequences: SequenceScanner?
    /// Traffic per /8, when asked for.
    var slash8: SlashEightTraffic?
    var scanning = true
    var flooding = false
    var infectionTimes: [Double] = []
    var thresholdTimes: [Double?] = [nil, nil, nil]
    var events = 0
    /// Infections made by sequence hits since the last interval closed.
    var pendingNew = 0

    /// Places the population, draws each host's probe-rate class and diurnal zone, and
    /// lays the hosts out by /16 block, all susceptible.
    init(plan: ScenarioPlan, rng: inout Xoshiro256StarStar, options: EngineOptions) {
        self.plan = plan
        self.options = options
        let scenario = plan.scenario
        let addresses = PopulationBuilder.place(scenario, rng: &rng)
        let hostCount = addresses.count
        let blocks = 1 << (scenario.space.bits - 16)
        n = hostCount
        blockCount = blocks
        // The buffers are built in locals and moved in once complete.
        let hosts = RawBuffer(count: hostCount, placement: .hugePages) { HostRecord(address: addresses[$0], slot: Int32($0)) }
        for h in 0..<hostCount { hosts[h].rateClass = plan.drawClass(&rng) }
        if let diurnal = scenario.hostEvents.diurnal {
            zoneHosts = Array(repeating: [], count: diurnal.zones.count)
            for h in 0..<hostCount where rng.nextUnit() < diurnal.share {
                let z = plan.drawZone(&rng)
                hosts[h].zone = UInt8(z + 1)
                zoneHosts[z].append(Int32(h))
            }
        }
        host = hosts
        order = RawBuffer(count: hostCount, placement: .hugePages) { Int32($0) }
        let starts = RawBuffer<Int32>(repeating: 0, count: blocks + 1)
        let counts = RawBuffer<Int32>(repeating: 0, count: 5 * blocks)
        for h in 0..<hostCount { counts[Int(addresses[h] >> 16) * 5] += 1 }
        for b in 0..<blocks { starts[b + 1] = starts[b] + counts[b * 5] }
        let susceptibleCounts = CountTree(count: blocks)
        let countBase = counts.base
        susceptibleCounts.build { Int64(countBase[$0 * 5]) }
        blockStart = starts
        count = counts
        susceptibleTree = susceptibleCounts
        infectedTree = CountTree(count: blocks)
        let components = scenario.worm.strategy.localComponents.filter { $0.weight > 0 }
        let localLevels = RawBuffer(count: components.count) {
            LevelState(length: components[$0].length, weight: components[$0].weight, spaceBits: scenario.space.bits)
        }
        for x in 0..<localLevels.count {
            for h in 0..<hostCount { localLevels[x].susceptible[Int(addresses[h] >> localLevels[x].shift)] += 1 }
        }
        levels = localLevels
        classRate = plan.classes.map(\.rate)
        delay = scenario.worm.infectionDelay
        latentTime = RawBuffer(repeating: 0, count: hostCount, placement: .hugePages)
        latentHost = RawBuffer(repeating: 0, count: hostCount, placement: .hugePages)
        s = hostCount
        sequences = plan.sequenceCount > 0 ? SequenceScanner(plan: plan, addresses: addresses) : nil
        slash8 = options.keepTrafficPerSlash8 && !scenario.worm.strategy.isSequential ? SlashEightTraffic(plan: plan) : nil
        let keep = options.keepFirstSeen
        let monitorCount = scenario.monitors.count
        let slots = RawBuffer(repeating: MonitorSlot(), count: Swift.max(1, hostCount * monitorCount), placement: .hugePages)
        let slotBase = slots.base
        monitorSlots = slots
        monitors = scenario.monitors.enumerated().map {
            MonitorTracker(monitor: $0.element, index: $0.offset, of: monitorCount, slots: slotBase, plan: plan, keepFirstSeen: keep)
        }
        if options.keepInfectionTimes { infectionTimes.reserveCapacity(hostCount) }
    }

    // MARK: Segments

    @inline(__always) func segmentStart(_ seg: Int, _ b: Int) -> Int {
        var p = Int(blockStart[b])
        var k = 0
        let base = b * 5
        while k < seg { p += Int(count[base + k]); k += 1 }
        return p
    }

    @inline(__always) mutating func swapSlots(_ p: Int, _ q: Int) {
        let a = order[p], c = order[q]
        order[p] = c; order[q] = a
        host[Int(c)].slot = Int32(p); host[Int(a)].slot = Int32(q)
    }

    /// Moves host h from segment `seg` to `seg + 1` of its block.
    @inline(__always) mutating func forward(_ h: Int, _ seg: Int, _ b: Int) {
        swapSlots(Int(host[h].slot), segmentStart(seg + 1, b) - 1)
        count[b * 5 + seg] -= 1
        count[b * 5 + seg + 1] += 1
    }

    /// Moves host h from segment `seg` to `seg - 1` of its block.
    @inline(__always) mutating func backward(_ h: Int, _ seg: Int, _ b: Int) {
        swapSlots(Int(host[h].slot), segmentStart(seg, b))
        count[b * 5 + seg] -= 1
        count[b * 5 + seg - 1] += 1
    }

    // MARK: Transitions

    @inline(__always) mutating func susceptibleChanged(_ h: Int, _ delta: Int32) {
        let a = host[h].address
        susceptibleTree.add(Int(a >> 16), Int64(delta))
        for x in 0..<levels.count { levels[x].susceptibleChanged(at: a, by: delta) }
        s += Int(delta)
        noteUpdate()
    }

    @inline(__always) mutating func noteUpdate() {
        updatesSinceRebuild += 1
        if updatesSinceRebuild >= 1 << 20 {
            updatesSinceRebuild = 0
            for x in 0..<levels.count { levels[x].pressure.rebuild() }
        }
    }

    mutating func infect(_ h: Int, at t: Double, immediate: Bool = false, rng: inout Xoshiro256StarStar) {
        let b = Int(host[h].address >> 16)
        susceptibleChanged(h, -1)
        forward(h, 0, b)
        host[h].state = .latent
        l += 1
        if !host[h].wasInfected {
            host[h].wasInfected = true
            ever += 1
        }
        for k in 0..<3 where thresholdTimes[k] == nil && ever >= plan.thresholds[k] { thresholdTimes[k] = t }
        if options.keepInfectionTimes { infectionTimes.append(t) }
        if delay > 0 && !immediate {
            latentTime[latentTail] = t + delay
            latentHost[latentTail] = Int32(h)
            latentTail += 1
            if latentTail == n { latentTail = 0 }
        } else {
            activate(h, at: t, rng: &rng)
        }
    }

    mutating func activate(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        host[h].state = .infected
        if host[h].offline { offLatent -= 1; offInfected += 1; return }  // wakes up infected
        forward(h, 1, Int(host[h].address >> 16))
        l -= 1
        startScanning(h, at: t, rng: &rng)
    }

    /// An infected host in the I segment starts probing (after infection, or when switched on).
    mutating func startScanning(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        let a = host[h].address
        let b = Int(a >> 16)
        i += 1
        infectedTree.add(b, 1)
        let r = classRate[Int(host[h].rateClass)]
        activeRate += r
        for x in 0..<levels.count { levels[x].scannerStarted(at: a, rate: r) }
        noteUpdate()
        slash8?.change(address: a, rate: r, sign: 1, at: t, scanning: scanning)
        if scanning {
            for m in monitors.indices { monitors[m].activate(h, address: a, rate: r, at: t, rng: &rng) }
            sequences?.resume(h, address: a, rate: r, at: t, rng: &rng)
        }
    }

    /// Ends an active infection: `reboot` returns the host to susceptible, otherwise it is cleaned.
    mutating func deactivate(_ h: Int, at t: Double, reboot: Bool, rng: inout Xoshiro256StarStar) {
        let b = Int(host[h].address >> 16)
        stopScanning(h, at: t, pause: false, rng: &rng)
        if reboot {
            backward(h, 2, b)
            backward(h, 1, b)
            host[h].state = .susceptible
            susceptibleChanged(h, 1)
        } else {
            forward(h, 2, b)
            host[h].state = .cleaned
            cleaned += 1
            noteUpdate()
        }
    }

    /// An infected host in the I segment stops probing (removed, or switched off: `pause`
    /// keeps a sequence scanner's place).
    mutating func stopScanning(_ h: Int, at t: Double, pause: Bool, rng: inout Xoshiro256StarStar) {
        let a = host[h].address
        let b = Int(a >> 16)
        if scanning { for m in monitors.indices { monitors[m].deactivate(h, address: a, at: t, rng: &rng) } }
        if pause { sequences?.pause(h, at: t, rng: &rng) } else { sequences?.stop(h, at: t, rng: &rng) }
        i -= 1
        infectedTree.add(b, -1)
        let r = classRate[Int(host[h].rateClass)]
        slash8?.change(address: a, rate: r, sign: -1, at: t, scanning: scanning)
        activeRate = i == 0 ? 0 : activeRate - r
        for x in 0..<levels.count { levels[x].scannerStopped(at: a, rate: r) }
        noteUpdate()
    }

    // MARK: Diurnal on/off

    /// Switches a host off for the night: it leaves its segment for OFF, probing stops and
    /// nothing can infect, patch, clean or reboot it until it is switched on.
    mutating func switchOff(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        guard !host[h].offline else { return }
        let b = Int(host[h].address >> 16)
        switch host[h].state {
        case .susceptible:
            susceptibleChanged(h, -1)
            forward(h, 0, b); forward(h, 1, b); forward(h, 2, b); forward(h, 3, b)
            offSusceptible += 1
        case .latent:
            forward(h, 1, b); forward(h, 2, b); forward(h, 3, b)
            l -= 1; offLatent += 1
        case .infected:
            stopScanning(h, at: t, pause: true, rng: &rng)
            forward(h, 2, b); forward(h, 3, b)
            offInfected += 1
        case .patched, .cleaned:
            return  // inert either way
        }
        host[h].offline = true
    }

    /// Switches a host back on.
    mutating func switchOn(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        guard host[h].offline else { return }
        host[h].offline = false
        let b = Int(host[h].address >> 16)
        switch host[h].state {
        case .susceptible:
            backward(h, 4, b); backward(h, 3, b); backward(h, 2, b); backward(h, 1, b)
            offSusceptible -= 1
            susceptibleChanged(h, 1)
        case .latent:
            backward(h, 4, b); backward(h, 3, b); backward(h, 2, b)
            offLatent -= 1; l += 1
        case .infected, .patched, .cleaned:  // only infected ones: the others are never switched off
            backward(h, 4, b); backward(h, 3, b)
            offInfected -= 1
            startScanning(h, at: t, rng: &rng)
        }
    }

    mutating func patch(_ h: Int) {
        let b = Int(host[h].address >> 16)
        susceptibleChanged(h, -1)
        forward(h, 0, b); forward(h, 1, b); forward(h, 2, b)
        host[h].state = .patched
        patched += 1
    }

    // MARK: Choosing hosts

    /// A uniform susceptible host: by rejection from all hosts while they are mostly
    /// susceptible (one probe of memory), else by rank through the Fenwick tree.
    @inline(__always) func uniformSusceptible(rng: inout Xoshiro256StarStar) -> Int {
        if s * 4 >= n * 3 {
            while true {
                let h = Int(rng.nextInt(below: UInt64(n)))
                if host[h].state == .susceptible && !host[h].offline { return h }
            }
        }
        return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
    }

    /// A uniform susceptible host among the /16 blocks, given a rank in `0 ..< s`.
    @inline(__always) func susceptibleHost(rank k: Int64) -> Int {
        let (b, r) = susceptibleTree.find(k)
        return Int(order[Int(blockStart[b]) + Int(r)])
    }

    @inline(__always) func infectedHost(rank k: Int64) -> Int {
        let (b, r) = infectedTree.find(k)
        return Int(order[segmentStart(2, b) + Int(r)])
    }

    mutating func chooseVictim(_ u: Double, anyPressure: Double, rng: inout Xoshiro256StarStar) -> Int {
        var rest = u
        if rest < anyPressure || levels.count == 0 { return uniformSusceptible(rng: &rng) }
        rest -= anyPressure
        for index in 0..<levels.count {
            let total = levels[index].pressure.total
            if rest < total || index == levels.count - 1 {
                let x = levels[index].pressure.find(Swift.max(0, Swift.min(rest, total)))
                let inBlock = Int64(levels[index].susceptible[x])
                if inBlock <= 0 {
                    // Rounding drift chose an empty block: fall back to a uniform pick of the
                    // whole tree, which the rebuild below makes vanishingly rare.
                    levels[index].pressure.rebuild()
                    return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
                }
                let first16 = x << (16 - levels[index].length)
                let offset = susceptibleTree.prefix(first16)
                return susceptibleHost(rank: offset + Int64(rng.nextInt(below: UInt64(inBlock))))
            }
            rest -= total
        }
        return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
    }

    // MARK: The loop

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

    /// A sequence-walking cursor's probe reached a vulnerable host.
    mutating func sequenceHit(at t: Double, rng: inout Xoshiro256StarStar) {
        guard let (c, victim) = sequences?.take(rng: &rng), let k = sequences?.k, let size = sequences?.size,
              var next = sequences?.positionAfterHit(c) else { return }
        events += 1
        let source = c / k
        // A machine switched off answers nothing: no infection, no "already infected" jump.
        let victimState: HostState? = host[victim].offline ? nil : host[victim].state
        if victimState == .susceptible {
            let congestion = plan.congestion(infected: i + l + offInfected + offLatent)
            if congestion >= 1 || rng.nextUnit() < congestion {
                infect(victim, at: t, rng: &rng)
                pendingNew += 1
            }
        } else if (victimState == .latent || victimState == .infected) && plan.jumpsOnInfected && victim != source {
            next = rng.nextInt(below: size)
        }
        // The source may have been cleaned by the infection bookkeeping above: only live cursors go on.
        if host[source].state == .infected {
            let rate = classRate[Int(host[source].rateClass)] / Double(k)
            sequences?.leg(c, from: next, at: t, rate: rate, rng: &rng)
        }
    }

    func indexOf(_ address: UInt32) -> Int? {
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            if host[mid].address < address { lo = mid + 1 } else { hi = mid }
        }
        return lo < n && host[lo].address == address ? lo : nil
    }

    /// Switches the lifecycle phase; monitors see scanning stop and start.
    mutating func applyPhase(_ phase: LifecyclePhase, at t: Double, rng: inout Xoshiro256StarStar) {
        let scan = phase == .spread
        flooding = phase == .flood
        guard scan != scanning else { return }
        slash8?.flush(at: t, scanning: scanning)
        if !scan { for m in monitors.indices { monitors[m].settlePool(at: t, rng: &rng) } }
        for b in 0..<blockCount {
            let start = segmentStart(2, b)
            for p in start..<start + Int(count[b * 5 + 2]) {
                let h = Int(order[p])
                let a = host[h].address
                let r = classRate[Int(host[h].rateClass)]
                for m in monitors.indices {
                    if scan { monitors[m].activate(h, address: a, rate: r, at: t, rng: &rng) }
                    else { monitors[m].deactivate(h, address: a, at: t, poolSettled: true, rng: &rng) }
                }
                if scan { sequences?.resume(h, address: a, rate: r, at: t, rng: &rng) } else { sequences?.pause(h, at: t, rng: &rng) }
            }
        }
        scanning = scan
    }
}
