import WormWatchCore

/// Places a scenario's vulnerable hosts: N distinct addresses, sorted.
///
/// Every placement draws addresses independently from its distribution and rejects
/// duplicates (in batches: draw, sort, drop repeats, draw the deficit again), which gives
/// exactly the distribution of sampling without replacement. A uniform placement that fills
/// more than half of its region's usable addresses draws the addresses left out instead (the
/// same distribution), so that a nearly full region does not wait on its last free addresses.
enum PopulationBuilder {
    static func place(_ scenario: Scenario, rng: inout Xoshiro256StarStar) -> [UInt32] {
        let space = scenario.space
        let blocked = space.reserved + scenario.worm.strategy.exclude
        let forced = scenario.worm.initialAddresses
        let n = scenario.population.size

        // Per /16 block: 0 free, 1 wholly blocked, 2 partly blocked (check the list).
        var blockState = [UInt8](repeating: 0, count: 65536)
        for p in blocked {
            if p.length <= 16 {
                let first = Int(p.base >> 16), count = 1 << (16 - p.length)
                for b in first..<Swift.min(65536, first + count) { blockState[b] = 1 }
            } else if blockState[Int(p.base >> 16)] == 0 {
                blockState[Int(p.base >> 16)] = 2
            }
        }
        func usable(_ a: UInt32) -> Bool {
            switch blockState[Int(a >> 16)] {
            case 0: return true
            case 1: return false
            default:
                for p in blocked where p.contains(a) { return false }
                return true
            }
        }
        func drawIn(_ prefix: IPv4Prefix) -> UInt32 {
            while true {
                let a = prefix.base &+ UInt32(truncatingIfNeeded: rng.nextInt(below: prefix.size))
                if space.contains(a) && usable(a) { return a }
            }
        }
        // Draws until `target` distinct addresses (including `start`) exist. Each round sorts
        // only its new draws and merges them in (sorting the whole list again, as it once did,
        // gives the same list and cost a 10^8-host run about 20 s over its rounds).
        func fill(_ start: [UInt32], target: Int, draw: () -> UInt32) -> [UInt32] {
            var set = start
            radixSort(&set)
            dedupe(&set)
            while set.count < target {
                let deficit = target - set.count
                var extra = [UInt32]()
                extra.reserveCapacity(deficit)
                for _ in 0..<deficit { extra.append(draw()) }
                radixSort(&extra)
                set = mergeDistinct(set, extra)
            }
            return set
        }

        // The usable addresses of a region (inside the space, not blocked).
        func capacity(_ region: IPv4Prefix) -> UInt64 {
            var total: UInt64 = 0
            var a = UInt64(region.base)
            let end = UInt64(region.base) + region.size
            while a < end {
                let blockEnd = Swift.min(end, (a >> 16 + 1) << 16)
                let address = UInt32(truncatingIfNeeded: a)
                if space.contains(address) {
                    switch blockState[Int(address >> 16)] {
                    case 0: total += blockEnd - a
                    case 1: break
                    default: for x in a..<blockEnd where usable(UInt32(truncatingIfNeeded: x)) { total += 1 }
                    }
                }
                a = blockEnd
            }
            return total
        }
        // `target` distinct usable addresses of `region`, uniform, including `start`.
        func uniform(in region: IPv4Prefix, including start: [UInt32], target: Int) -> [UInt32] {
            let room = capacity(region)
            guard UInt64(target) * 2 > room else { return fill(start, target: target) { drawIn(region) } }
            // Draw the addresses left out (never one of `start`), then take every other one.
            let kept = Set(start)
            let leftOut = fill([], target: Int(room) - target) {
                while true {
                    let a = drawIn(region)
                    if !kept.contains(a) { return a }
                }
            }
            var chosen: [UInt32] = []
            chosen.reserveCapacity(target)
            var next = 0
            var a = UInt64(region.base)
            let end = UInt64(region.base) + region.size
            while a < end {
                let address = UInt32(truncatingIfNeeded: a)
                a += 1
                guard space.contains(address) && usable(address) else { continue }
                if next < leftOut.count && leftOut[next] == address {
                    next += 1
                } else {
                    chosen.append(address)
                }
            }
            return chosen
        }

        switch scenario.population.placement {
        case .addresses(let list):
            var sorted = list
            radixSort(&sorted)
            return sorted
        case .uniform:
            return uniform(in: space.prefix, including: forced, target: n)
        case .clustered(let clusters):
            var cumulative: [Double] = []
            var acc = 0.0
            for c in clusters { acc += c.weight; cumulative.append(acc) }
            return fill(forced, target: n) {
                let u = rng.nextUnit()
                if let k = cumulative.firstIndex(where: { u < $0 }) { return drawIn(clusters[k].prefix) }
                return drawIn(space.prefix)
            }
        case .prefixCounts(let list):
            var all: [UInt32] = []
            all.reserveCapacity(n)
            for entry in list where entry.count > 0 {
                let inside = forced.filter { entry.prefix.contains($0) }
                all.append(contentsOf: uniform(in: entry.prefix, including: inside, target: Swift.max(entry.count, inside.count)))
            }
            radixSort(&all)
            return all
        }
    }

    /// LSD radix sort of 32-bit keys, two 16-bit passes.
    static func radixSort(_ a: inout [UInt32]) {
        let n = a.count
        guard n > 64 else { a.sort(); return }
        var tmp = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 65537)
        for shift in [UInt32(0), 16] {
            for i in 0..<counts.count { counts[i] = 0 }
            a.withUnsafeBufferPointer { src in
                for v in src { counts[Int((v >> shift) & 0xFFFF) + 1] += 1 }
            }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            a.withUnsafeBufferPointer { src in
                tmp.withUnsafeMutableBufferPointer { dst in
                    for v in src {
                        let k = Int((v >> shift) & 0xFFFF)
                        dst[counts[k]] = v
                        counts[k] += 1
                    }
                }
            }
            swap(&a, &tmp)
        }
    }

    /// The sorted distinct values of two sorted lists (`a` distinct, `b` maybe not).
    static func mergeDistinct(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        let written = out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    var i = 0, j = 0, w = 0
                    @inline(__always) func put(_ v: UInt32) {
                        if w == 0 || o[w - 1] != v { o[w] = v; w += 1 }
                    }
                    while i < x.count && j < y.count {
                        if x[i] <= y[j] { put(x[i]); i += 1 } else { put(y[j]); j += 1 }
                    }
                    while i < x.count { put(x[i]); i += 1 }
                    while j < y.count { put(y[j]); j += 1 }
                    return w
                }
            }
        }
        out.removeLast(out.count - written)
        return out
    }

    static func dedupe(_ a: inout [UInt32]) {
        guard a.count > 1 else { return }
        var w = 1
        for r in 1..<a.count where a[r] != a[w - 1] {
            a[w] = a[r]
            w += 1
        }
        a.removeLast(a.count - w)
    }
}
