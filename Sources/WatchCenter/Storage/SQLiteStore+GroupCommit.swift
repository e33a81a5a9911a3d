import GRDB
import Synchronization

/// Group commit: batches that arrive while the writer is busy wait, and are then applied
/// together in one transaction — each in a savepoint of its own, so one refused batch (a reused
/// key) leaves the others — and committed (one fsync) before any of them is acknowledged.
/// Durability and all-or-nothing hold per batch; the commit's cost is shared.
///
/// The queue also owns the pending sources (``PendingSources``): a batch's sightings join them
/// once its transaction has committed, and the queue folds them into the tables when there are
/// many, or when a reader asks (``fold()``), between groups. Another process (or another
/// store on the same folder) may write too: every write transaction first asks SQLite's
/// `data_version`, and reads the pending sources from the log again when someone else has
/// committed since.
final class GroupCommitQueue: Sendable {
    struct Job: Sendable {
        var batch: IngestBatch
        var sensor: Int64
        var key: String
        var digest: String
        /// What the aggregates need of the batch, worked out by the caller's task (in
        /// parallel), not by the writer.
        var sightings: BatchDigest
        /// The batch's raw events as their stored row, encoded by the caller's task too.
        var events: EncodedEvents?
        /// Its (minute, source) pairs by family and minute, for the per-minute source sets.
        var minuteGroups: [MinuteSourceSets.Group]
        var now: Int64
        var done: CheckedContinuation<Result<IngestReceipt, StoreError>, Never>
    }

    struct State {
        var jobs: [Job] = []
        var foldWaiters: [CheckedContinuation<Result<Void, StoreError>, Never>] = []
        var writing = false
    }

    /// The pending sources as of `data_version` `version` of the writer's connection; nil until
    /// read from the log.
    struct Tracked {
        var pending: PendingSources?
        var version: Int64 = 0
        /// Whether a transaction has taken the pending sources (and may add to them).
        var taken = false
    }

    /// The most batches in one transaction.
    static let maxGroup = 32
    /// Pending sources that trigger a fold.
    static let foldThreshold = 200_000

    let state = Mutex(State())
    /// Touched only by the drain task (one at a time), behind a lock for Sendable's sake.
    let tracked = Mutex(Tracked())
    let pool: DatabasePool
    let store: String
    let checkpointer: WALCheckpointer

    init(pool: DatabasePool, store: String, checkpointer: WALCheckpointer) {
        self.pool = pool
        self.store = store
        self.checkpointer = checkpointer
    }

    /// Whether this store has sightings pending (as far as it knows).
    var hasPending: Bool { tracked.withLock { $0.taken || !($0.pending?.isEmpty ?? true) } }

    func submit(_ batch: IngestBatch, sensor: Int64, key: String, digest: String, now: Int64) async -> Result<IngestReceipt, StoreError> {
        let sightings = BatchDigest(batch)
        let events = EncodedEvents(batch.events)
        let minuteGroups = MinuteSourceSets.groups(sightings.minuteSources)
        return await withCheckedContinuation { continuation in
            let job = Job(
                batch: batch, sensor: sensor, key: key, digest: digest, sightings: sightings, events: events, minuteGroups: minuteGroups, now: now,
                done: continuation)
            enqueue { $0.jobs.append(job) }
        }
    }

    /// Adds work to the queue, and starts the drain unless it is running.
    private func enqueue(_ add: (inout State) -> Void) {
        let start = state.withLock { s -> Bool in
            add(&s)
            guard !s.writing else { return false }
            s.writing = true
            return true
        }
        if start { Task { await self.drain() } }
    }

    /// Folds the pending sources into the tables (after the batches queued before the call).
    func fold() async throws(StoreError) {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, StoreError>, Never>) in
            enqueue { $0.foldWaiters.append(continuation) }
        }
        try result.get()
    }

    /// The pending sources as the log holds them now, inside a write transaction, taken out of
    /// `tracked` (so that the transaction can add to them without copying them): what is
    /// tracked, unless another connection has committed since (or nothing was read yet). They
    /// go back once the transaction has committed; if it fails, `tracked` stays empty and the
    /// next transaction reads the log again.
    private func take(_ db: Database) throws -> (pending: PendingSources, version: Int64) {
        let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        let known = tracked.withLock { t -> PendingSources? in
            defer {
                t.pending = nil
                t.taken = true
            }
            return t.version == version ? t.pending : nil
        }
        if let known { return (known, version) }
        return (try SQLiteStore.loadPending(db, store: store), version)
    }

    private func drain() async {
        while true {
            let (group, waiters): ([Job], [CheckedContinuation<Result<Void, StoreError>, Never>]) = state.withLock { s in
                let taken = Array(s.jobs.prefix(Self.maxGroup))
                s.jobs.removeFirst(taken.count)
                // Folds wait for the batches queued before them.
                var waiters: [CheckedContinuation<Result<Void, StoreError>, Never>] = []
                if taken.isEmpty {
                    waiters = s.foldWaiters
                    s.foldWaiters = []
                    if waiters.isEmpty { s.writing = false }
                }
                return (taken, waiters)
            }
            if !group.isEmpty {
                if checkpointer.takeRestart() { await checkpointer.checkpointNow() }
                await commit(group)
                if tracked.withLock({ $0.pending?.count ?? 0 }) >= Self.foldThreshold { _ = await foldNow() }
            } else if !waiters.isEmpty {
                let result = await foldNow()
                for w in waiters { w.resume(returning: result) }
            } else {
                return
            }
        }
    }

    private func foldNow() async -> Result<Void, StoreError> {
        do {
            let version = try await pool.write { db -> Int64 in
                let (pending, version) = try self.take(db)
                try SQLiteStore.fold(db, pending)
                return version
            }
            tracked.withLock { $0 = Tracked(pending: PendingSources(capacity: Self.foldThreshold + Self.maxGroup * 1_000), version: version) }
            checkpointer.committed()
            return .success(())
        } catch {
            tracked.withLock { $0 = Tracked() }
            if let error = error as? StoreError { return .failure(error) }
            return .failure(.failed(store: store, reason: SQLiteStore.reason(error)))
        }
    }

    private func commit(_ group: [Job]) async {
        typealias Outcome = (results: [Result<IngestReceipt, StoreError>], pending: PendingSources, version: Int64)
        let outcome: Result<Outcome, any Error>
        do {
            let done = try await pool.write { db -> Outcome in
                var results: [Result<IngestReceipt, StoreError>] = []
                var (pending, version) = try self.take(db)
                for job in group {
                    do {
                        var outcome: (receipt: IngestReceipt, staged: [(PendingSighting, stored: StoredSource?)])?
                        try db.inSavepoint {
                            outcome = try SQLiteStore.ingestOne(
                                db, job.batch, job.sightings, events: job.events, minuteGroups: job.minuteGroups, sensor: job.sensor, key: job.key, digest: job.digest,
                                now: job.now, pending: pending, store: self.store)
                            return .commit
                        }
                        // The batch's savepoint stands: its sightings join the pending ones (the
                        // next batch of the group meets them). Were the transaction to fail,
                        // `pending` would be dropped with it.
                        if let outcome {
                            results.append(.success(outcome.receipt))
                            for (sighting, stored) in outcome.staged { pending.add(sighting, sensor: job.sensor, stored: stored) }
                        }
                    } catch let error as StoreError {
                        results.append(.failure(error))
                    }
                }
                return (results, pending, version)
            }
            outcome = .success(done)
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let done):
            // Committed: the sightings are now durable in the log, and pending.
            tracked.withLock { $0 = Tracked(pending: done.pending, version: done.version) }
            checkpointer.committed()
            for (job, result) in zip(group, done.results) { job.done.resume(returning: result) }
        case .failure(let error):
            tracked.withLock { $0 = Tracked() }
            let failure = StoreError.failed(store: store, reason: SQLiteStore.reason(error))
            for job in group { job.done.resume(returning: .failure(failure)) }
        }
    }
}
