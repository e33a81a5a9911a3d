/// Sequence-walking strategies (permutation, static-seed and sequential scanning).
extension ExactRun {
    /// When the next sequence walker reaches a vulnerable host (infinity when none walks).
    @inline(__always) mutating func nextSequenceHit() -> Double {
        sequences?.nextDue() ?? .infinity
    }

    /// Takes, in time order, the sequence hits due by `t`.
    @inline(__always) mutating func takeSequenceHits(upTo t: Double, rng: inout Xoshiro256StarStar) {
        if sequences != nil {
            while let due = sequences?.nextDue(), due <= t { sequenceHit(at: due, rng: &rng) }
        }
    }

    /// At the end of the run, settles the walkers still under way; their monitors' probes,
    /// recorded leg by leg, become the monitors' own (explicit) probes.
    mutating func settleSequenceWalkers(at end: Double, rng: inout Xoshiro256StarStar) {
        guard let hits = sequences?.finish(at: end, rng: &rng) else { return }
        for m in monitors.indices {
            monitors[m].probes = hits[m]
            monitors[m].explicit = true
        }
    }

    /// A sequence-walking cursor's probe reached a vulnerable host: the host is infected if
    /// susceptible (and the probe gets through the congestion), and the cursor walks on,
    /// from a random position if the worm jumps on meeting an infected host.
    mutating func sequenceHit(at t: Double, rng: inout Xoshiro256StarStar) {
        guard let hit = sequences?.take(rng: &rng) else { return }
        events += 1
        let source = hit.source, victim = hit.victim
        var next = hit.nextPosition
        // A machine switched off answers nothing: no infection, no "already infected" jump.
        let victimState: HostState? = host[victim].offline ? nil : host[victim].state
        if victimState == .susceptible {
            let congestion = plan.congestion(infected: infectedCount)
            if congestion >= 1 || rng.nextUnit() < congestion {
                infect(victim, at: t, rng: &rng)
                pendingNew += 1
            }
        } else if (victimState == .latent || victimState == .infected) && plan.jumpsOnInfected && victim != source {
            next = rng.nextInt(below: plan.scenario.space.size)
        }
        // The source may have been cleaned by the infection bookkeeping above: only live cursors go on.
        if host[source].state == .infected {
            let rate = classRate[Int(host[source].rateClass)] / Double(plan.sequenceCount)
            sequences?.leg(hit.cursor, from: next, at: t, rate: rate, rng: &rng)
        }
    }
}
