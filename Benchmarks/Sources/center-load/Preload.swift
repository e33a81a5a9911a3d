import Foundation
import Logging
import Sensor
import WatchCenter
import WormWatchCore

/// `center-load preload (--data DIR | --database URL) --sources N --days D --events E`: fills a
/// store in-process (no HTTP: the store's own `ingest`, the same code the server runs, in big
/// batches) with a month of an outbreak:
/// - a telescope sensor ("telescope", 44.0.0.0/8) reports per family and minute its probes,
///   distinct sources and new sources (`wormwatch.observation/1` counts): N sources in all,
///   arriving as a logistic wave (middle on day 12, scale 1.5 days) over a 20 % constant
///   background, one batch per day;
/// - a web server sensor ("web", 44.1.0.0/16) logs E Code Red–like events spread over the month
///   from sources the telescope has already seen, one batch per day.
enum Preload {
    static func run(_ o: Options) async throws {
        let location = try o.store(usage: "preload (--data DIR | --database URL) [--sources N] [--days D] [--events E] [--seed S]")
        let total = try o.int("sources", 5_000_000)
        let days = max(1, try o.int("days", 30))
        let eventCount = try o.int("events", 1_000_000)
        var rng = SplitMix64(seed: UInt64(try o.int("seed", 11)))
        let minutes = days * 1_440

        // New sources per minute: the wave's increments, scaled to `total` exactly.
        let middle = 12.0 / 30.0 * Double(minutes)
        let scale = 1.5 * 1_440 * Double(days) / 30
        func wave(_ m: Double) -> Double { 1 / (1 + exp(-(m - middle) / scale)) }
        var weights = (0..<minutes).map { m in 0.8 * (wave(Double(m + 1)) - wave(Double(m))) + 0.2 / Double(minutes) }
        let sum = weights.reduce(0, +)
        weights = weights.map { $0 / sum }
        var perMinute = [Int](repeating: 0, count: minutes)
        var carry = 0.0
        for m in 0..<minutes {
            carry += weights[m] * Double(total)
            perMinute[m] = Int(carry.rounded(.down)) - perMinute[..<m].reduce(0, +)
        }
        perMinute[minutes - 1] += total - perMinute.reduce(0, +)

        // The sources, in order of arrival, distinct; each with its family and first-seen time.
        let t0 = ContinuousClock.now
        var addresses: [UInt32] = []
        var kinds: [UInt8] = []
        var firstSeen: [Int64] = []
        var before = [Int](repeating: 0, count: minutes + 1)
        addresses.reserveCapacity(total)
        kinds.reserveCapacity(total)
        firstSeen.reserveCapacity(total)
        var taken = Set<UInt32>(minimumCapacity: total)
        for m in 0..<minutes {
            before[m] = addresses.count
            let start = Month.startNanoseconds + Int64(m) * Month.minute
            var times = (0..<perMinute[m]).map { _ in start + Int64(rng.below(Int(Month.minute))) }
            times.sort()
            for t in times {
                var a = rng.address()
                while !taken.insert(a).inserted { a = rng.address() }
                addresses.append(a)
                kinds.append(UInt8(WormKind.draw(&rng)))
                firstSeen.append(t)
            }
        }
        before[minutes] = addresses.count
        taken = []
        log("center-load: preload: \(addresses.count) sources drawn in \(String(format: "%.1f", (ContinuousClock.now - t0).seconds)) s")

        var logger = Logger(label: "center-load")
        logger.logLevel = .warning
        let store = try await location.open(logger: logger)
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let (telescope, _) = try await SensorRegistration.register(
            name: "telescope", monitors: [IPv4Prefix(base: 0x2C00_0000, length: 8)], in: store, now: now)
        let (web, _) = try await SensorRegistration.register(
            name: "web", monitors: [IPv4Prefix(base: 0x2C01_0000, length: 16)], in: store, now: now)
        let servers: [UInt32] = (0..<64).map { _ in 0x2C01_0000 | (UInt32(truncatingIfNeeded: rng.next()) & 0xFFFF) | 1 }

        let started = ContinuousClock.now
        var stored = 0
        var storedEvents = 0
        var line = 0
        for d in 0..<days {
            // The telescope's day: per minute and family, the counts and the new sources.
            var counts: [MonitorCount] = []
            for m in (d * 1_440)..<((d + 1) * 1_440) {
                let start = Month.startNanoseconds + Int64(m) * Month.minute
                var lists: [[MonitorCount.NewSource]] = [[], [], []]
                for i in before[m]..<before[m + 1] {
                    lists[Int(kinds[i])].append(MonitorCount.NewSource(source: addresses[i], firstSeenNanoseconds: firstSeen[i]))
                }
                // Active sources: a share of those seen so far (infected hosts keep scanning).
                let active = Int64(Double(before[m + 1]) * 0.02)
                for (k, list) in lists.enumerated() {
                    let share = k == 0 ? 0.80 : k == 1 ? 0.12 : 0.08
                    let distinct = Int64(list.count) + Int64(Double(active) * share)
                    counts.append(
                        MonitorCount(
                            family: WormKind.all[k].family, startNanoseconds: start, seconds: 60, probes: distinct * 3 + Int64(rng.below(5)),
                            distinctSources: distinct, newSources: list))
                }
            }
            let c = try await store.ingest(
                IngestBatch(counts: counts), sensor: telescope, key: "preload-telescope-\(d)", bodyDigest: "preload-telescope-\(d)", now: now)
            stored += c.newSources
            // The web server's day: events from sources seen before them.
            let dayEvents = eventCount / days + (d < eventCount % days ? 1 : 0)
            var events: [SensorEvent] = []
            events.reserveCapacity(dayEvents)
            let dayStart = Month.startNanoseconds + Int64(d) * Month.day
            for i in 0..<dayEvents {
                let t = dayStart + Int64(i) * (Month.day / Int64(max(dayEvents, 1))) + Int64(rng.below(1_000_000_000))
                let m = min(minutes - 1, Int((t - Month.startNanoseconds) / Month.minute))
                let known = before[m]
                guard known > 0 else { continue }
                // Recent arrivals probe most: three times in four one of the last 20,000.
                let index = rng.unit() < 0.75 ? known - 1 - rng.below(min(known, 20_000)) : rng.below(known)
                let kind = WormKind.all[Int(kinds[index])]
                line += 1 + rng.below(40)
                events.append(
                    SensorEvent(
                        timeNanoseconds: t, source: addresses[index], destination: servers[rng.below(servers.count)], destinationPort: 80,
                        transport: .tcp, family: kind.family, ruleID: kind.rule, severity: .high, evidence: kind.evidence, input: "access.log",
                        recordKind: .line, record: line))
            }
            if !events.isEmpty {
                _ = try await store.ingest(IngestBatch(events: events), sensor: web, key: "preload-web-\(d)", bodyDigest: "preload-web-\(d)", now: now)
                storedEvents += events.count
            }
            log(
                "center-load: preload: day \(d + 1)/\(days): \(stored) sources, \(storedEvents) events, "
                    + "\(String(format: "%.0f", (ContinuousClock.now - started).seconds)) s")
        }
        let seconds = (ContinuousClock.now - started).seconds
        let bytes = try await store.storageBytes()
        await store.close()
        print("preload: \(stored) sources and \(storedEvents) events over \(days) days into \(store.description) in \(String(format: "%.1f", seconds)) s (\(bytes / 1_000_000) MB)")
        print("RESULT mode=preload sources=\(stored) events=\(storedEvents) days=\(days) seconds=\(String(format: "%.1f", seconds)) bytes=\(bytes)")
    }
}
