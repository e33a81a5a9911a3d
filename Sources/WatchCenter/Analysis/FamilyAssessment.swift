import EarlyWarning
import Foundation
import WormWatchCore

/// One step of a family's assessment, for charts: what was seen, what is estimated.
public struct AssessmentPoint: Sendable, Hashable {
    /// The end of the minute, nanoseconds since 1970.
    public var timeNanoseconds: Int64
    /// Sources seen so far (C).
    public var observed: Int
    /// New sources in the minute.
    public var newSources: Int
    /// Probes counted in the minute.
    public var probes: Int
    /// The bias-corrected estimate of the infected hosts and its 90 % band, once there is one.
    public var estimate: (infected: Double, low: Double, high: Double)?
    /// The growth rate per hour, once known.
    public var growthPerHour: Double?
    /// The level after the minute.
    public var level: AlertLevel

    public static func == (a: Self, b: Self) -> Bool {
        a.timeNanoseconds == b.timeNanoseconds && a.observed == b.observed && a.newSources == b.newSources && a.probes == b.probes
            && a.estimate?.infected == b.estimate?.infected && a.estimate?.low == b.estimate?.low && a.estimate?.high == b.estimate?.high
            && a.growthPerHour == b.growthPerHour && a.level == b.level
    }

    public func hash(into h: inout Hasher) { h.combine(timeNanoseconds); h.combine(observed); h.combine(level) }
}

/// What the center concludes about one worm family from the stored minutes of all its
/// sensors: the estimate of infected hosts, the alert level and its changes, the forecast.
public struct FamilyAssessment: Sendable, Hashable {
    /// The family.
    public var family: String
    /// The monitored addresses of all sensors (their blocks merged).
    public var coverage: MonitorCoverage
    /// Sensors whose blocks make the coverage.
    public var sensors: Int
    /// Whose counts the assessment rests on: all sensors together, or — when the family's
    /// sources are counted but never named, so a source seen by two sensors cannot be counted
    /// once — the sensor that watches the most addresses, alone.
    public var basis: String = "all sensors"
    /// The level now.
    public var level: AlertLevel
    /// Every change of level, oldest first.
    public var changes: [LevelChange]
    /// The last reading.
    public var latest: DetectorReading?
    /// The forecast from the latest step, while the worm grows.
    public var forecast: OutbreakForecast?
    /// One point per minute from the first minute with data.
    public var points: [AssessmentPoint]
    /// The forecast every ``WarningAnalysis/forecastEveryMinutes`` minutes while active, oldest
    /// first: how it converges.
    public var forecasts: [OutbreakForecast] = []
}

/// Runs the early warning over a family's stored minutes.
public enum WarningAnalysis {
    /// The most minutes assessed: the 30 days before the family's last minute.
    public static let maximumMinutes = 30 * 1_440
    /// Minutes between two forecasts of the history, once a family is active.
    public static let forecastEveryMinutes = 10

    /// ω: the addresses the sensors watch, their blocks merged so an address watched twice
    /// counts once.
    public static func coverage(of sensors: [SensorRecord]) -> MonitorCoverage {
        MonitorCoverage(monitored: IPv4Prefix.coveredAddresses(sensors.flatMap(\.monitors)))
    }

    /// Assesses `family` from `store`'s minutes of all sensors.
    public static func assess(family: String, store: some ObservationStore, settings: DetectorSettings = DetectorSettings())
        async throws(StoreError) -> FamilyAssessment
    {
        var sensors = try await store.sensors().filter { !$0.monitors.isEmpty }
        guard let summary = try await store.families().first(where: { $0.family == family }) else {
            return FamilyAssessment(family: family, coverage: coverage(of: sensors), sensors: sensors.count, level: .quiet, changes: [], points: [])
        }
        let minute: Int64 = 60_000_000_000
        let end = summary.lastNanoseconds + minute
        let start = max(summary.firstNanoseconds / minute * minute, end - Int64(maximumMinutes) * minute)
        // Counted but never named: the all-sensors counts would count a source once per sensor
        // that saw it, so the largest sensor with data speaks alone.
        var sensorName: String?
        if sensors.count > 1, summary.sources > 0, try await store.sources(SourcesQuery(family: family, limit: 1)).sources.isEmpty {
            for candidate in sensors.sorted(by: { ($0.monitoredAddresses, $1.name) > ($1.monitoredAddresses, $0.name) }) {
                let points = try await store.series(SeriesQuery(family: family, sensor: candidate.name, fromNanoseconds: start, toNanoseconds: end, stepSeconds: end - start))
                if points.contains(where: { $0.newSources > 0 }) {
                    sensorName = candidate.name
                    sensors = [candidate]
                    break
                }
            }
        }
        let coverage = coverage(of: sensors)
        var assessment = FamilyAssessment(family: family, coverage: coverage, sensors: sensors.count, level: .quiet, changes: [], points: [])
        if let sensorName {
            assessment.basis = "\(sensorName) alone: the sensors count sources without naming them, so a source two of them saw cannot be counted once"
        }
        guard coverage.monitored > 0 else { return assessment }
        var detector = WormDetector(coverage: coverage, settings: settings)
        var from = start
        while from < end {
            let to = min(end, from + Int64(SeriesQuery.maxPoints - 1) * minute)
            let points = try await store.series(SeriesQuery(family: family, sensor: sensorName, fromNanoseconds: from, toNanoseconds: to, stepSeconds: 60))
            for point in points {
                let interval = MonitoredInterval(
                    start: Double(point.startNanoseconds) / 1e9, seconds: 60, probes: Int(clamping: point.probes),
                    distinctSources: Int(clamping: point.peakMinuteSources), newSources: Int(clamping: point.newSources))
                let (reading, change) = detector.add(interval)
                if let change { assessment.changes.append(change) }
                if reading.level == .active, (point.startNanoseconds / minute) % Int64(forecastEveryMinutes) == 0 || change != nil,
                   let forecast = detector.forecast(), assessment.forecasts.last?.time != forecast.time {
                    assessment.forecasts.append(forecast)
                }
                assessment.latest = reading
                assessment.points.append(AssessmentPoint(
                    timeNanoseconds: point.startNanoseconds + minute, observed: reading.observed, newSources: interval.newSources,
                    probes: interval.probes, estimate: reading.estimate.map { ($0.infected, $0.low, $0.high) },
                    growthPerHour: reading.growthPerHour, level: reading.level))
            }
            from = to
        }
        assessment.level = detector.level
        assessment.forecast = detector.forecast()
        return assessment
    }
}
