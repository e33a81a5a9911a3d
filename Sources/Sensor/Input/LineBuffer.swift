#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The non-generic core of ``LineReader``: one reusable buffer, split at `LF`.
///
/// It never grows: it holds one chunk plus at most one partial line of `lineLimit + 1` bytes,
/// so memory stays flat whatever the input's size. A line that outgrows the limit is reported
/// once (``Step/tooLong(_:)``) and the rest of it is dropped as it streams past.
///
/// Line ends are found 64 bytes at a time: one window's `LF`s become a bit mask, and the
/// lines within it are handed out from the mask without looking at their bytes again (a
/// `memchr` per line cost more in calls than in bytes: web log lines are short).
struct LineBuffer: ~Copyable {
    /// What the reader should do next.
    enum Step {
        /// A complete line (line end stripped); its number is ``lineNumber``.
        case line(UnsafeRawBufferPointer)
        /// Line number `n` is longer than the limit and is skipped.
        case tooLong(Int)
        /// Read more input into this space, then call ``didRead(_:)``.
        case needInput(UnsafeMutableRawBufferPointer)
        /// The input has ended and every line has been handed out.
        case finished
    }

    let base: UnsafeMutableRawPointer
    let capacity: Int
    let lineLimit: Int
    /// The unread bytes are `start..<end`; `scanned..<end` has not been searched for `LF` yet.
    var start = 0
    var end = 0
    var scanned = 0
    /// The number of the last line handed out or skipped.
    var lineNumber = 0
    /// Dropping the rest of an over-long line (already counted) up to its `LF`.
    var droppingLongLine = false
    var sourceEnded = false
    /// The window last searched: bit `i` of `windowMask` is set if byte `windowStart + i` is
    /// an `LF`, for the bytes `windowStart..<windowEnd` (at most 64, all before `end`).
    var windowStart = 0
    var windowEnd = 0
    var windowMask: UInt64 = 0

    /// Bytes after the buffer's capacity that a window may load (and ignore).
    static let windowSlack = 64

    init(lineLimit: Int, chunkSize: Int) {
        self.lineLimit = max(1, lineLimit)
        // One chunk after a partial line of up to `lineLimit + 1` bytes (content plus a CR).
        capacity = max(1, chunkSize) + self.lineLimit + 2
        let allocated = capacity + Self.windowSlack
        base = UnsafeMutableRawPointer.allocate(byteCount: allocated, alignment: 16)
        // Windows load bytes past `end`: let them be zeros, not uninitialized memory.
        base.initializeMemory(as: UInt8.self, repeating: 0, count: allocated)
    }

    deinit { base.deallocate() }

    /// Records that `count` bytes were read into the space ``Step/needInput(_:)`` offered;
    /// 0 means the input has ended.
    mutating func didRead(_ count: Int) {
        if count <= 0 {
            sourceEnded = true
        } else {
            end = min(capacity, end + count)
        }
    }

    /// The line `from..<to` (line end excluded), with a trailing `CR` stripped.
    func finishLine(from: Int, to: Int) -> Step {
        var to = to
        if to > from, base.load(fromByteOffset: to - 1, as: UInt8.self) == 13 { to -= 1 }
        if to - from > lineLimit { return .tooLong(lineNumber) }
        return .line(UnsafeRawBufferPointer(start: base + from, count: to - from))
    }

    /// The offset of the first `LF` in `scanned..<end`, or `nil` (then `scanned` is `end`).
    @inline(__always)
    mutating func nextNewline() -> Int? {
        while scanned < end {
            if scanned >= windowStart && scanned < windowEnd {
                let rest = windowMask >> UInt64(scanned - windowStart)
                if rest != 0 { return scanned + rest.trailingZeroBitCount }
                scanned = windowEnd
                continue
            }
            // A new window at `scanned`: 64 bytes (the slack keeps the loads inside the
            // allocation), the bits of those at or past `end` cleared.
            let p = UnsafeRawPointer(base + scanned)
            let m0 = UInt64(ByteBlock(p).mask(10))
            let m1 = UInt64(ByteBlock(p + 16).mask(10))
            let m2 = UInt64(ByteBlock(p + 32).mask(10))
            let m3 = UInt64(ByteBlock(p + 48).mask(10))
            let count = Swift.min(64, end - scanned)
            let valid = count == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(count)) &- 1
            windowStart = scanned
            windowEnd = scanned + count
            windowMask = (m0 | m1 << 16 | m2 << 32 | m3 << 48) & valid
        }
        return nil
    }

    /// Forgets the window (the bytes under it are about to move).
    @inline(__always)
    mutating func dropWindow() {
        windowStart = 0
        windowEnd = 0
    }

    mutating func step() -> Step {
        while true {
            if let newline = nextNewline() {
                let from = start
                start = newline + 1
                scanned = start
                if droppingLongLine {
                    droppingLongLine = false
                    continue
                }
                lineNumber += 1
                return finishLine(from: from, to: newline)
            }
            if sourceEnded {
                if droppingLongLine {
                    droppingLongLine = false
                    start = end
                    return .finished
                }
                guard start < end else { return .finished }
                let from = start
                start = end
                lineNumber += 1
                return finishLine(from: from, to: end)
            }
            dropWindow()
            if droppingLongLine {
                start = 0
                end = 0
                scanned = 0
            } else if end - start > lineLimit + 1 {
                // Longer than the limit even if its last byte is the CR of a CRLF.
                lineNumber += 1
                droppingLongLine = true
                start = 0
                end = 0
                scanned = 0
                return .tooLong(lineNumber)
            } else if start > 0 {
                let pending = end - start
                if pending > 0 { memmove(base, base + start, pending) }
                start = 0
                end = pending
                scanned = pending
            }
            return .needInput(UnsafeMutableRawBufferPointer(start: base + end, count: capacity - end))
        }
    }
}
