/// One run's mutable state. Buffers are ``RawBuffer``s it owns (freed when the run goes
/// away): no per-event allocation, no copy-on-write or exclusivity checks in the hot loop.
///
/// Hosts are numbered in address order. Each /16 block keeps its hosts in `order`, in
/// segments by state (see ``HostState``); Fenwick trees over the blocks count the
/// susceptible and the scanning hosts, and each local-scanning level weighs its blocks by
/// infection pressure.
struct ExactRun: ~Copyable {
    let plan: ScenarioPlan
    let options: EngineOptions
    /// The population, N.
    let n: Int
    /// /16 blocks in the address space.
    let blockCount: Int
    /// Everything about host h in 8 bytes (one cache line touched per host).
    let host: RawBuffer<HostRecord>
    /// The hosts by block, each block's hosts in segments S | L | I | R | OFF.
    let order: RawBuffer<Int32>
    /// Where each block's hosts start in `order`.
    let blockStart: RawBuffer<Int32>
    /// `count[b * 5 + seg]`: hosts of block b in segment seg (S, L, I, R, OFF), a block's five together.
    let count: RawBuffer<Int32>
    /// Susceptible hosts switched on, by block.
    let susceptibleTree: CountTree
    /// Infected hosts switched on (scanning unless the lifecycle stopped it), by block.
    let infectedTree: CountTree
    /// The local-scanning levels with a weight.
    let levels: RawBuffer<LevelState>
    /// Probes per second of each probe-rate class.
    let classRate: [Double]
    /// The infection delay, seconds.
    let delay: Double
    /// Latent hosts wait in a FIFO ring (the delay is fixed): when each turns infected, and
    /// which. It starts small and doubles when full, so it holds about the hosts infected
    /// within one delay (a ring of N slots would, over a run that infects everyone, touch all
    /// of them: 1.2 GB for 10^8 hosts).
    var latentTime: RawBuffer<Double>
    var latentHost: RawBuffer<Int32>
    var latentHead = 0, latentTail = 0, latentCount = 0
    /// Hosts switched on, by state: susceptible, latent and infected; and the hosts patched,
    /// cleaned, and ever infected.
    var s = 0, l = 0, i = 0, patched = 0, cleaned = 0, ever = 0
    /// Hosts switched off for the night, by the state they keep.
    var offSusceptible = 0, offLatent = 0, offInfected = 0
    /// Diurnal time zones: the hosts of each.
    var zoneHosts: [[Int32]] = []
    /// Summed probe rate of the infected hosts switched on.
    var activeRate = 0.0
    /// Pressure changes since the levels' trees were last rebuilt.
    var updatesSinceRebuild = 0
    var monitors: [MonitorTracker]
    /// Per host and monitor (host-major, so one host's monitor data share a cache line).
    /// The trackers in `monitors` borrow it.
    let monitorSlots: RawBuffer<MonitorSlot>
    /// Cursors of sequence-walking strategies (nil for memoryless scanning).
    var sequences: SequenceScanner?
    /// Traffic per /8, when asked for.
    var slash8: SlashEightTraffic?
    /// Whether the lifecycle lets the worm scan now, and whether it floods.
    var scanning = true
    var flooding = false
    var infectionTimes: [Double] = []
    /// When the ever infected first reached 10, 50 and 90 % of N.
    var thresholdTimes: [Double?] = [nil, nil, nil]
    /// Events that changed something, for the summary.
    var events = 0
    /// Infections made by sequence hits since the last interval closed.
    var pendingNew = 0
    /// The rows closed so far, with the peaks and totals for the summary.
    var series = OutbreakSeries()

    /// Hosts infected now, latent or not, switched on or off.
    var infectedCount: Int { i + l + offInfected + offLatent }

    /// Places the population, draws each host's probe-rate class and diurnal zone, and
    /// lays the hosts out by /16 block, all susceptible.
    init(plan: ScenarioPlan, rng: inout Xoshiro256StarStar, options: EngineOptions) {
        self.plan = plan
        self.options = options
        let scenario = plan.scenario
        var addresses = PopulationBuilder.place(scenario, rng: &rng)
        let hostCount = addresses.count
        let blocks = 1 << (scenario.space.bits - 16)
        n = hostCount
        blockCount = blocks
        // The buffers are filled in locals and moved in once complete: Swift 6.3 rejects
        // writing through a noncopyable stored property before `self` is initialised.
        let starts = RawBuffer<Int32>(repeating: 0, count: blocks + 1)
        let counts = RawBuffer<Int32>(repeating: 0, count: 5 * blocks)
        for h in 0..<hostCount { counts[Int(addresses[h] >> 16) * 5] += 1 }
        for b in 0..<blocks { starts[b + 1] = starts[b] + counts[b * 5] }
        // Hosts are in address order, so host h starts at position h of `order`.
        let hosts = RawBuffer(count: hostCount, placement: .hugePages) {
            HostRecord(address: addresses[$0], slotOffset: UInt16(truncatingIfNeeded: $0 - Int(starts[Int(addresses[$0] >> 16)])))
        }
        for h in 0..<hostCount { hosts[h].rateClass = plan.drawClass(&rng) }
        if let diurnal = scenario.hostEvents.diurnal {
            zoneHosts = Array(repeating: [], count: diurnal.zones.count)
            for h in 0..<hostCount where rng.nextUnit() < diurnal.share {
                zoneHosts[plan.drawZone(&rng)].append(Int32(h))
            }
        }
        host = hosts
        order = RawBuffer(count: hostCount, placement: .hugePages) { Int32($0) }
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
        latentTime = RawBuffer(unfilledCount: Swift.max(1, Swift.min(hostCount, 1 << 12)))
        latentHost = RawBuffer(unfilledCount: Swift.max(1, Swift.min(hostCount, 1 << 12)))
        s = hostCount
        sequences = plan.sequenceCount > 0 ? SequenceScanner(plan: plan, addresses: addresses) : nil
        // The hosts hold their addresses now: free the list before the monitors' slots are
        // allocated (0.4 GB of a 10^8-host run's peak).
        addresses = []
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
}
