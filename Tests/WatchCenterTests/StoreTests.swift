import Foundation
import Sensor
import Testing
import WatchCenterTestSupport
import WatchCenter
import WormWatchCore
import WormWatchTestSupport

/// Checks that the PostgreSQL half is not silently skipped where it must run.
@Suite struct PostgresAvailabilityTests {
    @Test func postgresIsConfiguredWhereRequired() {
        if ExternalTool.isCI {
            #expect(Backend.postgresURL != nil, "CI=true: .ci/run must start PostgreSQL and set WORMWATCH_TEST_POSTGRES_URL")
        } else if Backend.postgresURL == nil {
            print("note: PostgreSQL half of the store suite not run: set WORMWATCH_TEST_POSTGRES_URL (scripts/postgres-for-tests start)")
        }
    }
}

/// The storage protocol's promises, checked on both implementations.
@Suite struct StoreTests {
    @Test(arguments: Backend.available)
    func sensorsAreRegisteredListedAndRevoked(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let a = try await Make.sensor(store, "isc", monitors: "44.0.0.0/8,192.0.2.0/24")
            #expect(a.monitors.map(\.description) == ["44.0.0.0/8", "192.0.2.0/24"])
            #expect(a.monitoredAddresses == 16_777_216 + 256)
            _ = try await Make.sensor(store, "caida")
            #expect(try await store.sensors().map(\.name) == ["caida", "isc"])
            #expect(try await store.sensor(tokenHash: SensorToken.hash(of: "token-isc"))?.name == "isc")
            #expect(try await store.sensor(tokenHash: SensorToken.hash(of: "nobody")) == nil)
            await #expect(throws: StoreError.sensorExists(name: "isc")) { try await Make.sensor(store, "isc") }
            await #expect(throws: StoreError.invalidSensorName(name: "a b")) { try await Make.sensor(store, "a b") }
            let revoked = try await store.revokeSensor(name: "isc", now: Make.now + 5)
            #expect(revoked.revokedNanoseconds == Make.now + 5)
            #expect(try await store.sensor(tokenHash: SensorToken.hash(of: "token-isc"))?.isRevoked == true)
            // Revoking twice keeps the first time.
            #expect(try await store.revokeSensor(name: "isc", now: Make.now + 9).revokedNanoseconds == Make.now + 5)
            await #expect(throws: StoreError.unknownSensor(name: "isx", suggestion: "isc")) { try await store.revokeSensor(name: "isx", now: Make.now) }
        }
    }

    @Test(arguments: Backend.available)
    func aBatchFillsTheAggregates(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            let s1 = Make.address("12.0.0.1"), s2 = Make.address("12.0.0.2")
            let t = Make.day + 600 * Make.minute  // 10:00
            let batch = IngestBatch(
                events: [
                    Make.event(source: s1, at: t + 1), Make.event(source: s1, at: t + 2), Make.event(source: s2, at: t + Make.minute + 5),
                    Make.event("code-red-ii", source: s1, at: t + 3), Make.event(source: 0, at: t + 4),
                ],
                counts: [
                    MonitorCount(
                        family: "code-red-v2", startNanoseconds: t + 2 * Make.minute, seconds: 60, probes: 40, distinctSources: 3,
                        newSources: [MonitorCount.NewSource(source: Make.address("12.0.0.3"), firstSeenNanoseconds: t + 2 * Make.minute + 7)])
                ])
            let receipt = try await Make.ingest(store, batch, sensor: isc, key: "b1")
            #expect(receipt.events == 5 && receipt.observations == 1 && receipt.newSources == 4 && !receipt.replayed)
            let families = try await store.families()
            #expect(families.map(\.family) == ["code-red-ii", "code-red-v2"])
            let v2 = try #require(families.last)
            #expect(v2.sources == 3 && v2.events == 4 && v2.probes == 40)
            #expect(v2.firstNanoseconds == t && v2.lastNanoseconds == t + 2 * Make.minute)
            let points = try await store.series(Make.wholeDay())
            #expect(points.count == 1_440)
            let at10 = points[600], at1001 = points[601], at1002 = points[602]
            #expect((at10.events, at10.peakMinuteSources, at10.newSources, at10.cumulativeSources) == (3, 1, 1, 1))
            #expect((at1001.events, at1001.peakMinuteSources, at1001.newSources, at1001.cumulativeSources) == (1, 1, 1, 2))
            #expect((at1002.probes, at1002.peakMinuteSources, at1002.newSources, at1002.cumulativeSources) == (40, 3, 1, 3))
            #expect(points.last?.cumulativeSources == 3)
            // Hourly steps add events and new sources and keep the busiest minute's sources.
            let hourly = try await store.series(Make.wholeDay(step: 3_600))
            #expect(hourly.count == 24)
            #expect((hourly[10].events, hourly[10].probes, hourly[10].newSources, hourly[10].peakMinuteSources) == (4, 40, 3, 3))
            // The per-sensor series is the same with one sensor.
            #expect(try await store.series(Make.wholeDay(sensor: "isc")) == points)
            let sensor = try #require(try await store.sensors().first)
            #expect((sensor.batches, sensor.events, sensor.observations, sensor.lastBatchNanoseconds) == (1, 5, 1, Make.now))
            let page = try await store.sources(SourcesQuery(family: "code-red-v2"))
            #expect(page.sources.map { IPv4Address($0.source).description } == ["12.0.0.1", "12.0.0.2", "12.0.0.3"])
            #expect(page.sources[0].events == 2 && page.sources[0].firstSeenNanoseconds == t + 1 && page.sources[0].lastSeenNanoseconds == t + 2)
            #expect(page.sources.allSatisfy { $0.sensors == ["isc"] })
            #expect(page.next == nil)
        }
    }

    @Test(arguments: Backend.available)
    func aRetriedBatchIsAppliedOnce(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            let batch = IngestBatch(events: (0..<50).map { Make.event(source: UInt32(0x0C00_0000 + $0 % 20), at: Make.day + Int64($0) * 1_000_000_000) })
            let first = try await Make.ingest(store, batch, sensor: isc, key: "batch-7")
            let series = try await store.series(Make.wholeDay())
            let again = try await Make.ingest(store, batch, sensor: isc, key: "batch-7")
            #expect(again.replayed && !first.replayed)
            #expect(IngestReceipt(key: again.key, events: again.events, observations: again.observations, newSources: again.newSources,
                                  receivedNanoseconds: again.receivedNanoseconds, replayed: false) == first)
            #expect(again.json() == first.json())
            #expect(try await store.series(Make.wholeDay()) == series)
            #expect(try await store.sensors().first?.batches == 1)
            #expect(try await store.events(EventsQuery(fromNanoseconds: Make.day, toNanoseconds: Make.day + 86_400_000_000_000)).count == 50)
            // The same key with another body is refused, and changes nothing.
            var other = batch
            other.events.removeLast()
            await #expect(throws: StoreError.keyReused(key: "batch-7")) { try await Make.ingest(store, other, sensor: isc, key: "batch-7") }
            // Keys are per sensor: another sensor may use the same key.
            let caida = try await Make.sensor(store, "caida")
            #expect(try await Make.ingest(store, batch, sensor: caida, key: "batch-7").replayed == false)
        }
    }

    @Test(arguments: Backend.available)
    func concurrentBatchesAndRetriesApplyOnceEach(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            var batches: [IngestBatch] = []
            for b in 0..<10 {
                var events: [SensorEvent] = []
                for i in 0..<30 {
                    let source = UInt32(0x0C00_0000 + b * 7 + i % 11)
                    events.append(Make.event(source: source, at: Make.day + Int64(b * 30 + i) * 1_000_000_000))
                }
                batches.append(IngestBatch(events: events))
            }
            // Each batch four times at once: applied once, three replays, whatever the order.
            let receipts = try await withThrowingTaskGroup(of: IngestReceipt.self) { group in
                for round in 0..<4 {
                    for (b, batch) in batches.enumerated() {
                        _ = round
                        group.addTask { try await Make.ingest(store, batch, sensor: isc, key: "k\(b)") }
                    }
                }
                var all: [IngestReceipt] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(receipts.count == 40 && receipts.filter { !$0.replayed }.count == 10)
            let sensor = try #require(try await store.sensors().first)
            #expect(sensor.batches == 10 && sensor.events == 300)
            #expect(try await store.series(Make.wholeDay()).reduce(0) { $0 + $1.events } == 300)
            #expect(try await store.families().first?.sources == Int64(Set(batches.flatMap { $0.events.map(\.source) }).count))
        }
    }

    @Test(arguments: Backend.available)
    func aSourceSeenByTwoSensorsCountsOnceTogether(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            let caida = try await Make.sensor(store, "caida", monitors: "192.0.2.0/24")
            let s = Make.address("12.0.0.1")
            let t = Make.day + 60 * Make.minute
            try await Make.ingest(store, IngestBatch(events: [Make.event(source: s, at: t + 5 * Make.minute)]), sensor: isc, key: "a")
            // caida saw it earlier: the first sighting moves back for all sensors together.
            let receipt = try await Make.ingest(store, IngestBatch(events: [Make.event(source: s, at: t)]), sensor: caida, key: "a")
            #expect(receipt.newSources == 0)
            let all = try await store.series(Make.wholeDay())
            #expect(all[60].newSources == 1 && all[65].newSources == 0 && all.last?.cumulativeSources == 1)
            #expect(all[60].peakMinuteSources == 1 && all[65].peakMinuteSources == 1)
            let own = try await store.series(Make.wholeDay(sensor: "isc"))
            #expect(own[65].newSources == 1 && own.last?.cumulativeSources == 1)
            let theirs = try await store.series(Make.wholeDay(sensor: "caida"))
            #expect(theirs[60].newSources == 1 && theirs.last?.cumulativeSources == 1)
            let page = try await store.sources(SourcesQuery())
            #expect(page.sources.count == 1 && page.sources[0].sensors == ["caida", "isc"] && page.sources[0].firstSeenNanoseconds == t)
            #expect(try await store.families().first?.sources == 1)
        }
    }

    @Test(arguments: Backend.available)
    func sourcesComeInStablePages(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            var events: [SensorEvent] = []
            for i in 0..<250 {
                // Ties in first-seen time are ordered by family, then address.
                let time = Make.day + Int64(i / 3) * 1_000_000_000
                events.append(Make.event(i % 2 == 0 ? "code-red-v2" : "code-red-ii", source: UInt32(0x0D00_0000 + (i * 7919) % 100_000), at: time))
            }
            try await Make.ingest(store, IngestBatch(events: events), sensor: isc, key: "k")
            var seen: [SourceRecord] = []
            var cursor: SourceCursor?
            var pages = 0
            repeat {
                let page = try await store.sources(SourcesQuery(limit: 100, after: cursor))
                seen += page.sources
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3 && seen.count == 250)
            let keys = seen.map { ($0.firstSeenNanoseconds, $0.family, $0.source) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
            // A cursor survives its text form.
            let c = try #require(seen.first?.cursor)
            #expect(SourceCursor(text: c.text) == c)
            #expect(SourceCursor(text: "not-a-cursor!") == nil)
            // One family, and a start time.
            let v2 = try await store.sources(SourcesQuery(family: "code-red-v2", limit: 1_000))
            #expect(v2.sources.count == 125 && v2.sources.allSatisfy { $0.family == "code-red-v2" })
            let late = try await store.sources(SourcesQuery(sinceNanoseconds: Make.day + 80 * 1_000_000_000, limit: 1_000))
            #expect(late.sources.count == 250 - 240)
        }
    }

    @Test(arguments: Backend.available)
    func eventsAreExportedInTimeOrderAndPruned(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let isc = try await Make.sensor(store, "isc")
            let hour: Int64 = 3_600 * 1_000_000_000
            let events = (0..<300).map { Make.event(source: UInt32(0x0C00_0000 + $0), at: Make.day + Int64(299 - $0) * hour, record: $0 + 1) }
            try await Make.ingest(store, IngestBatch(events: events), sensor: isc, key: "k")
            var out: [StoredEvent] = []
            var query = EventsQuery(fromNanoseconds: Make.day, toNanoseconds: Make.day + 400 * hour, limit: 64)
            while true {
                let page = try await store.events(query)
                out += page
                guard page.count == query.limit, let last = page.last else { break }
                query.after = (last.event.timeNanoseconds, last.id)
            }
            #expect(out.count == 300)
            #expect(out.map(\.event) == events.sorted { $0.timeNanoseconds < $1.timeNanoseconds })
            #expect(out.allSatisfy { $0.sensor == "isc" })
            let before = try await store.series(Make.wholeDay())
            // Keep 5 days before the newest event (299 h): events older than 179 h go.
            let deleted = try await store.pruneRawEvents(keepingDays: 5)
            #expect(deleted == 179)
            #expect(try await store.events(EventsQuery(fromNanoseconds: Make.day, toNanoseconds: Make.day + 400 * hour)).count == 121)
            #expect(try await store.series(Make.wholeDay()) == before)
            #expect(try await store.storageBytes() > 0)
            await #expect(throws: StoreError.unknownSensor(name: "isx", suggestion: "isc")) {
                try await store.events(EventsQuery(fromNanoseconds: Make.day, toNanoseconds: Make.day + hour, sensor: "isx"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func theSchemaIsVersionedAndANewerOneRefused(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let isc = try await Make.sensor(f.store, "isc")
            try await Make.ingest(f.store, IngestBatch(events: [Make.event(source: 1, at: Make.day)]), sensor: isc, key: "k")
            // Opening again migrates nothing and keeps the data.
            let again = try await f.location.open()
            #expect(try await again.sensors().map(\.name) == ["isc"])
            await again.close()
            try await SchemaTamper.markNewer(f.location)
            await #expect(throws: StoreError.self) { _ = try await f.location.open() }
            do {
                _ = try await f.location.open()
            } catch let error as StoreError {
                guard case .schemaTooNew(_, let found, let known) = error else {
                    Issue.record("expected schemaTooNew, got \(error)")
                    return
                }
                #expect(found > known && known == (backend == .sqlite ? StoreSchema.sqlite : StoreSchema.postgres))
            }
        }
    }

    @Test("top sources (most events, then earliest) and /16 prefixes (most sources) match a count in Swift", arguments: Backend.available)
    func topSources(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let a = try await Make.sensor(f.store, "a"), b = try await Make.sensor(f.store, "b", monitors: "45.0.0.0/8")
            var rng = SplitMix64(seed: 11)
            var events: [SensorEvent] = []
            // 4,000 events from 900 sources in 40 /16s, a few prefixes and sources far busier.
            for i in 0..<4_000 {
                let prefix = UInt32(rng.below(40) < 10 ? rng.below(3) : rng.below(40))
                let host = UInt32(rng.below(6) == 0 ? rng.below(4) : rng.below(40))
                let source = (12 + prefix) << 24 | prefix << 16 | host
                events.append(Make.event(source: source, at: Make.day + Int64(i) * 1_000_000_000 + Int64(rng.below(1_000_000))))
            }
            for (i, chunk) in stride(from: 0, to: events.count, by: 500).enumerated() {
                try await Make.ingest(f.store, IngestBatch(events: Array(events[chunk..<chunk + 500])), sensor: i % 2 == 0 ? a : b, key: "k\(i)")
            }
            var perSource: [UInt32: (events: Int64, first: Int64, last: Int64)] = [:]
            for e in events {
                let old = perSource[e.source] ?? (0, .max, .min)
                perSource[e.source] = (old.events + 1, min(old.first, e.timeNanoseconds), max(old.last, e.timeNanoseconds))
            }
            let expectedSources = perSource.sorted { x, y in
                x.value.events != y.value.events ? x.value.events > y.value.events
                    : x.value.first != y.value.first ? x.value.first < y.value.first : x.key < y.key
            }.prefix(10).map { TopSources.Source(source: $0.key, events: $0.value.events, firstSeenNanoseconds: $0.value.first, lastSeenNanoseconds: $0.value.last) }
            var perPrefix: [UInt32: Int64] = [:]
            for s in perSource.keys { perPrefix[s & 0xFFFF_0000, default: 0] += 1 }
            let expectedPrefixes = perPrefix.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(10).map { TopSources.Prefix(network: $0.key, sources: $0.value) }
            let top = try await f.store.topSources(family: "code-red-v2", limit: 10)
            #expect(top.sources == Array(expectedSources))
            #expect(top.prefixes == Array(expectedPrefixes))
            #expect((top.prefixes.first?.sources ?? 0) > (top.prefixes.last?.sources ?? 0))
            let none = try await f.store.topSources(family: "slammer", limit: 10)
            #expect(none.sources.isEmpty && none.prefixes.isEmpty)
        }
    }
}
