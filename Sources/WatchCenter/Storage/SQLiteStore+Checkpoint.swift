import GRDB
import Synchronization

/// Copies SQLite's write-ahead log into the database file on a connection of its own, so that
/// the writer does not: left to itself, SQLite checkpoints inside the commit that grows the
/// log past 1,000 pages, and that commit (and every batch waiting behind it) waits for the
/// copy and its fsync. The writer's connection has `wal_autocheckpoint` off; this runs a
/// PASSIVE checkpoint (it never blocks the writer or readers) at most every ``period`` after
/// something was committed. The log's frames are durable before a batch is acknowledged
/// either way: checkpointing only moves them.
///
/// The log file starts over only when a write transaction begins with every frame copied,
/// which a checkpoint running beside a busy writer never sees: when the log has grown past
/// `restartFrames` frames, the writer waits between its transactions for one more PASSIVE
/// checkpoint (after the one under way, on the same connection: little is left to copy by
/// then), which with no transaction open copies every frame, so the next transaction starts
/// the log over and it stays bounded.
final class WALCheckpointer: Sendable {
    /// The least time between checkpoints.
    static let period: Duration = .milliseconds(250)
    /// Log frames (pages) past which the writer checkpoints between transactions, by default
    /// 32 MiB of 4 KiB pages.
    static let defaultRestartFrames = 8_192

    let restartFrames: Int

    /// The log's size in frames at the last checkpoint.
    let logFrames = Atomic<Int>(0)

    private struct State {
        var dirty = false
        var closed = false
        var task: Task<Void, Never>?
    }

    private let connection: DatabaseQueue
    private let state = Mutex(State())

    init(path: String, restartFrames: Int = WALCheckpointer.defaultRestartFrames) throws {
        self.restartFrames = restartFrames
        var config = Configuration()
        config.busyMode = .timeout(30)
        connection = try DatabaseQueue(path: path, configuration: config)
    }

    /// Notes a commit; starts the loop unless it is running.
    func committed() {
        state.withLock { s in
            s.dirty = true
            guard s.task == nil, !s.closed else { return }
            s.task = Task.detached { await self.loop() }
        }
    }

    private func loop() async {
        while true {
            // Cancelled by close(): the state says to stop.
            try? await Task.sleep(for: Self.period)
            let go = state.withLock { s -> Bool in
                guard s.dirty, !s.closed else {
                    s.task = nil
                    return false
                }
                s.dirty = false
                return true
            }
            guard go else { return }
            // A failed checkpoint leaves the log as it is: the next one (or the last
            // connection's close) copies it.
            if let frames = try? await connection.writeWithoutTransaction({ db in try Self.checkpoint(db) }) {
                logFrames.store(frames, ordering: .relaxed)
            }
        }
    }

    /// A PASSIVE checkpoint on `db`; the log's size in frames.
    static func checkpoint(_ db: Database) throws -> Int {
        guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") else { return 0 }
        return max(0, row[1] as Int? ?? 0)
    }

    /// Whether the log has grown past `restartFrames` (and the writer should checkpoint);
    /// resets the count.
    func takeRestart() -> Bool {
        guard logFrames.load(ordering: .relaxed) > restartFrames else { return false }
        logFrames.store(0, ordering: .relaxed)
        return true
    }

    /// A checkpoint now, after any under way (for the writer, between its transactions).
    func checkpointNow() async {
        if let frames = try? await connection.writeWithoutTransaction({ db in try Self.checkpoint(db) }) {
            logFrames.store(frames, ordering: .relaxed)
        }
    }

    /// Stops the loop (after a checkpoint under way) and closes the connection.
    func close() async {
        let task = state.withLock { s -> Task<Void, Never>? in
            s.closed = true
            return s.task
        }
        task?.cancel()
        await task?.value
        try? connection.close()
    }
}
