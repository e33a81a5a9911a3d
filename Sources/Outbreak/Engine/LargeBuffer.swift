#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for the engine's big per-host arrays: aligned to 2 MiB and, on Linux, marked for
/// transparent huge pages, so that random access over hundreds of megabytes does not also
/// miss the TLB at every step. A ``RawBuffer`` placed on ``BufferPlacement/hugePages`` owns
/// what this returns and releases it; small arrays use the ordinary allocator.
enum LargeBuffer {
    static let hugePage = 2 << 20

    /// Uninitialised memory of at least `bytes` bytes aligned to a huge page, or nil when the
    /// request is too small to gain from huge pages (under four of them) or the C allocator
    /// refuses it. Give it back with ``release(_:)``.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= 4 * hugePage else { return nil }
        var raw: UnsafeMutableRawPointer?
        let rounded = (bytes + hugePage - 1) / hugePage * hugePage
        guard posix_memalign(&raw, hugePage, rounded) == 0, let memory = raw else { return nil }
        #if canImport(Glibc)
        _ = madvise(memory, rounded, MADV_HUGEPAGE)
        #endif
        return memory
    }

    /// Gives back memory from ``allocate(bytes:)``.
    static func release(_ memory: UnsafeMutableRawPointer) {
        free(memory)
    }
}
