import WormWatchCore
/// Places a scenario's vulnerable hosts: N distinct addresses, sorted.
///
/// Every placement draws addresses independently from its distribution and rejects
/// duplicates (in batches: draw, sort, drop repeats, draw the deficit again), which gives
/// exactly the distribution of sampling without replacement.
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
        // Draws until `target` distinct addresses (including `start`) exist.
        func fill(_ start: [UInt32], target: Int, draw: () -> UInt32) -> [UInt32] {
            var set = start
            radixSort(&set)
            dedupe(&set)
            while set.count < target {
                let deficit = target - set.count
                var extra = [UInt32]()
                extra.reserveCapacity(deficit)
                for _ in 0..<deficit { extra.append(draw()) }
                set.append(contentsOf: extra)
                radixSort(&set)
                dedupe(&set)
            }
            return set
        }

        switch scenario.population.placement {
        case .addresses(let list):
            var sorted = list
            radixSort(&sorted)
            return sorted
        case .uniform:
            return fill(forced, target: n) { drawIn(space.prefix) }
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
                all.append(contentsOf: fill(inside, target: Swift.max(entry.count, inside.count)) { drawIn(entry.prefix) })
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
