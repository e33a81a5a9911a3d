/// Choosing hosts: uniform susceptible and infected hosts, and infection victims by
/// scanning pressure.
extension ExactRun {
    /// A uniform susceptible host: by rejection from all hosts while they are mostly
    /// susceptible (one probe of memory), else by rank through the Fenwick tree.
    @inline(__always) func uniformSusceptible(rng: inout Xoshiro256StarStar) -> Int {
        if s * 4 >= n * 3 {
            while true {
                let h = Int(rng.nextInt(below: UInt64(n)))
                if host[h].state == .susceptible && !host[h].offline { return h }
            }
        }
        return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
    }

    /// A uniform susceptible host among the /16 blocks, given a rank in `0 ..< s`.
    @inline(__always) func susceptibleHost(rank k: Int64) -> Int {
        let (b, r) = susceptibleTree.find(k)
        return Int(order[Int(blockStart[b]) + Int(r)])
    }

    /// A uniform infected host switched on among the /16 blocks, given a rank in `0 ..< i`.
    @inline(__always) func infectedHost(rank k: Int64) -> Int {
        let (b, r) = infectedTree.find(k)
        return Int(order[segmentStart(2, b) + Int(r)])
    }

    /// The victim of an infection, given `u` uniform in the total infection pressure before
    /// congestion: a uniform susceptible host for the 'anywhere' part, else a block of a
    /// local level by its pressure and a uniform susceptible host in it.
    mutating func chooseVictim(_ u: Double, anyPressure: Double, rng: inout Xoshiro256StarStar) -> Int {
        var rest = u
        if rest < anyPressure || levels.count == 0 { return uniformSusceptible(rng: &rng) }
        rest -= anyPressure
        for index in 0..<levels.count {
            let total = levels[index].pressure.total
            if rest < total || index == levels.count - 1 {
                let x = levels[index].pressure.find(Swift.max(0, Swift.min(rest, total)))
                let inBlock = Int64(levels[index].susceptible[x])
                if inBlock <= 0 {
                    // Rounding drift chose an empty block: fall back to a uniform pick of the
                    // whole tree, which the rebuild below makes vanishingly rare.
                    levels[index].pressure.rebuild()
                    return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
                }
                let first16 = x << (16 - levels[index].length)
                let offset = susceptibleTree.prefix(first16)
                return susceptibleHost(rank: offset + Int64(rng.nextInt(below: UInt64(inBlock))))
            }
            rest -= total
        }
        return susceptibleHost(rank: Int64(rng.nextInt(below: UInt64(s))))
    }

    /// The hosts infected at the start: those at the scenario's initial addresses, then
    /// distinct random hosts until there are as many as the addresses listed plus the
    /// initial infected asked for (or the whole population).
    func chooseSeeds(rng: inout Xoshiro256StarStar) -> [Int] {
        let worm = plan.scenario.worm
        var initial: [Int] = []
        for a in worm.initialAddresses {
            if let h = indexOf(a) { initial.append(h) }
        }
        var chosen = Set(initial)
        while chosen.count < Swift.min(n, worm.initialAddresses.count + worm.initialInfected) {
            let h = Int(rng.nextInt(below: UInt64(n)))
            if chosen.insert(h).inserted { initial.append(h) }
        }
        return initial
    }

    /// The host at `address`, if there is one (hosts are numbered in address order).
    func indexOf(_ address: UInt32) -> Int? {
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            if host[mid].address < address { lo = mid + 1 } else { hi = mid }
        }
        return lo < n && host[lo].address == address ? lo : nil
    }
}
