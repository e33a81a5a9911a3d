/// Host state changes and the bookkeeping they carry: totals, Fenwick trees, local
/// levels, monitors, sequence walkers and /8 traffic.
extension ExactRun {
    /// Host h joined (`delta` 1) or left (−1) the susceptible hosts that are switched on:
    /// the totals, the /16 tree and every local level follow.
    @inline(__always) mutating func susceptibleChanged(_ h: Int, _ delta: Int32) {
        let a = host[h].address
        susceptibleTree.add(Int(a >> 16), Int64(delta))
        for x in 0..<levels.count { levels[x].susceptibleChanged(at: a, by: delta) }
        s += Int(delta)
        noteUpdate()
    }

    /// Counts a change of infection pressure; every 2^20 of them the levels' weight trees are
    /// rebuilt from their exact leaves, shedding rounding drift.
    @inline(__always) mutating func noteUpdate() {
        updatesSinceRebuild += 1
        if updatesSinceRebuild >= 1 << 20 {
            updatesSinceRebuild = 0
            for x in 0..<levels.count { levels[x].pressure.rebuild() }
        }
    }

    /// Infects susceptible host h at time t: it turns latent and, after the infection delay
    /// (at once if `immediate` or there is none), infected. Counts toward the ever-infected
    /// thresholds.
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
            if latentCount == latentTime.count { growLatent() }
            latentTime[latentTail] = t + delay
            latentHost[latentTail] = Int32(h)
            latentTail += 1
            if latentTail == latentTime.count { latentTail = 0 }
            latentCount += 1
        } else {
            activate(h, at: t, rng: &rng)
        }
    }

    /// When the next latent host's delay is over (infinity when none waits).
    var nextActivation: Double {
        @inline(__always) get { latentCount > 0 ? latentTime[latentHead] : .infinity }
    }

    /// Doubles the latent ring, its hosts moved to the front in their order.
    @inline(never)
    mutating func growLatent() {
        let capacity = latentTime.count
        let times = RawBuffer<Double>(unfilledCount: 2 * capacity, placement: .hugePages)
        let hosts = RawBuffer<Int32>(unfilledCount: 2 * capacity, placement: .hugePages)
        var j = latentHead
        for k in 0..<latentCount {
            times[k] = latentTime[j]
            hosts[k] = latentHost[j]
            j += 1
            if j == capacity { j = 0 }
        }
        latentTime = times
        latentHost = hosts
        latentHead = 0
        latentTail = latentCount
    }

    /// Latent hosts whose infection delay is over by `t` turn infected, each at its own due
    /// time, in the order they were infected.
    @inline(__always) mutating func activateLatentHosts(upTo t: Double, rng: inout Xoshiro256StarStar) {
        while latentCount > 0 && latentTime[latentHead] <= t {
            let h = Int(latentHost[latentHead])
            let due = latentTime[latentHead]
            latentHead += 1
            if latentHead == latentTime.count { latentHead = 0 }
            latentCount -= 1
            activate(h, at: due, rng: &rng)
            events += 1
        }
    }

    /// Latent host h turns infected at time t and, unless switched off, starts scanning.
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
        let r = classRate[Int(host[h].rateClass)]
        if scanning { for m in monitors.indices { monitors[m].deactivate(h, address: a, rate: r, at: t, rng: &rng) } }
        if pause { sequences?.pause(h, at: t, rng: &rng) } else { sequences?.stop(h, at: t, rng: &rng) }
        i -= 1
        infectedTree.add(b, -1)
        slash8?.change(address: a, rate: r, sign: -1, at: t, scanning: scanning)
        activeRate = i == 0 ? 0 : activeRate - r
        for x in 0..<levels.count { levels[x].scannerStopped(at: a, rate: r) }
        noteUpdate()
    }

    /// Patches susceptible host h: it is removed for good.
    mutating func patch(_ h: Int) {
        let b = Int(host[h].address >> 16)
        susceptibleChanged(h, -1)
        forward(h, 0, b); forward(h, 1, b); forward(h, 2, b)
        host[h].state = .patched
        patched += 1
    }
}
