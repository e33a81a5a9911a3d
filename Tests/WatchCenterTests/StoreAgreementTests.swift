import Foundation
import Sensor
import Testing
import WatchCenterTestSupport
import WatchCenter
import WormWatchCore

/// Many random batches — several sensors, families, out-of-order times, retries — applied to
/// each store, through two stores on the same database (as two servers, or a server and a
/// command), some at once (one commit group), with reads in between that fold what SQLite
/// keeps pending; every aggregate compared with a naive model that keeps every line and counts
/// from scratch.
@Suite struct StoreAgreementTests {
    struct Line {
        var sensor: String
        var family: String
        var source: UInt32
        var time: Int64
        var isEvent: Bool
    }

    /// The naive model.
    struct Model {
        var lines: [Line] = []
        var counts: [(sensor: String, count: MonitorCount)] = []

        func series(family: String, sensor: String?, minutes: Range<Int64>) -> [SeriesPoint] {
            let mine = lines.filter { $0.family == family && (sensor == nil || $0.sensor == sensor) }
            let myCounts = counts.filter { $0.count.family == family && (sensor == nil || $0.sensor == sensor) }
            var firstSeen: [UInt32: Int64] = [:]
            for l in mine where l.source != 0 { firstSeen[l.source] = min(firstSeen[l.source] ?? .max, l.time) }
            var points: [SeriesPoint] = []
            var cumulative: Int64 = Int64(firstSeen.values.filter { $0 / Make.minute < minutes.lowerBound }.count)
                + myCounts.filter { $0.count.startNanoseconds / Make.minute < minutes.lowerBound }.reduce(0) { $0 + $1.count.unnamedNewSources }
            for m in minutes {
                let inMinute = mine.filter { $0.isEvent && $0.time / Make.minute == m }
                let countsHere = myCounts.filter { $0.count.startNanoseconds / Make.minute == m }.map(\.count)
                let new = Int64(firstSeen.values.filter { $0 / Make.minute == m }.count) + countsHere.reduce(0) { $0 + $1.unnamedNewSources }
                cumulative += new
                points.append(
                    SeriesPoint(
                        startNanoseconds: m * Make.minute, events: Int64(inMinute.count), probes: countsHere.reduce(0) { $0 + $1.probes },
                        peakMinuteSources: Int64(Set(inMinute.map(\.source).filter { $0 != 0 }).count) + countsHere.reduce(0) { $0 + $1.distinctSources },
                        newSources: new, cumulativeSources: cumulative))
            }
            return points
        }

        func sources() -> [SourceRecord] {
            var by: [String: SourceRecord] = [:]
            for l in lines where l.source != 0 {
                let key = "\(l.family) \(l.source)"
                var r = by[key] ?? SourceRecord(family: l.family, source: l.source, firstSeenNanoseconds: .max, lastSeenNanoseconds: .min, events: 0, sensors: [])
                r.firstSeenNanoseconds = min(r.firstSeenNanoseconds, l.time)
                r.lastSeenNanoseconds = max(r.lastSeenNanoseconds, l.time)
                if l.isEvent { r.events += 1 }
                if !r.sensors.contains(l.sensor) { r.sensors = (r.sensors + [l.sensor]).sorted() }
                by[key] = r
            }
            return by.values.sorted { ($0.firstSeenNanoseconds, $0.family, $0.source) < ($1.firstSeenNanoseconds, $1.family, $1.source) }
        }
    }

    /// xorshift: a fixed, portable sequence.
    struct Dice {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
    }

    @Test(arguments: Backend.available)
    func randomBatchesAgreeWithTheNaiveModel(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = f.store
            let other = try await f.location.open()
            let stores = [store, other]
            let names = ["caida", "isc", "sans"]
            var sensors: [String: SensorRecord] = [:]
            for n in names { sensors[n] = try await Make.sensor(store, n) }
            let families = ["code-red-v2", "nimda"]
            var dice = Dice(state: 0x9E37_79B9_7F4A_7C15)
            var model = Model()
            var sent: [(sensor: String, key: String, batch: IngestBatch)] = []
            let start = Make.day + 600 * Make.minute
            for b in 0..<40 {
                let sensor = names[dice.next(names.count)]
                var batch = IngestBatch()
                var lines: [Line] = []
                for _ in 0..<(1 + dice.next(60)) {
                    let family = families[dice.next(2)]
                    let source = dice.next(10) == 0 ? 0 : UInt32(0x0C00_0000 + dice.next(80))
                    let time = start + Int64(dice.next(180 * 60)) * 1_000_000_000 + Int64(dice.next(1_000))
                    batch.events.append(Make.event(family, source: source, at: time))
                    lines.append(Line(sensor: sensor, family: family, source: source, time: time, isEvent: true))
                }
                if dice.next(3) == 0 {
                    let family = families[dice.next(2)]
                    let minuteStart = start + Int64(dice.next(180)) * Make.minute
                    var fresh: [MonitorCount.NewSource] = []
                    var used = Set<UInt32>()
                    for _ in 0..<dice.next(4) {
                        let s = UInt32(0x0C00_0000 + dice.next(80))
                        guard used.insert(s).inserted else { continue }
                        let t = minuteStart + Int64(dice.next(60)) * 1_000_000_000
                        fresh.append(MonitorCount.NewSource(source: s, firstSeenNanoseconds: t))
                        lines.append(Line(sensor: sensor, family: family, source: s, time: t, isEvent: false))
                    }
                    let distinct = Int64(fresh.count + dice.next(3))
                    let count = MonitorCount(
                        family: family, startNanoseconds: minuteStart, seconds: 60, probes: Int64(10 + dice.next(50)), distinctSources: distinct,
                        newSources: fresh, newSourceCount: min(distinct, Int64(fresh.count + dice.next(2))))
                    batch.counts.append(count)
                    model.counts.append((sensor, count))
                }
                model.lines += lines
                let key = "b\(b)"
                let through = stores[dice.next(2)]
                if dice.next(3) == 0, let earlier = sent.last, earlier.sensor != sensor || earlier.key != key {
                    // Two batches at once; this one and a retry of the last, which must replay.
                    let (newBatch, newSensor, retry, retrySensor) = (batch, sensors[sensor]!, earlier, sensors[earlier.sensor]!)
                    async let a = Make.ingest(through, newBatch, sensor: newSensor, key: key)
                    async let b = Make.ingest(through, retry.batch, sensor: retrySensor, key: retry.key)
                    let (first, second) = try await (a, b)
                    #expect(!first.replayed && second.replayed)
                } else {
                    try await Make.ingest(through, batch, sensor: sensors[sensor]!, key: key)
                }
                sent.append((sensor, key, batch))
                if dice.next(5) == 0 { _ = try await stores[dice.next(2)].sources(SourcesQuery(limit: 1)) }
                // Now and then a retry of an earlier batch: applied once.
                if dice.next(4) == 0, let again = sent.randomElement(using: &dice) {
                    #expect(try await Make.ingest(store, again.batch, sensor: sensors[again.sensor]!, key: again.key).replayed)
                }
            }
            let minutes = Make.day / Make.minute + 590..<(Make.day / Make.minute + 800)
            for family in families {
                for sensor in [nil] + names {
                    let query = SeriesQuery(
                        family: family, sensor: sensor, fromNanoseconds: minutes.lowerBound * Make.minute,
                        toNanoseconds: minutes.upperBound * Make.minute, stepSeconds: 60)
                    let stored = try await store.series(query)
                    let expected = model.series(family: family, sensor: sensor, minutes: minutes)
                    #expect(stored == expected, "\(family) \(sensor ?? "all sensors"): first difference at \(Array(zip(stored, expected)).firstIndex { $0.0 != $0.1 } ?? -1)")
                }
            }
            var all: [SourceRecord] = []
            var cursor: SourceCursor?
            repeat {
                let page = try await store.sources(SourcesQuery(limit: 37, after: cursor))
                all += page.sources
                cursor = page.next
            } while cursor != nil
            #expect(all == model.sources())
            // Raw events: in (time, order stored) order, through small pages, per family and sensor.
            let stored = model.lines.enumerated().filter { $0.element.isEvent }.sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            for family in [nil] + families {
                for sensor in [nil] + names {
                    var got: [StoredEvent] = []
                    var query = EventsQuery(fromNanoseconds: start, toNanoseconds: start + 200 * Make.minute, family: family, sensor: sensor, limit: 13)
                    while true {
                        let page = try await stores[got.count % 2].events(query)
                        got += page
                        guard page.count == query.limit, let last = page.last else { break }
                        query.after = (last.event.timeNanoseconds, last.id)
                    }
                    let expected = stored.filter { (family == nil || $0.family == family) && (sensor == nil || $0.sensor == sensor) }
                    #expect(got.map { [$0.sensor, $0.event.family, "\($0.event.source)", "\($0.event.timeNanoseconds)"] }
                            == expected.map { [$0.sensor, $0.family, "\($0.source)", "\($0.time)"] }, "\(family ?? "all") \(sensor ?? "all")")
                }
            }
            await other.close()
        }
    }
}

extension StoreAgreementTests.Dice: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        _ = next(2)
        return state
    }
}
