#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WormWatchCore

/// A stream of bytes read in chunks: a file, standard input, a decompressor, or memory.
///
/// Readers pull from a source into a buffer they own and reuse, so memory stays flat
/// whatever the input's size.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 only at the end.
    ///
    /// A source that follows a growing file may instead return ``pending`` (a negative
    /// count): nothing now, more may come. ``LogReader/classify(with:observed:emit:)`` and
    /// ``CaptureReader/next()`` then return, keeping what they hold, and pick up where they
    /// were on the next call; other readers take it as the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int
}

extension ByteSource {
    /// What ``read(into:)`` returns when there is nothing to read yet but the input has not
    /// ended (see ``FollowByteSource``).
    public static var pending: Int { -1 }
}

/// A file (or standard input, `-`) read with `read(2)`.
public final class FileByteSource: ByteSource {
    /// The path as the user gave it (`-` for standard input); used in messages.
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// When set, reads return 0 (the end) from then on.
    private let cancellation: CancellationFlag?

    /// Opens `path` for reading; `-` is standard input. Once `cancellation` is set, reads end.
    public init(path: String, cancellation: CancellationFlag? = nil) throws(SensorError) {
        self.path = path
        self.cancellation = cancellation
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(path: path, reason: "is a directory")
        }
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, cancellation?.isCancelled != true else { return 0 }
        while true {
            let n = POSIX.read(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Bytes already in memory (tests, fuzzing).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    /// How many bytes one `read` returns at most: small values exercise readers' chunk joins.
    public var maximumChunk: Int

    public init(_ bytes: [UInt8], maximumChunk: Int = .max) {
        self.bytes = bytes
        self.maximumChunk = max(1, maximumChunk)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        let n = min(buffer.count, bytes.count - position, maximumChunk)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
