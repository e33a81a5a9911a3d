import WormWatchCore

/// Writes events as NDJSON (``EventNDJSON``, `wormwatch.event/1`) to a file or standard
/// output, buffered in 64 KiB blocks, or one write per event when following live input.
///
/// A failed write is remembered, not thrown at once, so that a closed pipe does not stop a
/// scan half-way; ``finish()`` reports it.
public struct EventStreamWriter: ~Copyable {
    private var file: OutputFile
    private var buffer: [UInt8] = []
    private let flushEach: Bool
    private var failure: SystemError?
    private static let blockSize = 1 << 16

    /// Writes to `path` (created or truncated; `-` is standard output). `flushEach` writes
    /// every event as it comes.
    public init(path: String, flushEach: Bool = false) throws(SensorError) {
        do { file = try OutputFile(path: path) } catch { throw .unwritable(path: path, reason: "cannot write the events: \(error.reason)") }
        self.flushEach = flushEach
        buffer.reserveCapacity(Self.blockSize)
    }

    /// The output's path as given.
    public var path: String { file.path }

    /// Appends one event.
    public mutating func append(_ event: SensorEvent) {
        EventNDJSON.append(event, to: &buffer)
        if flushEach || buffer.count >= Self.blockSize { flush() }
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            do { try file.write(buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; throws if any write or the close failed.
    public consuming func finish() throws(SensorError) {
        flush()
        do { try file.close() } catch { failure = failure ?? error }
        if let failure {
            throw .outputFailed(path: file.path == "-" ? "standard output" : file.path, reason: "cannot write the events: \(failure.reason)")
        }
    }
}
