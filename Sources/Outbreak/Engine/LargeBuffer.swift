#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocation of the engine's big per-host arrays: aligned to 2 MiB and, on Linux, marked for
/// transparent huge pages, so that random access over hundreds of megabytes does not also
/// miss the TLB at every step. Small arrays use the ordinary allocator.
enum LargeBuffer {
    static let hugePage = 2 << 20

    /// Uninitialised memory for `count` values of `T`; release it with `deallocate()` (the memory comes from the C allocator either way).
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = Swift.max(1, count) * MemoryLayout<T>.stride
        guard bytes >= 4 * hugePage else { return UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, count)) }
        var raw: UnsafeMutableRawPointer?
        let rounded = (bytes + hugePage - 1) / hugePage * hugePage
        guard posix_memalign(&raw, hugePage, rounded) == 0, let memory = raw else {
            return UnsafeMutablePointer<T>.allocate(capacity: Swift.max(1, count))
        }
        #if canImport(Glibc)
        _ = madvise(memory, rounded, MADV_HUGEPAGE)
        #endif
        return memory.bindMemory(to: T.self, capacity: count)
    }
}
