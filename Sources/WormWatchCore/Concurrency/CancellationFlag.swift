import Synchronization

/// A flag that long-running work (an ensemble, a scan, a follow) checks between steps, and
/// stops early when it is set. ``BlockingWork/run(_:)`` sets it when the calling task is
/// cancelled; synchronous callers can set it from another thread.
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    /// A flag that is not set.
    public init() {}

    /// Whether the work should stop.
    public var isCancelled: Bool { state.load(ordering: .relaxed) }

    /// Asks the work to stop.
    public func cancel() { state.store(true, ordering: .relaxed) }
}
