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

    init(lineLimit: Int, chunkSize: Int) {
        self.lineLimit = max(1, lineLimit)
        // One chunk after a partial line of up to `lineLimit + 1` bytes (content plus a CR).
        capacity = max(1, chunkSize) + self.lineLimit + 2
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
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

    mutating func step() -> Step {
        while true {
            if scanned < end, let hit = memchr(base + scanned, 10, end - scanned) {
                let newline = base.distance(to: UnsafeMutableRawPointer(hit))
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
            scanned = end
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
