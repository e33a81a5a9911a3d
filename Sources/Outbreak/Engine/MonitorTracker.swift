import Foundation
import WormWatchCore

/// What one monitor sees, kept exactly without drawing probes.
///
/// A source active from `t_a` probes the monitor as a Poisson process of rate λ. On
/// activation it draws the time of its first probe `t_f = t_a + Exp(λ)` and waits in the
/// bucket of the interval holding `t_f`. When that interval closes with the host still
/// active, the host was seen in it (new, if never seen before) and joins the pool of
/// already-seen active hosts; each pool host is seen in a later full interval of length Δ
/// independently with probability `1 − e^(−λΔ)`, so the pool's count is one binomial draw
/// per class of equal λ. A host that stops mid-interval settles its own partial interval.
///
/// Probe counts are drawn jointly with the sources: a source seen in an interval sent its
/// first probe there at `T1` and then a Poisson number more over the rest of its time,
/// so the interval's probes are `seen + Poisson(λ·Σ remaining time)`. The remaining times
/// of pool hosts are truncated-exponential; their sum is drawn term by term for up to 256
/// sources of a class and by its normal limit (exact mean and variance) above that.
/// What a monitor knows of one host, in 8 bytes (a 10^8-host run keeps one per host and
/// monitor): whether the monitor has ever seen it (the top bit) and, while the host is active
/// for this monitor, the time of its first probe in this activation (the other 63 bits: a
/// non-negative `Double`'s bit pattern), or ``inactive``. The host's rate class is not kept:
/// it is found again from its rate and address, which give the same λ as at activation.
struct MonitorSlot {
    var bits: UInt64 = MonitorSlot.inactive
    static let seenBit: UInt64 = 1 << 63
    /// A NaN's pattern: never a time.
    static let inactive: UInt64 = 0x7FFF_FFFF_FFFF_FFFF

    /// Whether the monitor has ever seen the host.
    var seen: Bool {
        @inline(__always) get { bits & Self.seenBit != 0 }
        @inline(__always) set { bits = newValue ? bits | Self.seenBit : bits & ~Self.seenBit }
    }
    /// Whether the host is active for this monitor (scanning, and able to reach it).
    var isActive: Bool { @inline(__always) get { bits & ~Self.seenBit != Self.inactive } }
    /// The first probe of the current activation (only while active; times are never negative).
    var firstProbe: Double {
        @inline(__always) get { Double(bitPattern: bits & ~Self.seenBit) }
        @inline(__always) set { bits = (bits & Self.seenBit) | (newValue.bitPattern & ~Self.seenBit) }
    }
    /// Marks the host inactive, keeping `seen`.
    @inline(__always) mutating func deactivate() { bits = (bits & Self.seenBit) | Self.inactive }
}

struct MonitorTracker {
    let plan: ScenarioPlan
    let monitor: Monitor
    let keepFirstSeen: Bool
    /// This monitor's slot of host h is `slots[h * monitorCount + index]`. Borrowed: the
    /// ``ExactRun`` that holds this tracker owns the slots (its `monitorSlots`).
    let slots: UnsafeMutablePointer<MonitorSlot>
    let index: Int
    let monitorCount: Int
    /// Probability that one probe lands here, by the source's /16 block (uniform scanning: one value).
    var probabilityByBlock: [UInt32: Double] = [:]
    let uniformProbability: Double?
    var classLambda: [Double] = []
    var classByLambda: [UInt64: Int32] = [:]
    var pool: [Int] = []
    /// `pending[class][interval]` for never-seen (new) and seen-before (again) hosts; the last slot is "after the run".
    /// Flat: index `class * stride + interval`.
    var pendingNew: ContiguousArray<Int32> = []
    var pendingAgain: ContiguousArray<Int32> = []
    /// Sum of first-probe times of the hosts in each pending slot.
    var pendingSum: ContiguousArray<Double> = []
    let stride: Int
    var lastLambdaBits: UInt64 = 0
    var lastClass: Int32 = -1
    var probesNow = 0
    var currentStart = 0.0
    var currentInterval = 0
    var distinctNow = 0
    var newNow = 0
    var totalNew = 0
    var firstSeen: [Double] = []
    /// Whether this monitor records each probe (its counts are then derived from them).
    var explicit: Bool
    var probes: [MonitorProbe] = []
    /// Destination regions by the source's /16 block, for explicit probes: (weight, prefixes to draw in).
    var regionsByBlock: [UInt32: [(weight: Double, region: IPv4Prefix, anywhere: Bool)]] = [:]

    init(monitor: Monitor, index: Int, of monitorCount: Int, slots: UnsafeMutablePointer<MonitorSlot>, plan: ScenarioPlan, keepFirstSeen: Bool) {
        self.plan = plan
        self.monitor = monitor
        self.index = index
        self.monitorCount = monitorCount
        self.slots = slots
        self.keepFirstSeen = keepFirstSeen
        explicit = monitor.recordProbes
        stride = plan.intervals + 1
        uniformProbability = plan.scenario.worm.strategy.localComponents.isEmpty
            ? plan.monitorProbability(monitor, address: 0) : nil
    }

    @inline(__always) func slot(_ h: Int) -> UnsafeMutablePointer<MonitorSlot> { slots + (h * monitorCount + index) }

    @inline(__always) func bucket(_ time: Double) -> Int {
        let x = time / plan.scenario.interval
        // A first probe far beyond the run (a tiny rate) belongs in the last slot, "after the run".
        let k = x < Double(plan.intervals) ? Int(x) : plan.intervals
        return Swift.min(Swift.max(k, currentInterval), plan.intervals)
    }

    mutating func classIndex(_ lambda: Double) -> Int32 {
        if lambda.bitPattern == lastLambdaBits && lastClass >= 0 { return lastClass }
        lastLambdaBits = lambda.bitPattern
        if let c = classByLambda[lambda.bitPattern] { lastClass = c; return c }
        let c = Int32(classLambda.count)
        classByLambda[lambda.bitPattern] = c
        classLambda.append(lambda)
        pool.append(0)
        pendingNew.append(contentsOf: repeatElement(0, count: stride))
        pendingAgain.append(contentsOf: repeatElement(0, count: stride))
        pendingSum.append(contentsOf: repeatElement(0, count: stride))
        lastClass = c
        return c
    }

    mutating func probability(_ address: UInt32) -> Double {
        if let p = uniformProbability { return p }
        let key = address >> 16
        if let p = probabilityByBlock[key] { return p }
        let p = plan.monitorProbability(monitor, address: address)
        probabilityByBlock[key] = p
        return p
    }

    mutating func activate(_ h: Int, address: UInt32, rate r: Double, at t: Double, rng: inout Xoshiro256StarStar) {
        let lambda = r * probability(address)
        let host = slot(h)
        guard lambda > 0 else { host.pointee.deactivate(); return }
        let c = classIndex(lambda)
        let tf = t + rng.exponential(rate: lambda)
        host.pointee.firstProbe = tf
        if explicit { return }
        let k = bucket(tf)
        let slotIndex = Int(c) * stride + k
        if host.pointee.seen { pendingAgain[slotIndex] += 1 } else { pendingNew[slotIndex] += 1 }
        pendingSum[slotIndex] += tf
    }

    /// Settles, in aggregate, the partial interval of every pool host before they all stop at
    /// `t` (the lifecycle stops scanning); their `deactivate(_:at:poolSettled:)` then skips it.
    mutating func settlePool(at t: Double, rng: inout Xoshiro256StarStar) {
        let length = t - currentStart
        guard length > 0 else { return }
        for c in 0..<classLambda.count where pool[c] > 0 {
            let (seen, probes) = poolObservations(c, length: length, rng: &rng)
            distinctNow += seen
            probesNow += probes
        }
    }

    /// The class of a host active for this monitor: the one its λ got at activation.
    @inline(__always) mutating func activeClass(address: UInt32, rate r: Double) -> Int {
        Int(classIndex(r * probability(address)))
    }

    mutating func deactivate(_ h: Int, address: UInt32, rate r: Double, at t: Double, poolSettled: Bool = false, rng: inout Xoshiro256StarStar) {
        let host = slot(h)
        guard host.pointee.isActive else { return }
        let c = activeClass(address: address, rate: r)
        let tf = host.pointee.firstProbe
        host.pointee.deactivate()
        let lambda = classLambda[c]
        if explicit {
            emitProbes(h, address: address, lambda: lambda, from: tf, until: t, rng: &rng)
            return
        }
        if tf < currentStart {
            // In the pool: seen before this interval; settle the partial interval.
            pool[c] -= 1
            let length = t - currentStart
            if !poolSettled && rng.nextUnit() < -expm1(-lambda * length) {
                distinctNow += 1
                let first = truncatedExponential(lambda, length, &rng)
                probesNow += 1 + Int(rng.poisson(mean: lambda * (length - first)))
            }
            markSeen(h, tf)
        } else {
            let k = bucket(tf)
            let wasSeen = host.pointee.seen
            let slotIndex = c * stride + k
            if wasSeen { pendingAgain[slotIndex] -= 1 } else { pendingNew[slotIndex] -= 1 }
            pendingSum[slotIndex] -= tf
            if tf < t {
                distinctNow += 1
                probesNow += 1 + Int(rng.poisson(mean: lambda * (t - tf)))
                if !wasSeen { newNow += 1; totalNew += 1 }
                markSeen(h, tf)
            }
        }
    }

    @inline(__always) mutating func markSeen(_ h: Int, _ tf: Double) {
        let host = slot(h)
        if !host.pointee.seen {
            host.pointee.seen = true
            if keepFirstSeen { firstSeen.append(tf) }
        }
    }

    /// At the end of the run: settle the hosts still active.
    mutating func finish(_ h: Int, address: UInt32, rate r: Double, at end: Double, rng: inout Xoshiro256StarStar) {
        guard slot(h).pointee.isActive else { return }
        let tf = slot(h).pointee.firstProbe
        if explicit {
            let c = activeClass(address: address, rate: r)
            slot(h).pointee.deactivate()
            emitProbes(h, address: address, lambda: classLambda[c], from: tf, until: end, rng: &rng)
        } else if tf < end {
            markSeen(h, tf)
        }
    }

    // MARK: Explicit probes

    /// Every probe of one active period: a Poisson process of rate λ from the first probe at `from`.
    mutating func emitProbes(_ h: Int, address: UInt32, lambda: Double, from: Double, until end: Double, rng: inout Xoshiro256StarStar) {
        var time = from
        guard time < end else { return }
        markSeen(h, time)
        let regions = destinationRegions(address)
        let total = regions.reduce(0) { $0 + $1.weight }
        let exclude = plan.scenario.worm.strategy.exclude
        while time < end {
            var u = rng.nextUnit() * total
            var chosen = regions[regions.count - 1]
            for r in regions {
                if u < r.weight { chosen = r; break }
                u -= r.weight
            }
            // 'Anywhere' probes skip the excluded blocks (the region holds some others, or it
            // would have no weight); local probes are not excluded.
            var destination: UInt32
            repeat {
                destination = chosen.region.base &+ UInt32(truncatingIfNeeded: rng.nextInt(below: chosen.region.size))
            } while chosen.anywhere && exclude.contains { $0.contains(destination) }
            probes.append(MonitorProbe(time: time, source: address, destination: destination))
            time += rng.exponential(rate: lambda)
        }
    }

    /// Where a probe from `address` that reaches this monitor lands: the monitor's blocks
    /// weighted by the chance of each way of reaching them (anywhere, or each local level).
    mutating func destinationRegions(_ address: UInt32) -> [(weight: Double, region: IPv4Prefix, anywhere: Bool)] {
        let key = address >> 16
        if let cached = regionsByBlock[key] { return cached }
        var regions: [(weight: Double, region: IPv4Prefix, anywhere: Bool)] = []
        let strategy = plan.scenario.worm.strategy
        if plan.anyWeight > 0 {
            for p in monitor.prefixes {
                var inside = p.size
                for e in strategy.exclude { inside -= Swift.min(inside, e.overlap(with: p)) }
                if inside > 0 { regions.append((plan.anyWeight * Double(inside) / plan.anySpace, p, true)) }
            }
        }
        for c in strategy.localComponents where c.weight > 0 {
            let own = IPv4Prefix(base: address, length: c.length)
            for p in monitor.prefixes where p.overlap(with: own) > 0 {
                let region = p.length >= own.length ? p : own
                regions.append((c.weight * Double(region.size) / Double(own.size), region, false))
            }
        }
        regionsByBlock[key] = regions
        return regions
    }

    /// The per-interval counts of an explicit monitor, from its probes (sorted in place).
    mutating func explicitCounts() -> [MonitorCounts] {
        probes.sort { $0.time < $1.time }
        var counts = [MonitorCounts](repeating: MonitorCounts(), count: plan.intervals)
        var lastInterval: [UInt32: Int] = [:]
        for p in probes {
            let k = Swift.min(plan.intervals - 1, Int(p.time / plan.scenario.interval))
            counts[k].probes += 1
            if let last = lastInterval[p.source] {
                if last != k { counts[k].distinctSources += 1; lastInterval[p.source] = k }
            } else {
                counts[k].distinctSources += 1
                counts[k].newSources += 1
                lastInterval[p.source] = k
            }
        }
        return counts
    }

    mutating func close(interval k: Int, length: Double, rng: inout Xoshiro256StarStar) -> MonitorCounts {
        var distinct = distinctNow
        var new = newNow
        var probes = probesNow
        let end = currentStart + length
        for c in 0..<classLambda.count {
            let (seen, sent) = poolObservations(c, length: length, rng: &rng)
            distinct += seen
            probes += sent
        }
        for c in 0..<classLambda.count {
            let slotIndex = c * stride + k
            let fresh = Int(pendingNew[slotIndex]), again = Int(pendingAgain[slotIndex])
            let arrivals = fresh + again
            if arrivals > 0 {
                let rest = Swift.max(0, Double(arrivals) * end - pendingSum[slotIndex])
                probes += arrivals + Int(rng.poisson(mean: classLambda[c] * rest))
            }
            pool[c] += arrivals
            distinct += arrivals
            new += fresh
            totalNew += fresh
        }
        distinctNow = 0
        newNow = 0
        probesNow = 0
        currentInterval = k + 1
        currentStart = Double(k + 1) * plan.scenario.interval
        return MonitorCounts(probes: probes, distinctSources: distinct, newSources: new)
    }

    /// How many of class c's pool hosts were seen during a span of `length` at the start of
    /// the current interval, and how many probes they sent in it.
    mutating func poolObservations(_ c: Int, length: Double, rng: inout Xoshiro256StarStar) -> (seen: Int, probes: Int) {
        let lambda = classLambda[c]
        let seen = rng.binomial(trials: pool[c], probability: -expm1(-lambda * length))
        guard seen > 0 else { return (0, 0) }
        let rest = remainingTimeSum(seen, lambda, length, &rng)
        return (seen, seen + Int(rng.poisson(mean: lambda * rest)))
    }

    /// The time of the first event of a rate-λ Poisson process given that it falls in [0, L].
    @inline(__always) func truncatedExponential(_ lambda: Double, _ length: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        let p = -expm1(-lambda * length)
        return Swift.min(length, -log1p(-rng.nextUnit() * p) / lambda)
    }

    /// Σ (L − T1) over `count` hosts seen in a full interval of length L.
    func remainingTimeSum(_ count: Int, _ lambda: Double, _ length: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        if count <= 256 {
            var sum = 0.0
            for _ in 0..<count { sum += length - truncatedExponential(lambda, length, &rng) }
            return sum
        }
        let p = -expm1(-lambda * length)
        let tail = exp(-lambda * length)
        let mean = 1 / lambda - length * tail / p
        let variance = Swift.max(0, 1 / (lambda * lambda) - length * length * tail / (p * p))
        let n = Double(count)
        let draw = n * (length - mean) + (n * variance).squareRoot() * rng.standardNormal()
        return Swift.min(n * length, Swift.max(0, draw))
    }
}
