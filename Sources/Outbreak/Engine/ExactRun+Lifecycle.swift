/// The worm's day-of-month lifecycle: spreading, flooding, dormant.
extension ExactRun {
    /// Applies the lifecycle changes due by `clock.now`.
    @inline(__always) mutating func applyPhaseChanges(_ clock: inout RunClock, rng: inout Xoshiro256StarStar) {
        while clock.nextPhaseChange < plan.phaseChanges.count && plan.phaseChanges[clock.nextPhaseChange].time <= clock.now {
            applyPhase(plan.phaseChanges[clock.nextPhaseChange].phase, at: clock.now, rng: &rng)
            clock.nextPhaseChange += 1
        }
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
                    else { monitors[m].deactivate(h, address: a, rate: r, at: t, poolSettled: true, rng: &rng) }
                }
                if scan { sequences?.resume(h, address: a, rate: r, at: t, rng: &rng) } else { sequences?.pause(h, at: t, rng: &rng) }
            }
        }
        scanning = scan
    }
}
