import Dispatch
import Synchronization

/// A ``CenterPusher`` sending in the background while synchronous work (a scan, a replay)
/// feeds it from its own thread; ``finish(waiting:)`` blocks until the spool is empty or the
/// wait is over.
public final class PushSession: Sendable {
    /// The pusher.
    public let pusher: CenterPusher
    let deadline = Mutex<ContinuousClock.Instant?>(nil)
    let done = DispatchSemaphore(value: 0)

    /// Starts sending (what an earlier run left in the spool goes first).
    public init(configuration: PushConfiguration) throws(ReportedError) {
        let pusher = try CenterPusher(configuration: configuration)
        self.pusher = pusher
        Task.detached { [self] in
            await pusher.run(deadline: { self.deadline.withLock { $0 } })
            await pusher.shutdown()
            self.done.signal()
        }
    }

    /// Seals the last batch and waits up to `seconds` for the center to take everything;
    /// what it did not take stays in the spool for the next run.
    public func finish(waiting seconds: Double) -> CenterPusher.Summary {
        deadline.withLock { $0 = .now + .milliseconds(Int64(seconds * 1_000)) }
        pusher.finish()
        done.wait()
        return pusher.summary
    }
}

import WormWatchCore
