/// The per-/16 block segments S | L | I | R | OFF: hosts move between neighbouring
/// segments in O(1) by swapping slots in `order`.
extension ExactRun {
    /// Where segment `seg` (0 S, 1 L, 2 I, 3 R, 4 OFF) of block b starts in `order`.
    @inline(__always) func segmentStart(_ seg: Int, _ b: Int) -> Int {
        var p = Int(blockStart[b])
        var k = 0
        let base = b * 5
        while k < seg { p += Int(count[base + k]); k += 1 }
        return p
    }

    /// Swaps the hosts at positions p and q of `order`, and their slots.
    @inline(__always) mutating func swapSlots(_ p: Int, _ q: Int) {
        let a = order[p], c = order[q]
        order[p] = c; order[q] = a
        host[Int(c)].slot = Int32(p); host[Int(a)].slot = Int32(q)
    }

    /// Moves host h from segment `seg` to `seg + 1` of its block.
    @inline(__always) mutating func forward(_ h: Int, _ seg: Int, _ b: Int) {
        swapSlots(Int(host[h].slot), segmentStart(seg + 1, b) - 1)
        count[b * 5 + seg] -= 1
        count[b * 5 + seg + 1] += 1
    }

    /// Moves host h from segment `seg` to `seg - 1` of its block.
    @inline(__always) mutating func backward(_ h: Int, _ seg: Int, _ b: Int) {
        swapSlots(Int(host[h].slot), segmentStart(seg, b))
        count[b * 5 + seg] -= 1
        count[b * 5 + seg - 1] += 1
    }
}
