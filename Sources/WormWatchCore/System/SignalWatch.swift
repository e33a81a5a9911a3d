import Dispatch

/// Turns SIGINT and SIGTERM into a call, so that long work can stop cleanly (flush, send what
/// is pending) instead of dying mid-write. Keep the watch alive as long as it should act.
public final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    /// Calls `handler` (on a background queue) at each SIGINT or SIGTERM.
    public init(_ handler: @escaping @Sendable () -> Void) {
        POSIX.ignoreInterruptAndTerminate()
        sources = POSIX.interruptAndTerminate.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
