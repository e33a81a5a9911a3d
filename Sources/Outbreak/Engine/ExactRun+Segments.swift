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

    /// Swaps the hosts at positions p and q of `order` (both in the block starting at
    /// `start`), and their slots.
    @inline(__always) mutating func swapSlots(_ p: Int, _ q: Int, start: Int) {
        let a = order[p], c = order[q]
        order[p] = c; order[q] = a
        host[Int(c)].slotOffset = UInt16(truncatingIfNeeded: p - start)
        host[Int(a)].slotOffset = UInt16(truncatingIfNeeded: q - start)
    }

    /// Moves host h from segment `seg` to `seg + 1` of its block.
    @inline(__always) mutating func forward(_ h: Int, _ seg: Int, _ b: Int) {
        let start = Int(blockStart[b])
        swapSlots(start + Int(host[h].slotOffset), segmentStart(seg + 1, b) - 1, start: start)
        count[b * 5 + seg] -= 1
        count[b * 5 + seg + 1] += 1
    }

    /// Moves host h from segment `seg` to `seg - 1` of its block.
    @inline(__always) mutating func backward(_ h: Int, _ seg: Int, _ b: Int) {
        let start = Int(blockStart[b])
        swapSlots(start + Int(host[h].slotOffset), segmentStart(seg, b), start: start)
        count[b * 5 + seg] -= 1
        count[b * 5 + seg - 1] += 1
    }
}
