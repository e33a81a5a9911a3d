import WormWatchCore
/// Probe traffic into each /8 of IPv4, as interval means (the "Internet slowdown" by region).
///
/// Uniform ('anywhere') probes spread over the space in proportion to each /8's scannable
/// addresses, so their share follows from the total probe integral. Local probes land in the
/// source's own prefix: each /8 keeps the summed local rate of the active hosts aimed at it,
/// integrated lazily (only when that sum changes, and at interval ends).
struct SlashEightTraffic {
    var localRate = [Double](repeating: 0, count: 256)
    var integral = [Double](repeating: 0, count: 256)
    var last = [Double](repeating: 0, count: 256)
    /// Per /8: the share of 'anywhere' probes it receives.
    let uniformShare: [Double]
    let components: [ScanStrategy.LocalComponent]

    init(plan: ScenarioPlan) {
        let scenario = plan.scenario
        let space = scenario.space.prefix
        let exclude = scenario.worm.strategy.exclude
        uniformShare = (0..<256).map { a in
            guard plan.anyWeight > 0 else { return 0 }
            let block = IPv4Prefix(base: UInt32(a) << 24, length: 8)
            let region = block.length >= space.length ? block : space
            guard block.overlap(with: space) > 0 else { return 0 }
            var inside = region.size
            for e in exclude { inside -= Swift.min(inside, e.overlap(with: region)) }
            return plan.anyWeight * Double(inside) / plan.anySpace
        }
        components = scenario.worm.strategy.localComponents.filter { $0.weight > 0 }
    }

    @inline(__always) mutating func add(_ a: Int, _ delta: Double, at t: Double, scanning: Bool) {
        if scanning { integral[a] += localRate[a] * (t - last[a]) }
        last[a] = t
        localRate[a] += delta
    }

    /// A host with probe rate `r` at `address` starts (+1) or stops (−1) scanning.
    mutating func change(address: UInt32, rate r: Double, sign: Double, at t: Double, scanning: Bool) {
        for c in components {
            if c.length >= 8 {
                add(Int(address >> 24), sign * c.weight * r, at: t, scanning: scanning)
            } else {
                let span = 1 << (8 - c.length)
                let first = Int(address >> 24) & ~(span - 1)
                for x in first..<first + span { add(x, sign * c.weight * r / Double(span), at: t, scanning: scanning) }
            }
        }
    }

    /// Integrates every /8 up to `t` (before the scanning state changes, and at interval ends).
    mutating func flush(at t: Double, scanning: Bool) {
        guard !components.isEmpty else { return }
        for a in 0..<256 { add(a, 0, at: t, scanning: scanning) }
    }

    /// The interval's mean probes per second into each /8, given the interval's integral of
    /// the total probe rate.
    mutating func close(at t: Double, length: Double, probeIntegral: Double, scanning: Bool) -> [Double] {
        flush(at: t, scanning: scanning)
        var rates = [Double](repeating: 0, count: 256)
        for a in 0..<256 {
            rates[a] = (uniformShare[a] * probeIntegral + integral[a]) / length
            integral[a] = 0
        }
        return rates
    }
}
