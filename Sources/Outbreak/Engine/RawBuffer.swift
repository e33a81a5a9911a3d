/// Where a ``RawBuffer`` takes its memory from.
enum BufferPlacement {
    /// Swift's allocator.
    case ordinary
    /// ``LargeBuffer``'s huge-page-aligned memory when the buffer is big enough to gain from
    /// it, else Swift's allocator.
    case hugePages
}

/// A fixed number of values in memory that this buffer owns: allocated and initialised
/// once, deinitialised and released when the buffer goes away.
///
/// Noncopyable, so the memory has exactly one owner and nothing is freed by hand. Element
/// access is a plain pointer access (no bounds, copy-on-write or exclusivity checks), which
/// the engine's hot loop relies on; indices are the caller's to keep in `0 ..< count`.
/// `base` may be lent to a view (as ``MonitorTracker`` borrows the monitor slots) that must
/// not outlive the buffer.
struct RawBuffer<Element: ~Copyable>: ~Copyable {
    /// The first element.
    let base: UnsafeMutablePointer<Element>
    /// How many elements it holds.
    let count: Int
    /// Whether `base` came from ``LargeBuffer`` rather than Swift's allocator.
    private let hugePages: Bool

    /// Room for `count` elements, not initialised yet (at least one element's room, so that
    /// an empty buffer still has a valid `base`).
    private init(uninitializedCount count: Int, placement: BufferPlacement) {
        let capacity = Swift.max(1, count)
        if placement == .hugePages, let memory = LargeBuffer.allocate(bytes: capacity * MemoryLayout<Element>.stride) {
            base = memory.bindMemory(to: Element.self, capacity: capacity)
            hugePages = true
        } else {
            base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            hugePages = false
        }
        self.count = count
    }

    /// `count` elements, element `i` being `element(i)`.
    init(count: Int, placement: BufferPlacement = .ordinary, initializingWith element: (Int) -> Element) {
        self.init(uninitializedCount: count, placement: placement)
        for i in 0..<count { (base + i).initialize(to: element(i)) }
    }

    deinit {
        base.deinitialize(count: count)
        if hugePages { LargeBuffer.release(UnsafeMutableRawPointer(base)) } else { base.deallocate() }
    }

    /// Element `i`, in place. (Coroutine accessors rather than addressors: Swift 6.3 will not
    /// move a local buffer once it was accessed through an addressor.)
    subscript(i: Int) -> Element {
        _read { yield base[i] }
        nonmutating _modify { yield &base[i] }
    }
}

extension RawBuffer {
    /// `count` copies of `value`.
    init(repeating value: Element, count: Int, placement: BufferPlacement = .ordinary) {
        self.init(uninitializedCount: count, placement: placement)
        base.initialize(repeating: value, count: count)
    }
}

extension RawBuffer where Element: BitwiseCopyable {
    /// Room for `count` plain values, left as the allocator gives it: pages never written stay
    /// unmapped, so a queue that writes each slot before reading it costs memory only for what
    /// it uses (the latent hosts' queue of a 10^8-host run would otherwise touch 1.2 GB).
    init(unfilledCount count: Int, placement: BufferPlacement = .ordinary) {
        self.init(uninitializedCount: count, placement: placement)
    }
}
