import Foundation
import Logging
import Sensor
import WatchCenter
import WormWatchCore

/// `center-load inprocess (--data DIR | --database URL) [--batches N] [--lines L]`: where an
/// ingest's time goes, without HTTP — the same bodies as `ingest`, first all parsed by
/// `IngestParser` (the server's parser), then stored one after another by the store's
/// `ingest` (one transaction each), each phase timed on its own. For profiling.
enum InProcess {
    static func run(_ o: Options) async throws {
        let location = try o.store(usage: "inprocess (--data DIR | --database URL) [--batches N] [--lines L] [--seed S]")
        let batches = try o.int("batches", 200)
        let lines = try o.int("lines", 1_000)
        let events = EventWorkload(batches: batches, lines: lines, days: try o.int("days", 30), seed: UInt64(try o.int("seed", 1))).make()
        let bodies: [[UInt8]] = events.map { batch in
            var out: [UInt8] = []
            for e in batch { EventNDJSON.append(e, to: &out) }
            return out
        }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let parser = IngestParser()
        var parsed: [IngestBatch] = []
        parsed.reserveCapacity(batches)
        let t0 = ContinuousClock.now
        for body in bodies { parsed.append(try parser.parse(body, now: now)) }
        let parseSeconds = (ContinuousClock.now - t0).seconds

        var logger = Logger(label: "center-load")
        logger.logLevel = .warning
        let store = try await location.open(logger: logger)
        let (sensor, _) = try await SensorRegistration.register(
            name: "inprocess", monitors: [IPv4Prefix(base: 0x2C00_0000, length: 8)], in: store, now: now)
        var latencies = Latencies()
        let t1 = ContinuousClock.now
        for (i, batch) in parsed.enumerated() {
            let s = ContinuousClock.now
            _ = try await store.ingest(batch, sensor: sensor, key: "inprocess-\(i)", bodyDigest: "d\(i)", now: now)
            latencies.values.append((ContinuousClock.now - s).seconds)
        }
        let storeSeconds = (ContinuousClock.now - t1).seconds
        await store.close()
        let n = Double(batches * lines)
        print("inprocess: \(batches) batches of \(lines) lines")
        print("  parse (IngestParser, one thread): \(String(format: "%.3f", parseSeconds)) s, \(String(format: "%.0f", n / parseSeconds)) lines/s, \(String(format: "%.2f", parseSeconds / Double(batches) * 1000)) ms/batch")
        print("  store (\(store.description.hasPrefix("postgres") ? "PostgreSQL" : "SQLite") ingest, one after another): \(String(format: "%.3f", storeSeconds)) s, \(String(format: "%.0f", n / storeSeconds)) observations/s, p50 \(ms(latencies.percentile(0.5))) ms, p99 \(ms(latencies.percentile(0.99))) ms")
        print("RESULT mode=inprocess parse_seconds=\(String(format: "%.3f", parseSeconds)) store_seconds=\(String(format: "%.3f", storeSeconds)) observations=\(Int(n))")
    }
}
