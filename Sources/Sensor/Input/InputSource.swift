import WormWatchCore

/// An input opened for reading, gzip-decompressed transparently if it starts with `1f 8b`,
/// with its first bytes already read so the caller can tell its format.
///
/// ``prefix`` holds the first bytes of the *content* (after decompression); reading returns
/// them first, then the rest, so nothing is lost to the peek. Reading costs one `switch` per
/// chunk, not per byte.
///
/// ```swift
/// var input = try openInput(path: "access.log.gz")
/// if LogFormat.detect(input.prefix) == .iisW3C { … }
/// ```
public struct InputSource<Base: ByteSource>: ByteSource {
    /// How many bytes ``prefix`` holds at most, by default.
    public static var defaultPrefixLength: Int { 4096 }

    @usableFromInline
    enum Storage {
        case plain(Base)
        case gzip(GzipByteSource<Base>)
    }

    @usableFromInline var storage: Storage
    /// The input's name in messages.
    public let path: String
    /// The first bytes of the content (decompressed), up to the prefix length; fewer only if
    /// the input is shorter.
    public let prefix: [UInt8]
    @usableFromInline var prefixPosition = 0

    /// Opens `base`, reading its first bytes; wraps it in a ``GzipByteSource`` if it starts
    /// with the gzip magic number `1f 8b`.
    public init(base: consuming Base, path: String, prefixLength: Int = defaultPrefixLength) throws(SensorError) {
        self.path = path
        let length = max(2, prefixLength)
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 1)
        defer { head.deallocate() }
        var count = 0
        var ended = false
        var base = base
        // Two bytes decide compression.
        while count < 2, !ended {
            let n = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: head[count...]))
            if n <= 0 { ended = true } else { count += n }
        }
        var storage: Storage
        if count >= 2, head[0] == 0x1f, head[1] == 0x8b {
            storage = .gzip(try GzipByteSource(base: base, path: path, pending: Array(head[..<count])))
            count = 0
            ended = false
        } else {
            storage = .plain(base)
        }
        while count < length, !ended {
            let n = try Self.read(&storage, into: UnsafeMutableRawBufferPointer(rebasing: head[count...]))
            if n <= 0 { ended = true } else { count += n }
        }
        prefix = Array(head[..<count])
        self.storage = storage
    }

    /// Whether the input is gzip-compressed (and is being decompressed).
    public var isGzip: Bool {
        if case .gzip = storage { return true }
        return false
    }

    @inlinable
    static func read(_ storage: inout Storage, into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        switch storage {
        case .gzip(let gzip):
            return try gzip.read(into: buffer)
        case .plain(var base):
            defer { storage = .plain(base) }
            return try base.read(into: buffer)
        }
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        if prefixPosition < prefix.count {
            let n = min(buffer.count, prefix.count - prefixPosition)
            guard n > 0, let to = buffer.baseAddress else { return 0 }
            prefix.withUnsafeBytes { bytes in
                if let from = bytes.baseAddress { to.copyMemory(from: from + prefixPosition, byteCount: n) }
            }
            prefixPosition += n
            return n
        }
        return try Self.read(&storage, into: buffer)
    }
}

/// Opens the file at `path` (`-` for standard input) for reading, decompressing it if it is
/// gzip; ``InputSource/prefix`` holds its first bytes for format detection.
/// Reading ends early, as at the end of the file, once `cancellation` is set.
public func openInput(path: String, prefixLength: Int = InputSource<FileByteSource>.defaultPrefixLength,
                      cancellation: CancellationFlag? = nil)
    throws(SensorError) -> InputSource<FileByteSource>
{
    try InputSource(base: FileByteSource(path: path, cancellation: cancellation), path: path, prefixLength: prefixLength)
}

/// Opens any byte source as ``openInput(path:prefixLength:)`` opens a file (tests, fuzzing).
public func openInput<Base: ByteSource>(
    _ base: consuming Base, path: String, prefixLength: Int = InputSource<Base>.defaultPrefixLength
)
    throws(SensorError) -> InputSource<Base>
{
    try InputSource(base: base, path: path, prefixLength: prefixLength)
}
