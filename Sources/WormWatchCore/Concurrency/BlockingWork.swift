import Dispatch

/// Runs synchronous, CPU- or I/O-bound work from async code without blocking the caller's
/// threads, and lets the caller cancel it.
public enum BlockingWork {
    /// Runs `work` on a Dispatch thread (not one of Swift concurrency's cooperative threads,
    /// which must never block) and returns its result. When the calling task is cancelled,
    /// the flag passed to `work` is set; `work` checks it between steps and returns early.
    public static func run<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) -> T) async -> T {
        let flag = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.resume(returning: work(flag))
                }
            }
        } onCancel: {
            flag.cancel()
        }
    }
}
