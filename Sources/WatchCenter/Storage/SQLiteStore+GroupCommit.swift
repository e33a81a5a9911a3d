import GRDB
import Synchronization

/// Group commit: batches that arrive while the writer is busy wait, and are then applied
/// together in one transaction — each in a savepoint of its own, so one refused batch (a reused
/// key) leaves the others — and committed (one fsync) before any of them is acknowledged.
/// Durability and all-or-nothing hold per batch; the commit's cost is shared.
final class GroupCommitQueue: Sendable {
    struct Job: Sendable {
        var batch: IngestBatch
        var sensor: Int64
        var key: String
        var digest: String
        var now: Int64
        var done: CheckedContinuation<Result<IngestReceipt, StoreError>, Never>
    }

    struct State {
        var jobs: [Job] = []
        var writing = false
    }

    /// The most batches in one transaction.
    static let maxGroup = 32

    let state = Mutex(State())
    let pool: DatabasePool
    let store: String

    init(pool: DatabasePool, store: String) {
        self.pool = pool
        self.store = store
    }

    func submit(_ batch: IngestBatch, sensor: Int64, key: String, digest: String, now: Int64) async -> Result<IngestReceipt, StoreError> {
        await withCheckedContinuation { continuation in
            let job = Job(batch: batch, sensor: sensor, key: key, digest: digest, now: now, done: continuation)
            let start = state.withLock { s -> Bool in
                s.jobs.append(job)
                guard !s.writing else { return false }
                s.writing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let group: [Job] = state.withLock { s in
                let taken = Array(s.jobs.prefix(Self.maxGroup))
                s.jobs.removeFirst(taken.count)
                if taken.isEmpty { s.writing = false }
                return taken
            }
            guard !group.isEmpty else { return }
            let outcome: Result<[Result<IngestReceipt, StoreError>], any Error>
            do {
                let results = try await pool.write { db in
                    var results: [Result<IngestReceipt, StoreError>] = []
                    for job in group {
                        do {
                            var receipt: IngestReceipt?
                            try db.inSavepoint {
                                receipt = try SQLiteStore.ingestOne(db, job.batch, sensor: job.sensor, key: job.key, digest: job.digest, now: job.now)
                                return .commit
                            }
                            if let receipt { results.append(.success(receipt)) }
                        } catch let error as StoreError {
                            results.append(.failure(error))
                        }
                    }
                    return results
                }
                outcome = .success(results)
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let results):
                for (job, result) in zip(group, results) { job.done.resume(returning: result) }
            case .failure(let error):
                let failure = StoreError.failed(store: store, reason: SQLiteStore.reason(error))
                for job in group { job.done.resume(returning: .failure(failure)) }
            }
        }
    }
}
