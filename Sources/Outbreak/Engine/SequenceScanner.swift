/// Hosts that walk a sequence of addresses (permutation, static-seed and sequential
/// scanning), simulated by jumping from one vulnerable address to the next.
///
/// A cursor at sequence position `p` probing at rate r reaches the next vulnerable position
/// `v` after `v − p + 1` probes, i.e. after a Gamma(v − p + 1, r) time: one event per
/// vulnerable address reached instead of one per probe. When the worm stops scanning
/// mid-leg, the probes already sent are Binomial(d − 1, elapsed/leg) given the leg's end
/// (the earlier arrivals of a Poisson process are uniform), which keeps the pause exact.
///
/// It owns its per-cursor and per-host arrays.
struct SequenceScanner: ~Copyable {
    struct Entry { var due: Double; var cursor: Int32; var generation: UInt32 }

    /// A cursor's probe that reached a vulnerable host.
    struct Hit {
        /// The cursor (host `source`'s cursor on sequence `cursor % k`).
        let cursor: Int
        /// The host whose cursor it is.
        let source: Int
        /// The vulnerable host reached.
        let victim: Int
        /// The sequence position after the one probed, where the cursor walks on from.
        let nextPosition: UInt64
    }

    let k: Int
    let size: UInt64
    let plan: ScenarioPlan
    let permutations: [AddressPermutation?]
    /// Per sequence: positions of the vulnerable hosts, sorted, and the host at each.
    let positions: [ContiguousArray<UInt64>]
    let hostAt: [ContiguousArray<Int32>]
    /// Per cursor (host h's cursor on sequence s is `h * k + s`): where its leg started,
    /// the index in `positions` of the vulnerable position it walks to, the probes left to
    /// it, when the leg started and when it ends, and the leg's generation (bumped to
    /// cancel the leg's heap entry).
    let position: RawBuffer<UInt64>
    let target: RawBuffer<Int32>
    let remaining: RawBuffer<UInt64>
    let since: RawBuffer<Double>
    let due: RawBuffer<Double>
    let generation: RawBuffer<UInt32>
    /// Per host: 0 no cursors, 1 running, 2 paused.
    let legState: RawBuffer<UInt8>
    var heap: ContiguousArray<Entry> = []
    /// Per monitor and sequence: the sorted sequence positions of the monitor's addresses.
    let monitorPositions: [[ContiguousArray<UInt64>]]
    /// Per monitor: the probes that reached it, in no particular order.
    var hits: [[MonitorProbe]]
    let addresses: [UInt32]

    init(plan: ScenarioPlan, addresses: [UInt32]) {
        let n = addresses.count
        self.plan = plan
        k = plan.sequenceCount
        size = plan.scenario.space.size
        permutations = (0..<k).map { plan.permutation($0) }
        var pos: [ContiguousArray<UInt64>] = []
        var at: [ContiguousArray<Int32>] = []
        for s in 0..<k {
            var pairs = ContiguousArray<(UInt64, Int32)>()
            pairs.reserveCapacity(n)
            for h in 0..<n {
                let a = UInt64(addresses[h])
                pairs.append((permutations[s]?.inverse(a) ?? a, Int32(h)))
            }
            if permutations[s] != nil { pairs.sort { $0.0 < $1.0 } }
            pos.append(ContiguousArray(pairs.map(\.0)))
            at.append(ContiguousArray(pairs.map(\.1)))
        }
        positions = pos
        hostAt = at
        self.addresses = addresses
        let perms = permutations
        monitorPositions = plan.scenario.monitors.map { monitor in
            (0..<perms.count).map { s in
                var list = ContiguousArray<UInt64>()
                for prefix in monitor.prefixes {
                    for a in UInt64(prefix.base)...UInt64(prefix.last) { list.append(perms[s]?.inverse(a) ?? a) }
                }
                list.sort()
                return list
            }
        }
        hits = Array(repeating: [], count: plan.scenario.monitors.count)
        let cursors = n * k
        position = RawBuffer(repeating: 0, count: cursors)
        target = RawBuffer(repeating: 0, count: cursors)
        remaining = RawBuffer(repeating: 0, count: cursors)
        since = RawBuffer(repeating: 0, count: cursors)
        due = RawBuffer(repeating: 0, count: cursors)
        generation = RawBuffer(repeating: 0, count: cursors)
        legState = RawBuffer(repeating: 0, count: n)
    }

    // MARK: Legs

    /// Starts a leg for cursor `c` from sequence position `from` at time `t`.
    mutating func leg(_ c: Int, from: UInt64, at t: Double, rate: Double, rng: inout Xoshiro256StarStar) {
        let s = c % k
        let list = positions[s]
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if list[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        if lo == list.count { lo = 0 }
        let p = list[lo]
        let distance = (p >= from ? p - from : p + size - from) + 1
        position[c] = from
        target[c] = Int32(lo)
        remaining[c] = distance
        schedule(c, at: t, rate: rate, rng: &rng)
    }

    mutating func schedule(_ c: Int, at t: Double, rate: Double, rng: inout Xoshiro256StarStar) {
        since[c] = t
        due[c] = t + rng.gamma(shape: Double(remaining[c]), rate: rate)
        push(Entry(due: due[c], cursor: Int32(c), generation: generation[c]))
    }

    mutating func start(_ h: Int, address: UInt32, rate: Double, at t: Double, rng: inout Xoshiro256StarStar) {
        legState[h] = 1
        for s in 0..<k {
            let from = plan.startPosition(address: address, permutation: permutations[s], rng: &rng)
            leg(h * k + s, from: from, at: t, rate: rate / Double(k), rng: &rng)
        }
    }

    mutating func stop(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        if legState[h] == 1 && !monitorPositions.isEmpty {
            for s in 0..<k {
                let c = h * k + s
                let span = due[c] - since[c]
                let fraction = span > 0 ? Swift.min(1, (t - since[c]) / span) : 0
                let sent = UInt64(rng.binomial(trials: Int(remaining[c] - 1), probability: fraction))
                recordProbes(c, count: sent, from: since[c], to: t, last: false, rng: &rng)
            }
        }
        legState[h] = 0
        for s in 0..<k { generation[h * k + s] &+= 1 }
    }

    mutating func pause(_ h: Int, at t: Double, rng: inout Xoshiro256StarStar) {
        guard legState[h] == 1 else { return }
        legState[h] = 2
        for s in 0..<k {
            let c = h * k + s
            generation[c] &+= 1
            let span = due[c] - since[c]
            let fraction = span > 0 ? Swift.min(1, (t - since[c]) / span) : 0
            let sent = UInt64(rng.binomial(trials: Int(remaining[c] - 1), probability: fraction))
            if !monitorPositions.isEmpty { recordProbes(c, count: sent, from: since[c], to: t, last: false, rng: &rng) }
            position[c] = (position[c] + sent) % size
            remaining[c] -= sent
        }
    }

    mutating func resume(_ h: Int, address: UInt32, rate: Double, at t: Double, rng: inout Xoshiro256StarStar) {
        if legState[h] == 0 { start(h, address: address, rate: rate, at: t, rng: &rng); return }
        guard legState[h] == 2 else { return }
        legState[h] = 1
        for s in 0..<k { schedule(h * k + s, at: t, rate: rate / Double(k), rng: &rng) }
    }

    /// The time of the next live event, dropping cancelled ones.
    mutating func nextDue() -> Double {
        while let top = heap.first {
            if generation[Int(top.cursor)] == top.generation { return top.due }
            pop()
        }
        return .infinity
    }

    /// Takes the next live event: the cursor, the vulnerable host its probe reached and
    /// the position after it, where the cursor walks on from. (All in this one mutating
    /// call: reading the scanner through the optional that holds it, or calling a borrowing
    /// method of it from here, made Swift 6.3 copy the whole noncopyable scanner.)
    mutating func take(rng: inout Xoshiro256StarStar) -> Hit {
        let c = Int(heap[0].cursor)
        pop()
        if !monitorPositions.isEmpty { recordProbes(c, count: remaining[c] - 1, from: since[c], to: due[c], last: true, rng: &rng) }
        let s = c % k
        let reached = Int(target[c])
        return Hit(cursor: c, source: c / k, victim: Int(hostAt[s][reached]), nextPosition: (positions[s][reached] + 1) % size)
    }

    // MARK: Monitors

    /// The probes of a leg that reached monitors: `count` probes from the leg's start
    /// position, whose times are the order statistics of `count` uniforms on [from, to]
    /// (the arrival times of a Poisson process given their number), and with `last` the
    /// leg's final probe at `to`.
    mutating func recordProbes(_ c: Int, count: UInt64, from: Double, to: Double, last: Bool, rng: inout Xoshiro256StarStar) {
        let s = c % k
        let start = position[c]
        let source = addresses[c / k]
        for m in monitorPositions.indices {
            let list = monitorPositions[m][s]
            guard !list.isEmpty else { continue }
            // Offsets (1-based probe numbers) of monitored positions among the first `count`.
            var offsets: [UInt64] = []
            func collect(_ lo: UInt64, _ hi: UInt64, _ base: UInt64) {  // positions in [lo, hi)
                var i = lowerBound(list, lo)
                while i < list.count && list[i] < hi { offsets.append(list[i] - lo + base + 1); i += 1 }
            }
            if count > 0 {
                let end = start + count
                if end <= size { collect(start, end, 0) } else {
                    collect(start, size, 0)
                    collect(0, end - size, size - start)
                }
            }
            var u = 0.0, previous: UInt64 = 0
            for offset in offsets {
                let a = Double(offset - previous), b = Double(count - offset + 1)
                let x = rng.gamma(shape: a, rate: 1), y = rng.gamma(shape: b, rate: 1)
                u += (1 - u) * (x / (x + y))
                previous = offset
                let position = (start + offset - 1) % size
                let destination = UInt32(truncatingIfNeeded: permutations[s]?.forward(position) ?? position)
                hits[m].append(MonitorProbe(time: from + (to - from) * u, source: source, destination: destination))
            }
            if last {
                let position = (start + count) % size
                let i = lowerBound(list, position)
                if i < list.count && list[i] == position {
                    let destination = UInt32(truncatingIfNeeded: permutations[s]?.forward(position) ?? position)
                    hits[m].append(MonitorProbe(time: to, source: source, destination: destination))
                }
            }
        }
    }

    /// Settles every cursor still walking at the end of the run; returns, per monitor, the
    /// probes that reached it.
    mutating func finish(at t: Double, rng: inout Xoshiro256StarStar) -> [[MonitorProbe]] {
        for h in 0..<addresses.count where legState[h] == 1 { stop(h, at: t, rng: &rng) }
        return hits
    }

    func lowerBound(_ list: ContiguousArray<UInt64>, _ value: UInt64) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if list[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: Heap

    mutating func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if heap[parent].due <= e.due { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = e
    }

    mutating func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        var i = 0
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var child = l
            if l + 1 < n && heap[l + 1].due < heap[l].due { child = l + 1 }
            if heap[child].due >= last.due { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = last
    }
}
