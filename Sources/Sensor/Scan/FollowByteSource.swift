#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WormWatchCore

/// A file followed like `tail -F`: at its end, more may be written; when the file is replaced
/// (rotated: a new file at the same path) or truncated, it is reopened and the new one read
/// from its start. A file that does not exist yet may appear later.
///
/// A read that finds nothing new returns ``ByteSource/pending`` at once: the caller decides
/// how long to wait (``SensorScan/follow(idleLimit:pollInterval:onEvent:)`` polls several
/// files in turn). Reads return 0, the end, only after ``finish()``, once the file has
/// nothing more.
public final class FollowByteSource: ByteSource {
    /// The followed path.
    public let path: String
    /// How many times the file was found replaced or truncated and reopened.
    public private(set) var reopenings = 0
    /// Bytes read so far, over every file that had the path.
    public private(set) var bytesRead: Int64 = 0
    /// Set by ``finish()``: reads return 0 once the file has nothing more.
    private var finishing = false

    private var descriptor: Int32 = -1
    private var inode: UInt64 = 0
    private var device: UInt64 = 0
    private var offset: Int64 = 0

    /// Follows `path`, starting at its beginning (as `tail -F -n +1`).
    public init(path: String) throws(SensorError) {
        self.path = path
        if !reopen() && errno != ENOENT {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Ends the input: reads drain what the file holds now, then return 0.
    public func finish() {
        finishing = true
    }

    /// Opens the file now at `path`; false if there is none (yet).
    private func reopen() -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); return false }
        if descriptor >= 0 { close(descriptor) }
        descriptor = fd
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
        offset = 0
        return true
    }

    /// Whether the path now names another file, or ours shrank below what was read.
    private func replacedOrTruncated() -> Bool {
        var info = stat()
        if stat(path, &info) != 0 { return false }  // gone for now: keep reading the old one
        if UInt64(info.st_ino) != inode || UInt64(info.st_dev) != device { return true }
        return Int64(info.st_size) < offset
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if descriptor >= 0 {
                let n = POSIX.read(descriptor, base, buffer.count)
                if n > 0 {
                    offset += Int64(n)
                    bytesRead += Int64(n)
                    return n
                }
                if n < 0 && errno != EINTR {
                    throw .unreadable(path: path, reason: String(cString: strerror(errno)))
                }
                if n < 0 { continue }
                if replacedOrTruncated() {
                    // Drain what the old file still holds before switching (rotation by rename).
                    if reopen() { reopenings += 1 }
                    continue
                }
            } else if reopen() {
                continue
            }
            return finishing ? 0 : Self.pending
        }
    }
}
