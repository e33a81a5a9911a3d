/// Counts, for one address-scan rule, the distinct destinations each (source, destination
/// port) pair probed within a sliding window, and says when a pair reaches the threshold.
///
/// A probe at time t counts while it is less than the window old: the window is (t − W, t].
/// A destination probed again counts once, with its latest time. When a pair reaches the
/// threshold the rule fires, the pair's destinations are dropped, and the pair is remembered
/// so it never fires again.
///
/// Each pair's (destination, time) entries lie together in one region of a shared pool,
/// sized in powers of two, so a probe reads one short run of memory. Memory is bounded: at
/// most `maximumPairs` pairs are tracked at once, and the pool holds at most
/// `maximumDestinations` entries of 16 bytes (each pair holds fewer entries than the
/// threshold). Every window's worth of input time, a sweep drops expired entries and pairs
/// with none left, so memory follows the pairs active in the last one or two windows. While a
/// limit is reached, probes that would need more memory are ignored and counted in
/// ``untracked``. Pairs that fired are kept in a set (8 bytes each, plus the set's overhead)
/// for the whole run.
///
/// Inputs are expected in time order; a probe older than the latest sweep is counted with its
/// own time, but entries may already have been swept.
@usableFromInline
struct AddressScanTracker {
    @usableFromInline
    struct Slot {
        /// Where the pair's region starts in ``entries``.
        @usableFromInline var offset: Int32
        @usableFromInline var count: Int32
        /// The region holds `1 << sizeClass` entries.
        @usableFromInline var sizeClass: Int32

        @inlinable
        init(offset: Int32, count: Int32, sizeClass: Int32) {
            self.offset = offset
            self.count = count
            self.sizeClass = sizeClass
        }
    }

    @usableFromInline
    struct Entry {
        @usableFromInline var destination: UInt32
        /// The latest probe's time; in a free region, the next free region's offset.
        @usableFromInline var time: Int64

        @inlinable
        init(destination: UInt32, time: Int64) {
            self.destination = destination
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
    @usableFromInline var entries: [Entry] = []
    /// Per size class, the first free region's offset, or -1.
    @usableFromInline var freeRegions: [Int64] = [Int64](repeating: -1, count: 16)
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
        self.maximumDestinations = Swift.min(maximumDestinations, Int(Int32.max))
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
        guard let index = pairs.index(forKey: key) else {
            return observeNewPair(key, destination: destination, time: time)
        }
        var slot = pairs.values[index]
        let found = compact(&slot, expiry: time &- windowNanoseconds, refreshing: destination, time: time)
        if !found {
            if slot.count + 1 >= threshold {
                release(offset: slot.offset, sizeClass: slot.sizeClass)
                pairs.remove(at: index)
                fired.insert(key)
                return true
            }
            if slot.count == Int32(1) << slot.sizeClass {
                guard let grown = allocate(sizeClass: slot.sizeClass + 1) else {
                    untracked += 1
                    pairs.values[index] = slot
                    return false
                }
                entries.withUnsafeMutableBufferPointer { e in
                    // Both regions lie inside the pool.
                    let base = e.baseAddress.unsafelyUnwrapped
                    (base + Int(grown)).update(from: base + Int(slot.offset), count: Int(slot.count))
                }
                release(offset: slot.offset, sizeClass: slot.sizeClass)
                slot.offset = grown
                slot.sizeClass += 1
            }
            entries[Int(slot.offset + slot.count)] = Entry(destination: destination, time: time)
            slot.count += 1
        }
        pairs.values[index] = slot
        return false
    }

    @inlinable
    mutating func observeNewPair(_ key: UInt64, destination: UInt32, time: Int64) -> Bool {
        if fired.contains(key) { return false }
        if threshold <= 1 {
            fired.insert(key)
            return true
        }
        guard pairs.count < maximumPairs, let offset = allocate(sizeClass: 0) else {
            untracked += 1
            return false
        }
        entries[Int(offset)] = Entry(destination: destination, time: time)
        pairs[key] = Slot(offset: offset, count: 1, sizeClass: 0)
        return false
    }

    /// Drops the pair's expired entries (keeping order), and refreshes `destination`'s time if
    /// it is there (nil: none); returns whether it was.
    @inlinable
    mutating func compact(_ slot: inout Slot, expiry: Int64, refreshing destination: UInt32?, time: Int64) -> Bool {
        entries.withUnsafeMutableBufferPointer { e in
            let base = e.baseAddress.unsafelyUnwrapped + Int(slot.offset)
            var found = false
            var kept = 0
            for r in 0..<Int(slot.count) {
                var entry = base[r]
                if entry.destination == destination {
                    entry.time = Swift.max(entry.time, time)
                    found = true
                } else if entry.time <= expiry {
                    continue
                }
                base[kept] = entry
                kept += 1
            }
            slot.count = Int32(kept)
            return found
        }
    }

    /// A free region of `1 << sizeClass` entries, or nil if the pool is full.
    @inlinable
    mutating func allocate(sizeClass: Int32) -> Int32? {
        let c = Int(sizeClass)
        guard c < freeRegions.count else { return nil }
        let head = freeRegions[c]
        if head >= 0 {
            freeRegions[c] = entries[Int(head)].time
            return Int32(head)
        }
        let size = 1 << c
        guard entries.count + size <= maximumDestinations else { return nil }
        let offset = entries.count
        entries.append(contentsOf: repeatElement(Entry(destination: 0, time: 0), count: size))
        return Int32(offset)
    }

    @inlinable
    mutating func release(offset: Int32, sizeClass: Int32) {
        entries[Int(offset)].time = freeRegions[Int(sizeClass)]
        freeRegions[Int(sizeClass)] = Int64(offset)
    }

    /// Drops entries that have left the window, and pairs left with none.
    @usableFromInline
    mutating func sweep(now: Int64) {
        let expiry = now &- windowNanoseconds
        deadKeys.removeAll(keepingCapacity: true)
        for index in pairs.indices {
            var slot = pairs.values[index]
            _ = compact(&slot, expiry: expiry, refreshing: nil, time: now)
            if slot.count == 0 {
                release(offset: slot.offset, sizeClass: slot.sizeClass)
                deadKeys.append(pairs.keys[index])
            } else {
                pairs.values[index] = slot
            }
        }
        for key in deadKeys { pairs.removeValue(forKey: key) }
    }

    /// How many pairs are tracked now.
    var trackedPairs: Int { pairs.count }
    /// How many entries the pool holds (in use or free).
    var poolEntries: Int { entries.count }
}
