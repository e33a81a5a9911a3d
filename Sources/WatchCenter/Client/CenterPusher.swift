import AsyncHTTPClient
import Foundation
import NIOCore
import Sensor
import Synchronization
import WormWatchCore

/// Sends a sensor's lines to a Watch Center in batches, and loses none: each batch is written
/// to the spool folder (atomically) before it is sent, sent under an `Idempotency-Key` that is
/// its file name, and deleted only when the center has acknowledged it. While the center is
/// unreachable, batches wait in the spool and are retried with backoff, oldest first; a
/// later run sends what an earlier one left. A retried batch the center already has is
/// answered as the first time, so nothing is counted twice.
///
/// Lines come in from any thread (``append(line:)``); sending runs in a task of its own.
public final class CenterPusher: Sendable {
    /// What was sent, and what is left.
    public struct Summary: Sendable, Hashable {
        /// Batches the center acknowledged.
        public var batchesSent = 0
        /// Lines in them.
        public var linesSent = 0
        /// Batches the center had already (acknowledged before a retry).
        public var batchesReplayed = 0
        /// Batches still in the spool (the center unreachable until the end).
        public var batchesPending = 0
        /// Batches the center refused as malformed, moved to `rejected/` in the spool.
        public var batchesRejected = 0
        /// Why sending stopped for good (a revoked sensor, an unknown token), if it did.
        public var fatal: String?
        /// The last transient problem seen (the center unreachable, busy).
        public var lastProblem: String?
    }

    struct Buffer {
        var bytes: [UInt8] = []
        var lines = 0
        var opened: ContinuousClock.Instant?
        var sequence = 0
    }

    public let configuration: PushConfiguration
    let buffer = Mutex(Buffer())
    let state = Mutex(Summary())
    let finishing = Atomic<Bool>(false)
    let runPrefix: String
    let client: HTTPClient

    /// A pusher; creates the spool folder.
    public init(configuration: PushConfiguration) throws(ReportedError) {
        self.configuration = configuration
        do {
            try FileManager.default.createDirectory(atPath: configuration.spoolFolder + "/rejected", withIntermediateDirectories: true)
        } catch {
            throw ReportedError(location: configuration.spoolFolder, reason: "cannot create the spool folder (\(error.localizedDescription))", exitStatus: .cannotCreate)
        }
        var g = SystemRandomNumberGenerator()
        runPrefix = String(format: "%019lld", WallClockTime.nanoseconds()) + "-" + String(g.next() as UInt32, radix: 16)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(60))))
    }

    // MARK: Lines in

    /// Adds one NDJSON line (ending in `\n`).
    public func append(line: some Collection<UInt8>) {
        let sealed: (bytes: [UInt8], name: String)? = buffer.withLock { b in
            if b.opened == nil { b.opened = .now }
            b.bytes.append(contentsOf: line)
            b.lines += 1
            return b.lines >= configuration.batchLines ? take(&b) : nil
        }
        if let sealed { write(sealed) }
    }

    /// Adds one event.
    public func append(_ event: SensorEvent) {
        var out: [UInt8] = []
        EventNDJSON.append(event, to: &out)
        append(line: out)
    }

    /// Adds one monitor count.
    public func append(_ count: MonitorCount) {
        var out: [UInt8] = []
        count.append(to: &out)
        append(line: out)
    }

    private func take(_ b: inout Buffer) -> (bytes: [UInt8], name: String)? {
        guard b.lines > 0 else { return nil }
        b.sequence += 1
        let name = runPrefix + "-" + String(format: "%09d", b.sequence)
        let bytes = b.bytes
        b.bytes = []
        b.lines = 0
        b.opened = nil
        return (bytes, name)
    }

    /// Seals the partial batch into the spool now.
    public func flush() {
        if let sealed = buffer.withLock({ take(&$0) }) { write(sealed) }
    }

    private func flushIfOld() {
        let sealed: (bytes: [UInt8], name: String)? = buffer.withLock { b in
            guard let opened = b.opened, ContinuousClock.now - opened >= configuration.flushInterval else { return nil }
            return take(&b)
        }
        if let sealed { write(sealed) }
    }

    private func write(_ sealed: (bytes: [UInt8], name: String)) {
        let path = configuration.spoolFolder + "/" + sealed.name + ".ndjson"
        do {
            try Data(sealed.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            state.withLock { $0.fatal = "cannot write the spool file \(path): \(error.localizedDescription)" }
        }
    }

    // MARK: Sending

    /// The spool's batches, oldest first.
    public func spooled() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.spoolFolder)) ?? []
        return names.filter { $0.hasSuffix(".ndjson") }.sorted()
    }

    /// Sends until ``finish(within:)`` is called and the spool is empty (or its time is up), or
    /// a fatal answer (401, 403) stops it.
    public func run(deadline: @escaping @Sendable () -> ContinuousClock.Instant?) async {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            if state.withLock({ $0.fatal != nil }) { break }
            flushIfOld()
            guard let next = spooled().first else {
                if finishing.load(ordering: .acquiring) {
                    flush()
                    if spooled().isEmpty { break }
                    continue
                }
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            if let d = deadline(), ContinuousClock.now >= d { break }
            let path = configuration.spoolFolder + "/" + next
            guard let body = FileManager.default.contents(atPath: path) else {
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            let key = String(next.dropLast(".ndjson".count))
            let outcome = await send(body, key: key)
            switch outcome {
            case .accepted(let replayed):
                try? FileManager.default.removeItem(atPath: path)
                let lines = body.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                state.withLock {
                    $0.batchesSent += 1
                    $0.linesSent += lines
                    if replayed { $0.batchesReplayed += 1 }
                }
                backoff = .milliseconds(250)
            case .rejected(let why):
                try? FileManager.default.moveItem(atPath: path, toPath: configuration.spoolFolder + "/rejected/" + next)
                state.withLock {
                    $0.batchesRejected += 1
                    $0.lastProblem = "batch \(key) refused: \(why)"
                }
            case .fatal(let why):
                state.withLock { $0.fatal = why }
            case .retry(let why, let after):
                state.withLock { $0.lastProblem = why }
                let wait = after ?? backoff
                backoff = min(backoff * 2, configuration.maxBackoff)
                if let d = deadline(), ContinuousClock.now + wait >= d { break }
                try? await Task.sleep(for: wait)
            }
        }
        state.withLock { $0.batchesPending = spooled().count }
        flushIfOld()
    }

    enum Outcome {
        case accepted(replayed: Bool)
        case rejected(String)
        case fatal(String)
        case retry(String, after: Duration?)
    }

    func send(_ body: Data, key: String) async -> Outcome {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + configuration.token.text)
        request.headers.add(name: "Idempotency-Key", value: key)
        request.headers.add(name: "Content-Type", value: "application/x-ndjson")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            let message = Self.message(text)
            switch response.status.code {
            case 200..<300: return .accepted(replayed: response.headers.first(name: "Idempotent-Replayed") == "true")
            case 401: return .fatal("the center does not know this sensor's token (401): \(message)")
            case 403: return .fatal("the center refuses this sensor (403): \(message)")
            case 408, 429, 500..<600:
                let after = response.headers.first(name: "Retry-After").flatMap { Int($0) }.map { Duration.seconds(min(max($0, 1), 300)) }
                return .retry("the center answered \(response.status.code): \(message)", after: after)
            default: return .rejected("\(response.status.code): \(message)")
            }
        } catch {
            return .retry("the center is unreachable (\(error))", after: nil)
        }
    }

    static func message(_ body: String) -> String {
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let error = object["error"] as? [String: Any], let message = error["message"] as? String
        else { return String(body.prefix(200)) }
        var parts: [String] = []
        if let line = error["line"] as? Int { parts.append("line \(line)") }
        if let field = error["field"] as? String { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// Stops taking new work: seals the partial batch; ``run(deadline:)`` returns when the spool
    /// is empty or its deadline passes.
    public func finish() {
        flush()
        finishing.store(true, ordering: .releasing)
    }

    /// What happened so far.
    public var summary: Summary { state.withLock { $0 } }

    /// Closes the HTTP client.
    public func shutdown() async {
        try? await client.shutdown()
    }
}

/// The wall clock, for spool file names.
enum WallClockTime {
    static func nanoseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1e9).rounded()) }
}
