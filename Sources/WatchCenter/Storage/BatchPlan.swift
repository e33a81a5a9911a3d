import Sensor
import WormWatchCore
import Synchronization

/// A source of one family: the key of the sources table. The family is kept as its number in
/// ``FamilyNumbers``, so that hashing and comparing a key (done many times a source in ingest)
/// is two integers, not a string.
struct SourceKey: Hashable, Comparable {
    /// The family's number in this process.
    let familyNumber: UInt32
    var source: UInt32

    init(family: String, source: UInt32) {
        familyNumber = FamilyNumbers.shared.number(family)
        self.source = source
    }

    init(familyNumber: UInt32, source: UInt32) {
        self.familyNumber = familyNumber
        self.source = source
    }

    var family: String { FamilyNumbers.shared.name(familyNumber) }

    /// By family number, then source: families together, each in address order (any fixed
    /// order does for the plan; the fold wants each family's sources in order).
    static func < (a: SourceKey, b: SourceKey) -> Bool { (a.familyNumber, a.source) < (b.familyNumber, b.source) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(familyNumber) << 32 | UInt64(source))
    }

    /// What Dictionary and Set hash by: the key's 64 bits mixed with the table's per-process
    /// seed (SplitMix64's finalizer) instead of SipHash, which took a tenth of ingest's time.
    func _rawHashValue(seed: Int) -> Int {
        KeyMixing.mix(UInt64(familyNumber) << 32 | UInt64(source), seed: seed)
    }
}

/// A cheap, seeded hash of a 64-bit key for the ingest's hot tables (``SourceKey``,
/// ``MinuteSource``, ``PendingSources/OwnKey``): SplitMix64's output function over the key and
/// the table's seed. The seed is the table's own (random per process), so an adversary who
/// picks the addresses still cannot aim them at one bucket without knowing it; sensors are
/// authenticated besides.
enum KeyMixing {
    @inline(__always)
    static func mix(_ key: UInt64, seed: Int) -> Int {
        Int(truncatingIfNeeded: SplitMix64.mix(key ^ UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15))
    }
}

/// Family names numbered in the order this process meets them (one entry per distinct
/// family, as few as the families the sensors report).
final class FamilyNumbers: Sendable {
    static let shared = FamilyNumbers()

    private struct Table {
        var numbers: [String: UInt32] = [:]
        var names: [String] = []
    }

    private let table = Mutex(Table())

    func number(_ family: String) -> UInt32 {
        table.withLock { t in
            if let n = t.numbers[family] { return n }
            let n = UInt32(truncatingIfNeeded: t.names.count)
            t.numbers[family] = n
            t.names.append(family)
            return n
        }
    }

    func name(_ number: UInt32) -> String {
        table.withLock { t in Int(number) < t.names.count ? t.names[Int(number)] : "" }
    }
}

/// A source seen in one minute: the key of the per-minute source lists (distinct counts). The
/// family by its number, as in ``SourceKey``.
struct MinuteSource: Hashable, Comparable {
    let familyNumber: UInt32
    var minute: Int64
    var source: UInt32

    init(family: String, minute: Int64, source: UInt32) {
        self.init(familyNumber: FamilyNumbers.shared.number(family), minute: minute, source: source)
    }

    init(familyNumber: UInt32, minute: Int64, source: UInt32) {
        self.familyNumber = familyNumber
        self.minute = minute
        self.source = source
    }

    var family: String { FamilyNumbers.shared.name(familyNumber) }

    static func < (a: MinuteSource, b: MinuteSource) -> Bool { (a.familyNumber, a.minute, a.source) < (b.familyNumber, b.minute, b.source) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(familyNumber) << 32 | UInt64(source))
        hasher.combine(minute)
    }

    /// As ``SourceKey``'s, with the minute mixed in first.
    func _rawHashValue(seed: Int) -> Int {
        KeyMixing.mix(UInt64(familyNumber) << 32 | UInt64(source), seed: KeyMixing.mix(UInt64(bitPattern: minute), seed: seed))
    }
}

/// A family's minute: the key of the interval aggregates (with a sensor id).
struct FamilyMinute: Hashable, Comparable {
    var family: String
    var minute: Int64

    static func < (a: FamilyMinute, b: FamilyMinute) -> Bool { (a.family, a.minute) < (b.family, b.minute) }
}

/// The minute (since 1970) an instant falls in.
@inline(__always)
func minuteOf(_ nanoseconds: Int64) -> Int64 {
    nanoseconds >= 0 ? nanoseconds / 60_000_000_000 : (nanoseconds - 59_999_999_999) / 60_000_000_000
}

/// A batch reduced to what the aggregates need: per source its first and last sighting and
/// event count, the (minute, source) pairs of the events, per minute the counts.
struct BatchDigest: Sendable {
    struct Sighting: Sendable {
        var first: Int64
        var last: Int64
        var events: Int64
    }

    struct Counts: Sendable {
        var events: Int64 = 0
        var probes: Int64 = 0
        var reportedDistinct: Int64 = 0
        var unnamedNew: Int64 = 0
    }

    var sightings: [SourceKey: Sighting] = [:]
    var minuteSources: Set<MinuteSource> = []
    var counts: [FamilyMinute: Counts] = [:]

    init(_ batch: IngestBatch) {
        // Events of a batch mostly share a family: number it once per run of equal names.
        var lastFamily = ""
        var lastNumber = FamilyNumbers.shared.number("")
        for e in batch.events {
            let minute = minuteOf(e.timeNanoseconds)
            counts[FamilyMinute(family: e.family, minute: minute), default: Counts()].events += 1
            guard e.source != 0 else { continue }
            if e.family != lastFamily {
                lastFamily = e.family
                lastNumber = FamilyNumbers.shared.number(e.family)
            }
            note(SourceKey(familyNumber: lastNumber, source: e.source), at: e.timeNanoseconds, events: 1)
            minuteSources.insert(MinuteSource(familyNumber: lastNumber, minute: minute, source: e.source))
        }
        for c in batch.counts {
            let key = FamilyMinute(family: c.family, minute: minuteOf(c.startNanoseconds))
            counts[key, default: Counts()].probes += c.probes
            counts[key, default: Counts()].reportedDistinct += c.distinctSources
            counts[key, default: Counts()].unnamedNew += c.unnamedNewSources
            for s in c.newSources {
                note(SourceKey(family: c.family, source: s.source), at: s.firstSeenNanoseconds, events: 0)
            }
        }
    }

    private mutating func note(_ key: SourceKey, at time: Int64, events: Int64) {
        if var s = sightings[key] {
            s.first = min(s.first, time)
            s.last = max(s.last, time)
            s.events += events
            sightings[key] = s
        } else {
            sightings[key] = Sighting(first: time, last: time, events: events)
        }
    }
}

/// What the store holds already of the keys a batch touches, read inside the batch's
/// transaction.
struct BatchState {
    /// First-seen times in the sources table (all sensors).
    var globalFirstSeen: [SourceKey: Int64] = [:]
    /// First-seen times in this sensor's sources.
    var sensorFirstSeen: [SourceKey: Int64] = [:]
    /// (minute, source) pairs this sensor's lists hold.
    var sensorMinutes: Set<MinuteSource> = []
    /// (minute, source) pairs the all-sensors lists hold.
    var globalMinutes: Set<MinuteSource> = []
}

/// The writes that apply a batch, computed from its digest and the state it meets — the same
/// for both stores, so they agree.
struct BatchPlan {
    struct SourceUpsert {
        var key: SourceKey
        var first: Int64
        var last: Int64
        var events: Int64
        /// 1 when this sensor sees the source for the first time.
        var addSensors: Int64
    }

    struct MinuteInsert {
        var key: MinuteSource
        var sensor: Int64
    }

    struct IntervalKey: Hashable, Comparable {
        var family: String
        var sensor: Int64
        var minute: Int64

        static func < (a: IntervalKey, b: IntervalKey) -> Bool { (a.family, a.sensor, a.minute) < (b.family, b.sensor, b.minute) }
    }

    struct IntervalDelta {
        var events: Int64 = 0
        var probes: Int64 = 0
        var distinct: Int64 = 0
        var newSources: Int64 = 0

        var isZero: Bool { events == 0 && probes == 0 && distinct == 0 && newSources == 0 }
    }

    /// The id under which intervals of all sensors together are kept.
    static let allSensors: Int64 = 0

    var sources: [SourceUpsert] = []
    var minuteInserts: [MinuteInsert] = []
    var intervals: [(key: IntervalKey, delta: IntervalDelta)] = []
    var newSources = 0

    /// An interval's key while planning: the family by its number (hashing two integers and a
    /// number, not a string, for every source of the batch).
    private struct NumberedKey: Hashable {
        var familyNumber: UInt32
        var sensor: Int64
        var minute: Int64
    }

    init(digest: BatchDigest, state: BatchState, sensor: Int64) {
        var deltas: [NumberedKey: IntervalDelta] = [:]
        func add(_ family: UInt32, _ sensor: Int64, _ minute: Int64, _ change: (inout IntervalDelta) -> Void) {
            change(&deltas[NumberedKey(familyNumber: family, sensor: sensor, minute: minute), default: IntervalDelta()])
        }
        func firstSeen(_ key: SourceKey, old: Int64?, new: Int64, sensor: Int64) {
            if let old {
                guard new < old else { return }
                add(key.familyNumber, sensor, minuteOf(old)) { $0.newSources -= 1 }
            }
            add(key.familyNumber, sensor, minuteOf(new)) { $0.newSources += 1 }
        }
        for key in digest.sightings.keys.sorted() {
            guard let s = digest.sightings[key] else { continue }
            let globalOld = state.globalFirstSeen[key]
            if globalOld == nil { newSources += 1 }
            firstSeen(key, old: globalOld, new: s.first, sensor: Self.allSensors)
            let sensorOld = state.sensorFirstSeen[key]
            firstSeen(key, old: sensorOld, new: s.first, sensor: sensor)
            sources.append(SourceUpsert(key: key, first: s.first, last: s.last, events: s.events, addSensors: sensorOld == nil ? 1 : 0))
        }
        for m in digest.minuteSources.sorted() {
            if !state.sensorMinutes.contains(m) {
                minuteInserts.append(MinuteInsert(key: m, sensor: sensor))
                add(m.familyNumber, sensor, m.minute) { $0.distinct += 1 }
            }
            if !state.globalMinutes.contains(m) {
                minuteInserts.append(MinuteInsert(key: m, sensor: Self.allSensors))
                add(m.familyNumber, Self.allSensors, m.minute) { $0.distinct += 1 }
            }
        }
        for (fm, c) in digest.counts {
            let family = FamilyNumbers.shared.number(fm.family)
            for id in [sensor, Self.allSensors] {
                add(family, id, fm.minute) {
                    $0.events += c.events
                    $0.probes += c.probes
                    $0.distinct += c.reportedDistinct
                    $0.newSources += c.unnamedNew
                }
            }
        }
        intervals = deltas.filter { !$0.value.isZero }
            .map { (key: IntervalKey(family: FamilyNumbers.shared.name($0.key.familyNumber), sensor: $0.key.sensor, minute: $0.key.minute), delta: $0.value) }
            .sorted { $0.key < $1.key }
    }
}

/// Where stored counters stop growing: 2^62, far beyond any real count and far enough from
/// Int64's end that adding one more batch cannot overflow.
enum StoreLimits {
    static let saturation: Int64 = 1 << 62
    static let saturationText = "4611686018427387904"
}

extension Int64 {
    /// `self + other`, stuck at Int64's ends instead of trapping.
    @inline(__always)
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

/// Series assembly shared by the stores: per-minute rows into steps.
struct MinuteRow {
    var minute: Int64
    var events: Int64
    var probes: Int64
    var distinct: Int64
    var newSources: Int64
}

enum SeriesAssembly {
    /// Steps from `query.from` (rounded down to the step) to `query.to`, every step present.
    static func points(_ rows: [MinuteRow], base: Int64, query: SeriesQuery) -> [SeriesPoint] {
        let stepMinutes = max(1, query.stepSeconds / 60)
        let firstMinute = minuteOf(query.fromNanoseconds)
        let startMinute = firstMinute - ((firstMinute % stepMinutes) + stepMinutes) % stepMinutes
        let endMinute = minuteOf(query.toNanoseconds - 1)
        guard endMinute >= startMinute else { return [] }
        let count = Int((endMinute - startMinute) / stepMinutes + 1)
        var points = (0..<count).map { i in
            SeriesPoint(
                startNanoseconds: (startMinute + Int64(i) * stepMinutes) * 60_000_000_000, events: 0, probes: 0, peakMinuteSources: 0,
                newSources: 0, cumulativeSources: 0)
        }
        for r in rows {
            let i = Int((r.minute - startMinute) / stepMinutes)
            guard i >= 0 && i < count else { continue }
            points[i].events = points[i].events.saturatingAdd(r.events)
            points[i].probes = points[i].probes.saturatingAdd(r.probes)
            points[i].peakMinuteSources = max(points[i].peakMinuteSources, r.distinct)
            points[i].newSources = points[i].newSources.saturatingAdd(r.newSources)
        }
        var total = base
        for i in points.indices {
            total = total.saturatingAdd(points[i].newSources)
            points[i].cumulativeSources = total
        }
        return points
    }

    /// The first minute counted: `from` rounded down to the step.
    static func startMinute(_ query: SeriesQuery) -> Int64 {
        let stepMinutes = max(1, query.stepSeconds / 60)
        let firstMinute = minuteOf(query.fromNanoseconds)
        return firstMinute - ((firstMinute % stepMinutes) + stepMinutes) % stepMinutes
    }
}
