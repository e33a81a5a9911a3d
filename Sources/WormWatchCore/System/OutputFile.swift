/// Why a file could not be opened, written or closed, in the system's words.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `strerror(errno)` or a short explanation (`short write`).
    public var reason: String
    /// Creates an error.
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A file created (or truncated) for writing, or standard output for the path `-`; closed
/// when it goes away if it was not closed before.
///
/// Writes are unbuffered: the writers that use it (captures, web logs, event streams) keep
/// their own buffers and hand over large blocks.
public struct OutputFile: ~Copyable {
    /// The path as given (`-` for standard output).
    public let path: String
    /// The open descriptor.
    public let descriptor: Int32
    private let ownsDescriptor: Bool
    private var isClosed = false

    /// Creates or truncates `path` (mode 0644); `-` writes to standard output.
    public init(path: String) throws(SystemError) {
        self.path = path
        if path == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            let fd = POSIX.createForWriting(path)
            guard fd >= 0 else { throw SystemError(reason: POSIX.lastError) }
            descriptor = fd
            ownsDescriptor = true
        }
    }

    /// Writes all `count` bytes at `bytes`, retrying short and interrupted writes.
    public func write(_ bytes: UnsafeRawPointer, count: Int) throws(SystemError) {
        if let failure = POSIX.writeAll(descriptor, bytes, count) { throw SystemError(reason: failure) }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(SystemError) {
        if let failure = POSIX.writeAll(descriptor, bytes) { throw SystemError(reason: failure) }
    }

    /// Closes the file (standard output stays open); closing twice does nothing.
    public mutating func close() throws(SystemError) {
        guard !isClosed else { return }
        isClosed = true
        if ownsDescriptor && POSIX.close(descriptor) != 0 { throw SystemError(reason: POSIX.lastError) }
    }

    deinit {
        if !isClosed && ownsDescriptor { POSIX.close(descriptor) }
    }
}
