import WormWatchCore

/// The event loop.
extension ExactRun {
    /// Runs the outbreak to the scenario's end and returns its record (seed and run index
    /// are the caller's to fill in).
    ///
    /// Breakpoints are the changes known in advance: an interval's end, a latent host's
    /// activation, a sequence walker's hit, a diurnal switch, a lifecycle change and a
    /// patch-schedule change. Between two of them the state changes only by random events
    /// (infections, patches, cleanings, reboots) whose rates stay put until the next event,
    /// so the wait for it is exponential in their total. A wait that reaches past the next
    /// breakpoint is dropped (the exponential has no memory): the run advances to the
    /// breakpoint instead and draws again at the new rates.
    ///
    /// When `cancellation` is set, the run stops at the next interval's end; the record then
    /// holds the intervals so far and `stopped` is true.
    mutating func simulate(rng: inout Xoshiro256StarStar, progress: ((Double) -> Void)? = nil,
                           cancellation: CancellationFlag? = nil) -> (record: OutbreakRecord, stopped: Bool) {
        let coefficients = EventRates.Coefficients(plan: plan, population: n)
        var clock = RunClock(plan: plan)
        var interval = IntervalAccumulator()
        var reporter = ProgressReporter(progress: progress, duration: plan.scenario.duration)
        series.rows.reserveCapacity(plan.intervals)
        var stopped = false

        applyPhase(plan.initialPhase, at: 0, rng: &rng)
        infectSeeds(rng: &rng)
        switchOffSleepingZones(rng: &rng)
        while true {
            let breakpoint = nextBreakpoint(clock)
            let rates = eventRates(coefficients, patchRate: clock.patchRate)
            let wait = rng.exponential(rate: rates.total)
            if clock.now + wait >= breakpoint {
                interval.integrate(rates, over: breakpoint - clock.now)
                clock.now = breakpoint
                advanceToBreakpoint(&clock, rng: &rng)
                if clock.now >= clock.intervalEnd {
                    closeInterval(clock, interval, rng: &rng)
                    interval = IntervalAccumulator()
                    guard clock.startNextInterval(plan) else { break }
                    reporter.report(at: clock.now)
                    if cancellation?.isCancelled == true {
                        stopped = true
                        break
                    }
                }
                continue
            }
            clock.now += wait
            interval.integrate(rates, over: wait)
            handleRandomEvent(rates, at: clock.now, counting: &interval, rng: &rng)
        }
        return (finish(rng: &rng), stopped)
    }

    /// Infects the seeds at time 0 (see ``chooseSeeds(rng:)``); they start scanning at once,
    /// without the infection delay.
    mutating func infectSeeds(rng: inout Xoshiro256StarStar) {
        for h in chooseSeeds(rng: &rng) { infect(h, at: 0, immediate: true, rng: &rng) }
    }

    /// The time of the next breakpoint: the open interval's end, the next lifecycle change,
    /// patch-schedule change, latent host's activation, sequence hit or diurnal switch.
    @inline(__always) mutating func nextBreakpoint(_ clock: RunClock) -> Double {
        let nextPhase = clock.nextPhaseChange < plan.phaseChanges.count ? plan.phaseChanges[clock.nextPhaseChange].time : .infinity
        let nextLatent = nextActivation
        let nextHit = nextSequenceHit()
        let nextSwitch = clock.nextSwitch < plan.switches.count ? plan.switches[clock.nextSwitch].time : .infinity
        return Swift.min(clock.intervalEnd, nextPhase, clock.nextPatchChange, nextLatent, nextHit, nextSwitch)
    }

    /// The rates at the current state, with the patch schedule at `patchRate`.
    @inline(__always) func eventRates(_ c: EventRates.Coefficients, patchRate: Double) -> EventRates {
        let congestion = plan.congestion(infected: infectedCount)
        let anyPressure = scanning ? c.anywhere * activeRate * Double(s) : 0
        var levelPressure = 0.0
        if scanning { for x in 0..<levels.count { levelPressure += levels[x].pressure.total } }
        let infection = congestion * (anyPressure + levelPressure)
        let patch = (patchRate + c.awareness * Double(i + l + offInfected + offLatent + cleaned)) * Double(s)
        let clean = c.clean * Double(i)
        let reboot = c.reboot * Double(i)
        return EventRates(
            congestion: congestion, anyPressure: anyPressure, infection: infection, patch: patch, clean: clean,
            reboot: reboot, total: infection + patch + clean + reboot,
            probe: scanning ? activeRate : 0, flood: flooding ? Double(i) * c.floodBits : 0)
    }

    /// Applies everything due by `clock.now`, in this order: latent hosts whose delay is
    /// over start scanning, sequence walkers reach the vulnerable hosts due, diurnal zones
    /// switch off or on, the lifecycle changes phase and the patch schedule moves on.
    @inline(__always) mutating func advanceToBreakpoint(_ clock: inout RunClock, rng: inout Xoshiro256StarStar) {
        let t = clock.now
        activateLatentHosts(upTo: t, rng: &rng)
        takeSequenceHits(upTo: t, rng: &rng)
        applyDiurnalSwitches(&clock, rng: &rng)
        applyPhaseChanges(&clock, rng: &rng)
        if clock.nextPatchChange <= t {
            clock.patchRate = plan.scenario.hostEvents.patchRate(at: t)
            clock.nextPatchChange = plan.nextPatchChange(after: t)
        }
    }

    /// One random event at time `t`, drawn in proportion to `rates`: an infection (of a
    /// victim chosen by scanning pressure; counted into `interval`), a patch (of a uniform
    /// susceptible host) or the end of an infection (of a uniform infected host, cleaned or
    /// rebooted).
    @inline(__always) mutating func handleRandomEvent(_ rates: EventRates, at t: Double, counting interval: inout IntervalAccumulator,
                                                      rng: inout Xoshiro256StarStar) {
        events += 1
        var u = rng.nextUnit() * rates.total
        if u < rates.infection {
            let victim = chooseVictim(u / rates.congestion, anyPressure: rates.anyPressure, rng: &rng)
            infect(victim, at: t, rng: &rng)
            interval.newInfections += 1
            return
        }
        u -= rates.infection
        if u < rates.patch, s > 0 {
            patch(uniformSusceptible(rng: &rng))
            return
        }
        u -= rates.patch
        if i > 0 {
            let h = infectedHost(rank: Int64(rng.nextInt(below: UInt64(i))))
            deactivate(h, at: t, reboot: u >= rates.clean, rng: &rng)
        }
    }
}
