/// Sequence-walking strategies (permutation, static-seed and sequential scanning).
extension ExactRun {
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
}
