/// A Fenwick (binary indexed) tree of integer counts over a fixed number of slots,
/// with O(log n) update, prefix sum and "find the k-th unit" search. It owns its storage.
struct CountTree: ~Copyable {
    /// Slots.
    let n: Int
    /// The Fenwick tree, 1-based.
    let tree: RawBuffer<Int32>
    /// The largest power of two up to n, where `find` starts.
    let topStep: Int

    /// `n` slots, all zero.
    init(count n: Int) {
        self.n = n
        tree = RawBuffer(repeating: 0, count: n + 1)
        var s = 1
        while s * 2 <= n { s *= 2 }
        topStep = s
    }

    /// Sets every slot from `values` in O(n).
    func build(_ values: (Int) -> Int64) {
        for i in 1...n { tree[i] = Int32(truncatingIfNeeded: values(i - 1)) }
        for i in 1...n {
            let j = i + (i & -i)
            if j <= n { tree[j] &+= tree[i] }
        }
    }

    /// Adds `delta` to slot `index`.
    func add(_ index: Int, _ delta: Int64) {
        let d = Int32(truncatingIfNeeded: delta)
        var i = index + 1
        while i <= n { tree[i] &+= d; i += i & -i }
    }

    /// Sum of slots `0 ..< index`.
    func prefix(_ index: Int) -> Int64 {
        var i = index, s: Int64 = 0
        while i > 0 { s &+= Int64(tree[i]); i -= i & -i }
        return s
    }

    /// The slot holding unit `k` (0-based) and `k`'s rank inside that slot.
    func find(_ k: Int64) -> (index: Int, rank: Int64) {
        var pos = 0, rest = k, step = topStep
        while step > 0 {
            let next = pos + step
            if next <= n && Int64(tree[next]) <= rest { pos = next; rest -= Int64(tree[next]) }
            step >>= 1
        }
        return (pos, rest)
    }
}

/// A Fenwick tree of non-negative weights (doubles), searched by cumulative weight.
/// Leaf values are kept exactly beside the tree so it can be rebuilt to shed rounding drift.
/// It owns its storage.
struct WeightTree: ~Copyable {
    /// Slots.
    let n: Int
    /// The Fenwick tree, 1-based, and the exact slot values.
    let tree: RawBuffer<Double>
    let leaf: RawBuffer<Double>
    /// The largest power of two up to n, where `find` starts.
    let topStep: Int

    /// `n` slots, all zero.
    init(count n: Int) {
        self.n = n
        tree = RawBuffer(repeating: 0, count: n + 1)
        leaf = RawBuffer(repeating: 0, count: n)
        var s = 1
        while s * 2 <= n { s *= 2 }
        topStep = s
    }

    /// Rebuilds the tree from the exact leaves in O(n).
    func rebuild() {
        for i in 1...n { tree[i] = leaf[i - 1] }
        for i in 1...n {
            let j = i + (i & -i)
            if j <= n { tree[j] += tree[i] }
        }
    }

    /// Sets slot `index` to `value`.
    func set(_ index: Int, _ value: Double) {
        let delta = value - leaf[index]
        leaf[index] = value
        var i = index + 1
        while i <= n { tree[i] += delta; i += i & -i }
    }

    /// The sum of all slots.
    var total: Double {
        var i = n, s = 0.0
        while i > 0 { s += tree[i]; i -= i & -i }
        return s
    }

    /// The slot whose cumulative range holds `target`, skipping zero-weight slots
    /// that rounding might land on.
    func find(_ target: Double) -> Int {
        let tree = self.tree.base  // held in a register through the descent
        var pos = 0, rest = target, step = topStep
        while step > 0 {
            let next = pos + step
            if next <= n && tree[next] <= rest { pos = next; rest -= tree[next] }
            step >>= 1
        }
        var i = Swift.min(pos, n - 1)
        if leaf[i] > 0 { return i }
        // Rounding put us on an empty slot: take the nearest non-empty one.
        var j = i
        while j > 0 && leaf[j] <= 0 { j -= 1 }
        if leaf[j] > 0 { return j }
        i = Swift.min(pos, n - 1)
        while i < n - 1 && leaf[i] <= 0 { i += 1 }
        return i
    }
}
