/// Machines switched off at night and back on in the morning.
extension ExactRun {
    /// Switches off, at the start, the hosts of the zones where it is night.
    mutating func switchOffSleepingZones(rng: inout Xoshiro256StarStar) {
        for (z, off) in plan.initiallyOff.enumerated() where off {
            for h in zoneHosts[z] { switchOff(Int(h), at: 0, rng: &rng) }
        }
    }

    /// Applies the diurnal switches due by `clock.now`: each switches a whole time zone's
    /// hosts off or on.
    @inline(__always) mutating func applyDiurnalSwitches(_ clock: inout RunClock, rng: inout Xoshiro256StarStar) {
        let t = clock.now
        while clock.nextSwitch < plan.switches.count && plan.switches[clock.nextSwitch].time <= t {
            let change = plan.switches[clock.nextSwitch]
            for h in zoneHosts[change.zone] {
                if change.on { switchOn(Int(h), at: t, rng: &rng) } else { switchOff(Int(h), at: t, rng: &rng) }
            }
            clock.nextSwitch += 1
            events += 1
        }
    }

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
}
