import AsyncHTTPClient
import Foundation
import NIOCore
import Sensor
import Synchronization
import WatchCenter

/// `center-load ingest URL --token T`: POSTs pre-built batches with C connections, each batch
/// with its own Idempotency-Key, until the batches run out or `--seconds` have passed.
enum IngestLoad {
    static func run(_ o: Options) async throws {
        guard let url = o.words.first else { throw Failure("ingest URL --token TOKEN [--batches N] [--lines N] [--concurrency C] [--seconds S] [--seed S]") }
        let base = try Loopback.check(url)
        guard let token = o.string("token") else { throw Failure("ingest: --token is required") }
        let batches = try o.int("batches", 1_000)
        let lines = try o.int("lines", 1_000)
        let concurrency = max(1, try o.int("concurrency", 4))
        let seconds = try o.double("seconds", 0)
        let seed = UInt64(try o.int("seed", 1))
        let days = try o.int("days", 30)
        let runID = o.string("run") ?? String(UInt32.random(in: 0...UInt32.max), radix: 16)

        log("center-load: building \(batches) batches of \(lines) events (seed \(seed), \(days) days)")
        let built = ContinuousClock.now
        let events = EventWorkload(batches: batches, lines: lines, days: days, seed: seed).make()
        let bodies: [ByteBuffer] = events.map { batch in
            var out: [UInt8] = []
            out.reserveCapacity(batch.count * 340)
            for e in batch { EventNDJSON.append(e, to: &out) }
            return ByteBuffer(bytes: out)
        }
        let bytes = bodies.reduce(0) { $0 + $1.readableBytes }
        log("center-load: \(bytes / 1_000_000) MB of NDJSON built in \(String(format: "%.1f", (ContinuousClock.now - built).seconds)) s; sending with \(concurrency) connections")

        let client = makeClient(connections: concurrency)
        let next = Counter()
        let endpoint = base + "/api/v1/observations"
        let start = ContinuousClock.now
        let deadline = seconds > 0 ? start + .milliseconds(Int64(seconds * 1000)) : nil
        let results = await withTaskGroup(of: (Latencies, Int, String?).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies = Latencies()
                    var sent = 0
                    while true {
                        if let deadline, ContinuousClock.now >= deadline { break }
                        let index = next.take()
                        guard index < bodies.count else { break }
                        var request = HTTPClientRequest(url: endpoint)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Idempotency-Key", value: "bench-\(runID)-\(index)")
                        request.headers.add(name: "Content-Type", value: "application/x-ndjson")
                        request.body = .bytes(bodies[index])
                        let t0 = ContinuousClock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(600))
                            let body = try await response.body.collect(upTo: 1 << 20)
                            guard response.status == .ok else {
                                return (latencies, sent, "batch \(index): HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
                            }
                        } catch {
                            return (latencies, sent, "batch \(index): \(error)")
                        }
                        latencies.values.append((ContinuousClock.now - t0).seconds)
                        sent += 1
                    }
                    return (latencies, sent, nil)
                }
            }
            var all: [(Latencies, Int, String?)] = []
            for await r in group { all.append(r) }
            return all
        }
        let wall = (ContinuousClock.now - start).seconds
        // Work a store defers past the acknowledgements (SQLite folds its pending sources into
        // the tables now and then) is done before a sources page is answered: "settled" is the
        // time until then, so a skeptic can see what the acknowledgement rate leaves out.
        var settled = wall
        if results.allSatisfy({ $0.2 == nil }) {
            var request = HTTPClientRequest(url: base + "/api/v1/sources?limit=1")
            request.method = .GET
            if let response = try? await client.execute(request, timeout: .seconds(600)), response.status == .ok {
                _ = try? await response.body.collect(upTo: 1 << 20)
                settled = (ContinuousClock.now - start).seconds
            }
        }
        try? await client.shutdown()
        if let problem = results.compactMap(\.2).first { throw Failure("ingest: \(problem)", status: 69) }
        var latencies = Latencies()
        for r in results { latencies.values += r.0.values }
        let sent = results.reduce(0) { $0 + $1.1 }
        let observations = sent * lines
        let rate = Double(observations) / wall
        print("ingest: \(sent) batches of \(lines) lines, \(observations) observations in \(String(format: "%.2f", wall)) s with \(concurrency) connections")
        print("  \(String(format: "%.0f", rate)) observations/s; batch latency p50 \(ms(latencies.percentile(0.5))) ms, p99 \(ms(latencies.percentile(0.99))) ms, max \(ms(latencies.max)) ms")
        print("  settled (a sources page answered after the last batch): \(String(format: "%.2f", settled)) s, \(String(format: "%.0f", Double(observations) / settled)) observations/s")
        print(
            "RESULT mode=ingest batches=\(sent) lines=\(lines) observations=\(observations) concurrency=\(concurrency) seconds=\(String(format: "%.3f", wall)) "
                + "observations_per_second=\(String(format: "%.0f", rate)) p50_ms=\(ms(latencies.percentile(0.5))) p99_ms=\(ms(latencies.percentile(0.99))) max_ms=\(ms(latencies.max)) body_bytes=\(bytes) "
                + "settled_seconds=\(String(format: "%.3f", settled)) settled_observations_per_second=\(String(format: "%.0f", Double(observations) / settled))")
    }
}

/// `center-load rows --batches N --lines L --seed S --out FILE`: the same events as `ingest`
/// with the same options, as CSV rows of the `events` table, for the peers.
enum RowsFile {
    static func run(_ o: Options) throws {
        guard let path = o.string("out") else { throw Failure("rows --out FILE [--batches N] [--lines N] [--seed S] [--sensor-id N]") }
        let events = EventWorkload(
            batches: try o.int("batches", 1_000), lines: try o.int("lines", 1_000), days: try o.int("days", 30), seed: UInt64(try o.int("seed", 1))
        ).make()
        let csv = EventWorkload.csv(events, sensorID: Int64(try o.int("sensor-id", 1)))
        guard FileManager.default.createFile(atPath: path, contents: Data(csv)) else { throw Failure("rows: cannot write \(path)", status: 73) }
        log("center-load: \(events.reduce(0) { $0 + $1.count }) rows written to \(path)")
    }
}

/// The next batch to send, shared by the connections.
final class Counter: Sendable {
    private let value = Mutex(0)

    func take() -> Int {
        value.withLock { v in
            defer { v += 1 }
            return v
        }
    }
}
