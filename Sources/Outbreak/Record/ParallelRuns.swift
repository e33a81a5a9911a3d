import Dispatch
import Synchronization
import WormWatchCore

/// Numbered pieces of work (runs of an ensemble, points of a study) on several threads, their
/// results kept in order.
public enum ParallelRuns {
    /// Runs `body(index)` for every index below `count` on `threads` threads (0: one per core)
    /// and returns the results in index order; `nil` if `cancellation` was set before every
    /// piece finished (pieces not yet started are skipped, and `body` may return `nil` to give
    /// up mid-piece). `progress` gets the number finished, from any thread.
    public static func map<T: Sendable>(
        _ count: Int, threads: Int, progress: (@Sendable (Int) -> Void)?, cancellation: CancellationFlag?,
        _ body: @Sendable (Int) -> T?
    ) -> [T]? {
        let workers = Swift.max(1, Swift.min(count, threads > 0 ? threads : ProcessInfoCores.count))
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let next = Mutex(0)
        let done = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while cancellation?.isCancelled != true {
                let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                if index >= count { break }
                guard let value = body(index) else { break }
                results.withLock { $0[index] = value }
                let finished = done.withLock { value -> Int in value += 1; return value }
                progress?(finished)
            }
        }
        let values = results.withLock { $0.compactMap { $0 } }
        return values.count == count ? values : nil
    }
}
