import Foundation
import WormWatchCore

/// Facts about a scenario that both engines derive the same way.
struct ScenarioPlan {
    let scenario: Scenario
    let classes: [ProbeRate.WeightedRate]
    let classCumulative: [Double]
    let anyWeight: Double
    /// Addresses the 'anywhere' component draws from.
    let anySpace: Double
    let intervals: Int
    /// (time offset, phase) for each lifecycle change inside the run, in order.
    let phaseChanges: [(time: Double, phase: LifecyclePhase)]
    let initialPhase: LifecyclePhase
    /// Hosts whose infection crosses 10 / 50 / 90 % of N.
    let thresholds: [Int]
    /// Diurnal switches inside the run, in time order, and the zones asleep at the start.
    let switches: [(time: Double, zone: Int, on: Bool)]
    let initiallyOff: [Bool]
    let zoneCumulative: [Double]

    init(_ scenario: Scenario) {
        self.scenario = scenario
        classes = scenario.worm.probeRate.classes
        var acc = 0.0
        classCumulative = classes.map { acc += $0.weight; return acc }
        anyWeight = scenario.worm.strategy.isSequential ? 0 : scenario.worm.strategy.anywhereWeight
        let excluded = scenario.worm.strategy.exclude.reduce(UInt64(0)) { $0 + $1.size }
        anySpace = Double(scenario.space.size - excluded)
        intervals = Swift.max(1, Int((scenario.duration / scenario.interval).rounded(.up)))
        var changes: [(Double, LifecyclePhase)] = []
        var phase = LifecyclePhase.spread
        if let life = scenario.worm.lifecycle {
            phase = life.phase(dayOfMonth: UTCCalendar.date(scenario.startTime).day)
            let firstMidnight = (scenario.startTime / 86400 + 1) * 86400
            var current = phase
            var midnight = firstMidnight
            while Double(midnight - scenario.startTime) < scenario.duration {
                let next = life.phase(dayOfMonth: UTCCalendar.date(midnight).day)
                if next != current { changes.append((Double(midnight - scenario.startTime), next)); current = next }
                midnight += 86400
            }
        }
        initialPhase = phase
        phaseChanges = changes
        let n = Double(scenario.population.size)
        thresholds = [0.1, 0.5, 0.9].map { Swift.max(1, Int((n * $0).rounded(.up))) }
        var switches: [(time: Double, zone: Int, on: Bool)] = []
        var off: [Bool] = []
        var zoneAcc = 0.0
        var cumulative: [Double] = []
        if let diurnal = scenario.hostEvents.diurnal {
            let start = Double(scenario.startTime)
            for (z, zone) in diurnal.zones.enumerated() {
                zoneAcc += zone.weight
                cumulative.append(zoneAcc)
                off.append(diurnal.isOff(zone: zone, at: start))
                // Local switch hours → UTC seconds since the start, for every day of the run.
                for (hour, on) in [(diurnal.offFromHour, false), (diurnal.offUntilHour, true)] {
                    var first = ((hour - zone.utcOffsetHours) * 3600 - start).truncatingRemainder(dividingBy: 86400)
                    if first < 0 { first += 86400 }
                    var time = first
                    while time < scenario.duration {
                        if time > 0 { switches.append((time, z, on)) }
                        time += 86400
                    }
                }
            }
        }
        self.switches = switches.sorted { $0.time < $1.time || ($0.time == $1.time && $0.zone < $1.zone) }
        initiallyOff = off
        zoneCumulative = cumulative
    }

    func drawZone(_ rng: inout Xoshiro256StarStar) -> Int {
        let u = rng.nextUnit() * (zoneCumulative.last ?? 1)
        return zoneCumulative.firstIndex { u < $0 } ?? Swift.max(0, zoneCumulative.count - 1)
    }

    /// For sequence-walking strategies: the sequences' permutations (identity: `nil`) and
    /// how a new instance starts.
    var sequenceCount: Int {
        if case .staticSeed(let k, _) = scenario.worm.strategy { return k }
        return scenario.worm.strategy.isSequential ? 1 : 0
    }

    func permutation(_ sequence: Int) -> AddressPermutation? {
        switch scenario.worm.strategy {
        case .permutation(let key): return AddressPermutation(bits: scenario.space.bits, key: key)
        case .staticSeed(_, let key): return AddressPermutation(bits: scenario.space.bits, key: key &+ UInt64(sequence) &* 0x9E37_79B9)
        default: return nil
        }
    }

    /// The sequence position a newly infected host at `address` starts from.
    func startPosition(address: UInt32, permutation: AddressPermutation?, rng: inout Xoshiro256StarStar) -> UInt64 {
        let size = scenario.space.size
        switch scenario.worm.strategy {
        case .permutation: return ((permutation?.inverse(UInt64(address)) ?? UInt64(address)) + 1) % size
        case .staticSeed: return 0
        case .sequential(let start): return start == .own ? (UInt64(address) + 1) % size : rng.nextInt(below: size)
        default: return 0
        }
    }

    /// Whether hitting an already infected host sends the scanner to a random position.
    var jumpsOnInfected: Bool {
        if case .permutation = scenario.worm.strategy { return true }
        return false
    }

    func drawClass(_ rng: inout Xoshiro256StarStar) -> UInt8 {
        if classes.count == 1 { return 0 }
        let u = rng.nextUnit() * (classCumulative.last ?? 1)
        var lo = 0, hi = classCumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if classCumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(lo)
    }

    func intervalEnd(_ k: Int) -> Double { Swift.min(Double(k + 1) * scenario.interval, scenario.duration) }

    func congestion(infected: Int) -> Double {
        let eta = scenario.network.congestionExponent
        guard eta > 0 else { return 1 }
        let f = 1 - Double(infected) / Double(scenario.population.size)
        return f <= 0 ? 0 : Foundation.pow(f, eta)
    }

    /// The next patch-schedule change strictly after `t`.
    func nextPatchChange(after t: Double) -> Double {
        for step in scenario.hostEvents.patchSchedule where step.start > t { return step.start }
        return .infinity
    }

    /// The probability that one probe from a host at `address` lands in `monitor`.
    func monitorProbability(_ monitor: Monitor, address: UInt32) -> Double {
        let strategy = scenario.worm.strategy
        var p = 0.0
        if anyWeight > 0 {
            var inside: UInt64 = 0
            for prefix in monitor.prefixes {
                var o = prefix.size
                for e in strategy.exclude { o -= Swift.min(o, e.overlap(with: prefix)) }
                inside += o
            }
            p += anyWeight * Double(inside) / anySpace
        }
        for c in strategy.localComponents where c.weight > 0 {
            let own = IPv4Prefix(base: address, length: c.length)
            let inside = monitor.prefixes.reduce(UInt64(0)) { $0 + $1.overlap(with: own) }
            p += c.weight * Double(inside) / Double(own.size)
        }
        return p
    }
}
