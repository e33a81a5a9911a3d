/// Counts, for one address-scan rule, the distinct destinations each (source, destination
/// port) pair probed within a sliding window, and says when a pair reaches the threshold.
///
/// A probe at time t counts while it is less than the window old: the window is (t − W, t].
/// A destination probed again counts once, with its latest time. When a pair reaches the
/// threshold the rule fires, the pair's destinations are dropped, and the pair is remembered
/// so it never fires again.
///
/// Memory is bounded: at most `maximumPairs` pairs and `maximumDestinations` (destination,
/// time) entries are held at once (each pair holds fewer than the threshold). Every window's
/// worth of input time, a sweep drops expired entries and pairs with none left, so memory
/// follows the pairs active in the last one or two windows. While a limit is reached, probes
/// from pairs not yet tracked are ignored and counted in ``untracked``. Pairs that fired are
/// kept in a set (8 bytes each, plus the set's overhead) for the whole run.
///
/// Inputs are expected in time order; a probe older than the current sweep time is counted
/// with its own time, but entries may already have been swept.
@usableFromInline
struct AddressScanTracker {
    @usableFromInline
    struct Slot {
        /// First entry of the pair's list in ``nodes``, or -1.
        @usableFromInline var head: Int32
        @usableFromInline var count: Int32

        @inlinable
        init(head: Int32, count: Int32) {
            self.head = head
            self.count = count
        }
    }

    @usableFromInline
    struct Node {
        @usableFromInline var destination: UInt32
        @usableFromInline var next: Int32
        @usableFromInline var time: Int64

        @inlinable
        init(destination: UInt32, next: Int32, time: Int64) {
            self.destination = destination
            self.next = next
            self.time = time
        }
    }

    @usableFromInline let rule: Int
    @usableFromInline let transport: TransportProtocol
    @usableFromInline let synOnly: Bool
    /// -1: every port.
    @usableFromInline let port: Int
    @usableFromInline let threshold: Int32
    @usableFromInline let windowNanoseconds: Int64
    @usableFromInline let windowSeconds: Double
    @usableFromInline let maximumPairs: Int
    @usableFromInline let maximumDestinations: Int

    @usableFromInline var pairs: [UInt64: Slot] = [:]
    @usableFromInline var nodes: [Node] = []
    /// Free entries of ``nodes``, linked through `next`.
    @usableFromInline var free: Int32 = -1
    @usableFromInline var liveNodes = 0
    @usableFromInline var fired: Set<UInt64> = []
    @usableFromInline var nextSweep: Int64 = .min
    @usableFromInline var deadKeys: [UInt64] = []
    /// Probes ignored because a memory limit was reached.
    @usableFromInline var untracked = 0

    init(rule: Int, condition c: AddressScanRuleCondition, maximumPairs: Int, maximumDestinations: Int) {
        self.rule = rule
        transport = c.transport
        synOnly = c.transport == .tcp && c.flags == .syn
        port = c.port.map(Int.init) ?? -1
        threshold = Int32(clamping: c.distinctDestinations)
        windowSeconds = c.windowSeconds
        windowNanoseconds = Int64((c.windowSeconds * 1e9).rounded())
        self.maximumPairs = maximumPairs
        self.maximumDestinations = maximumDestinations
    }

    /// Whether a packet counts as a probe for this rule.
    @inlinable
    func applies(transport: TransportProtocol, flags: UInt8, port: UInt16) -> Bool {
        guard transport == self.transport, self.port < 0 || self.port == Int(port) else { return false }
        // SYN set, ACK clear.
        return !synOnly || flags & 0x12 == 0x02
    }

    /// Counts a probe; true if it brings the pair to the threshold (the rule fires).
    @inlinable
    mutating func observe(source: UInt32, destination: UInt32, port: UInt16, time: Int64) -> Bool {
        if time >= nextSweep {
            sweep(now: time)
            nextSweep = time &+ windowNanoseconds
        }
        let key = UInt64(source) << 16 | UInt64(port)
        let expiry = time &- windowNanoseconds
        if let index = pairs.index(forKey: key) {
            var slot = pairs.values[index]
            var found = false
            var previous: Int32 = -1
            var current = slot.head
            while current >= 0 {
                let i = Int(current)
                let next = nodes[i].next
                if nodes[i].destination == destination {
                    nodes[i].time = Swift.max(nodes[i].time, time)
                    found = true
                } else if nodes[i].time <= expiry {
                    // Expired: unlink and free.
                    if previous < 0 { slot.head = next } else { nodes[Int(previous)].next = next }
                    release(current)
                    slot.count -= 1
                    current = next
                    continue
                }
                previous = current
                current = next
            }
            if !found {
                if slot.count + 1 >= threshold {
                    releaseList(slot.head)
                    pairs.remove(at: index)
                    fired.insert(key)
                    return true
                }
                guard liveNodes < maximumDestinations else {
                    untracked += 1
                    pairs.values[index] = slot
                    return false
                }
                slot.head = acquire(destination: destination, time: time, next: slot.head)
                slot.count += 1
            }
            pairs.values[index] = slot
            return false
        }
        if fired.contains(key) { return false }
        if threshold <= 1 {
            fired.insert(key)
            return true
        }
        guard pairs.count < maximumPairs, liveNodes < maximumDestinations else {
            untracked += 1
            return false
        }
        pairs[key] = Slot(head: acquire(destination: destination, time: time, next: -1), count: 1)
        return false
    }

    @inlinable
    mutating func acquire(destination: UInt32, time: Int64, next: Int32) -> Int32 {
        liveNodes += 1
        let node = Node(destination: destination, next: next, time: time)
        if free >= 0 {
            let index = free
            free = nodes[Int(index)].next
            nodes[Int(index)] = node
            return index
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    @inlinable
    mutating func release(_ index: Int32) {
        nodes[Int(index)].next = free
        free = index
        liveNodes -= 1
    }

    @inlinable
    mutating func releaseList(_ head: Int32) {
        var current = head
        while current >= 0 {
            let next = nodes[Int(current)].next
            release(current)
            current = next
        }
    }

    /// Drops entries that have left the window, and pairs left with none.
    @usableFromInline
    mutating func sweep(now: Int64) {
        let expiry = now &- windowNanoseconds
        deadKeys.removeAll(keepingCapacity: true)
        for index in pairs.indices {
            var slot = pairs.values[index]
            var previous: Int32 = -1
            var current = slot.head
            while current >= 0 {
                let next = nodes[Int(current)].next
                if nodes[Int(current)].time <= expiry {
                    if previous < 0 { slot.head = next } else { nodes[Int(previous)].next = next }
                    release(current)
                    slot.count -= 1
                } else {
                    previous = current
                }
                current = next
            }
            if slot.count == 0 { deadKeys.append(pairs.keys[index]) } else { pairs.values[index] = slot }
        }
        for key in deadKeys { pairs.removeValue(forKey: key) }
    }

    /// How many pairs are tracked now.
    var trackedPairs: Int { pairs.count }
}
