#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file that a reader may map into memory instead of reading: its descriptor
/// (owned by the byte source) and its size when it was opened.
struct MappableFile {
    var descriptor: Int32
    var size: Int
}

/// Lines of a regular file read through a sliding read-only memory map instead of `read(2)`:
/// no copy from the page cache, and the same lines, numbers and over-long-line reports as
/// ``LineBuffer``.
///
/// Memory stays flat: one window of ``windowSize`` bytes (more if the line limit needs it) is
/// mapped at a time, and the next is mapped where the current line starts once the window
/// may no longer hold a whole line. The file is read up to the size it had when opened.
struct MappedLines: ~Copyable {
    /// How much of the file is mapped at once, by default.
    static let windowSize = 32 << 20

    let descriptor: Int32
    let size: Int
    let lineLimit: Int
    let window: Int
    /// The mapping (`nil` before the first and once the file is read).
    var map: UnsafeMutableRawPointer?
    /// The file offset of the mapping's first byte, and the mapping's length.
    var mapOffset = 0
    var mapLength = 0
    /// The file offset of the next unread byte.
    var position = 0
    /// The number of the last line handed out or skipped.
    var lineNumber = 0
    /// Dropping the rest of an over-long line (already counted) up to its `LF`.
    var droppingLongLine = false
    /// Whether there is a file to read (else the reader uses its ``LineBuffer``).
    let isActive: Bool

    /// The file's name in messages.
    let path: String

    /// Lines of `file`, named `path` in messages; inactive if `file` is `nil`.
    init(_ file: MappableFile?, lineLimit: Int, path: String) {
        self.path = path
        isActive = file != nil
        descriptor = file?.descriptor ?? -1
        size = max(0, file?.size ?? 0)
        self.lineLimit = max(1, lineLimit)
        let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        // A whole line (limit, CR, LF) fits after any page-aligned start.
        let least = (self.lineLimit + 2 + 2 * page) / page * page
        window = max(Self.windowSize, least)
    }

    deinit {
        if let map { munmap(map, mapLength) }
    }

    /// Maps the window that starts at the page holding `offset`.
    private mutating func remap(at offset: Int) throws(SensorError) {
        if let map { munmap(map, mapLength) }
        map = nil
        mapLength = 0
        let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        let start = offset / page * page
        let length = min(window, size - start)
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, length, PROT_READ, flags, descriptor, off_t(start)),
              mapped != MAP_FAILED else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        _ = madvise(mapped, length, MADV_SEQUENTIAL)
        map = mapped
        mapOffset = start
        mapLength = length
    }

    /// The line `from..<to` of the mapping (line end excluded), with a trailing `CR` stripped.
    private func finishLine(_ base: UnsafeMutableRawPointer, from: Int, to: Int) -> LineBuffer.Step {
        var to = to
        if to > from, base.load(fromByteOffset: to - 1, as: UInt8.self) == 13 { to -= 1 }
        if to - from > lineLimit { return .tooLong(lineNumber) }
        return .line(UnsafeRawBufferPointer(start: base + from, count: to - from))
    }

    /// The next line, over-long line or the end (never ``LineBuffer/Step/needInput(_:)``).
    mutating func step() throws(SensorError) -> LineBuffer.Step {
        while true {
            guard position < size else {
                if let map {
                    munmap(map, mapLength)
                    self.map = nil
                    mapLength = 0
                }
                droppingLongLine = false
                return .finished
            }
            // The window must hold the longest line that can be handed out from here.
            let wanted = min(size, position + lineLimit + 2)
            if map == nil || position < mapOffset || wanted > mapOffset + mapLength {
                try remap(at: position)
            }
            guard let base = map else { return .finished }
            let from = position - mapOffset
            let available = mapLength - from
            if let hit = memchr(base + from, 10, available) {
                let newline = base.distance(to: UnsafeMutableRawPointer(hit))
                position = mapOffset + newline + 1
                if droppingLongLine {
                    droppingLongLine = false
                    continue
                }
                lineNumber += 1
                return finishLine(base, from: from, to: newline)
            }
            position = mapOffset + mapLength
            if droppingLongLine { continue }
            if position >= size {
                // The last line, without a line end.
                lineNumber += 1
                return finishLine(base, from: from, to: mapLength)
            }
            // No line end within `lineLimit + 2` bytes: too long even if it ends in CRLF.
            lineNumber += 1
            droppingLongLine = true
            return .tooLong(lineNumber)
        }
    }
}

extension FileByteSource {
    /// The file, if it is a regular, non-empty file this source opened itself.
    var mappableFile: MappableFile? {
        guard ownsDescriptor else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        return MappableFile(descriptor: descriptor, size: Int(info.st_size))
    }
}

extension InputSource where Base == FileByteSource {
    /// The file, if it is a regular file read as it is (not decompressed).
    var mappableFile: MappableFile? {
        guard case .plain(let file) = storage else { return nil }
        return file.mappableFile
    }
}
