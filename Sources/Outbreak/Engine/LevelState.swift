/// One local-scanning level: per-block counts and the Fenwick tree of infection pressure.
/// It owns its storage.
struct LevelState: ~Copyable {
    /// The prefix length of the blocks this level scans within (a host scans its own).
    let length: Int
    /// `address >> shift` is an address's block.
    let shift: UInt32
    /// Blocks of this length in the address space.
    let count: Int
    /// The level's weight per address of a block.
    let coefficient: Double
    /// Per block: susceptible hosts switched on, scanning hosts, and their summed probe rate.
    let susceptible: RawBuffer<Int32>
    let infected: RawBuffer<Int32>
    let rate: RawBuffer<Double>
    /// Per block: infection pressure, coefficient × rate × susceptible.
    let pressure: WeightTree

    /// An empty level of blocks of prefix `length`, scanned with `weight`, in a space of
    /// 2^`spaceBits` addresses.
    init(length: Int, weight: Double, spaceBits: Int) {
        self.length = length
        shift = UInt32(32 - length)
        count = 1 << (spaceBits - (32 - length))
        coefficient = weight / Double(UInt64(1) << (32 - length))
        susceptible = RawBuffer(repeating: 0, count: count)
        infected = RawBuffer(repeating: 0, count: count)
        rate = RawBuffer(repeating: 0, count: count)
        pressure = WeightTree(count: count)
    }

    /// Recomputes block x's infection pressure: the level's weight per address of the
    /// block, times the block's scanning rate, times its susceptible hosts.
    @inline(__always) func refresh(_ x: Int) { pressure.set(x, coefficient * rate[x] * Double(susceptible[x])) }

    /// A susceptible host at `address` appeared (`delta` 1) or went (−1).
    @inline(__always) func susceptibleChanged(at address: UInt32, by delta: Int32) {
        let x = Int(address >> shift)
        susceptible[x] += delta
        refresh(x)
    }

    /// An infected host at `address` started scanning at `r` probes per second.
    @inline(__always) func scannerStarted(at address: UInt32, rate r: Double) {
        let x = Int(address >> shift)
        infected[x] += 1
        rate[x] += r
        refresh(x)
    }

    /// An infected host at `address` that scanned at `r` probes per second stopped (the
    /// block's rate returns to exactly 0 with its last scanner, shedding rounding drift).
    @inline(__always) func scannerStopped(at address: UInt32, rate r: Double) {
        let x = Int(address >> shift)
        infected[x] -= 1
        rate[x] = infected[x] == 0 ? 0 : rate[x] - r
        refresh(x)
    }
}
