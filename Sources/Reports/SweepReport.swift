import Charts
import Foundation
import Outbreak
import WormWatchCore

/// A problem with a sweep's options or one of its grid points: where (an option such as
/// `--vary`), what is wrong, and optionally a hint.
public struct SweepError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The option or parameter the problem is about, e.g. `--vary worm.probe_rate`.
    public var location: String
    /// What is wrong, in words a user can act on.
    public var message: String
    /// One line of help, if useful.
    public var hint: String?

    /// Creates an error.
    public init(location: String, message: String, hint: String? = nil) {
        self.location = location; self.message = message; self.hint = hint
    }

    /// `location: message`.
    public var description: String { location + ": " + message }
}

/// The per-run figure a sweep summarises at each grid point.
public enum SweepOutcome: String, CaseIterable, Sendable, Hashable {
    /// Hosts infected at the end.
    case finalInfected = "final_infected"
    /// Hosts infected at least once.
    case everInfected = "ever_infected"
    /// Hours until half the population had been infected at least once (NaN: never).
    case timeTo50PercentHours = "time_to_50pct_hours"
    /// The highest interval-mean worm traffic, bits per second.
    case peakTrafficBitsPerSecond = "peak_traffic_bits_per_second"
    /// The largest number of new infections in one minute.
    case peakNewInfectionsPerMinute = "peak_new_infections_per_minute"

    /// The figure of one run (NaN when the run never reached it).
    public func value(_ summary: OutbreakSummary) -> Double {
        switch self {
        case .finalInfected: return Double(summary.finalInfected)
        case .everInfected: return Double(summary.everInfected)
        case .timeTo50PercentHours: return summary.timeTo50Percent.map { $0 / 3600 } ?? .nan
        case .peakTrafficBitsPerSecond: return summary.peakTrafficBitsPerSecond
        case .peakNewInfectionsPerMinute: return summary.peakNewInfectionsPerMinute
        }
    }

    /// Words for axis labels.
    public var label: String {
        switch self {
        case .finalInfected: return "hosts infected at the end"
        case .everInfected: return "hosts ever infected"
        case .timeTo50PercentHours: return "hours to 50 % ever infected"
        case .peakTrafficBitsPerSecond: return "peak traffic (bit/s)"
        case .peakNewInfectionsPerMinute: return "peak new infections per minute"
        }
    }
}

/// One swept parameter, in scenario-file units, and the values it takes.
public struct SweepParameter: Sendable, Hashable {
    /// The parameter's name as in a scenario file (`worm.probe_rate`).
    public var name: String
    /// The values, in the order given.
    public var values: [Double]

    /// The names that can be swept, in the order they are applied to a scenario.
    public static let knownNames = [
        "worm.probe_rate", "worm.initial_infected", "worm.infection_delay_seconds", "population.size",
        "host_events.patch_rate_per_hour", "host_events.patch_from_hours", "host_events.clean_rate_per_hour",
        "host_events.reboot_rate_per_hour", "network.congestion_exponent", "duration_hours",
    ]

    /// The most grid points a sweep may have.
    public static let maxPoints = 10_000

    /// Names whose values must be whole numbers.
    static let wholeNames: Set<String> = ["worm.initial_infected", "population.size"]

    /// Creates a parameter (unchecked; see ``parse(_:)``).
    public init(name: String, values: [Double]) { self.name = name; self.values = values }

    /// Parses `NAME=V1,V2,...` or `NAME=A:B:N` (N evenly spaced values from A to B).
    public static func parse(_ text: String) throws(SweepError) -> SweepParameter {
        guard let equals = text.firstIndex(of: "=") else {
            throw SweepError(location: "--vary", message: "expected NAME=V1,V2,... or NAME=A:B:N (got '\(text)')")
        }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        let list = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard knownNames.contains(name) else {
            throw SweepError(location: "--vary", message: "unknown parameter '\(name)'",
                             hint: "parameters: " + knownNames.joined(separator: ", "))
        }
        let location = "--vary \(name)"
        guard !list.isEmpty else { throw SweepError(location: location, message: "no values") }
        func number(_ s: Substring) throws(SweepError) -> Double {
            let t = s.trimmingCharacters(in: .whitespaces)
            guard let x = Double(t) else { throw SweepError(location: location, message: "'\(t)' is not a number") }
            guard x.isFinite else { throw SweepError(location: location, message: "'\(t)' is not a finite number") }
            return x
        }
        var values: [Double] = []
        if list.contains(":") {
            let parts = list.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw SweepError(location: location, message: "expected A:B:N, N evenly spaced values from A to B (got '\(list)')")
            }
            let a = try number(parts[0]), b = try number(parts[1])
            let nText = parts[2].trimmingCharacters(in: .whitespaces)
            guard let n = Int(nText), n >= 1, n <= maxPoints else {
                throw SweepError(location: location, message: "in A:B:N, N must be a whole number from 1 to \(maxPoints) (got '\(nText)')")
            }
            values = n == 1 ? [a] : (0..<n).map { i in i == n - 1 ? b : a + (b - a) * Double(i) / Double(n - 1) }
        } else {
            for part in list.split(separator: ",", omittingEmptySubsequences: false) { values.append(try number(part)) }
        }
        if wholeNames.contains(name) {
            for v in values where v != v.rounded() || Swift.abs(v) > 1e12 {
                throw SweepError(location: location, message: "takes whole numbers (got \(TextTable.number(v)))")
            }
        }
        guard values.count <= maxPoints else {
            throw SweepError(location: location, message: "has \(values.count) values; at most \(maxPoints)")
        }
        return SweepParameter(name: name, values: values)
    }

    /// Sets this parameter to `value` (scenario-file units) in `scenario`.
    public func apply(_ value: Double, to scenario: inout Scenario) throws(SweepError) {
        switch name {
        case "worm.probe_rate": scenario.worm.probeRate = .fixed(value)
        case "worm.initial_infected": scenario.worm.initialInfected = Int(value)
        case "worm.infection_delay_seconds": scenario.worm.infectionDelay = value
        case "population.size": scenario.population.size = Int(value)
        case "host_events.patch_rate_per_hour": scenario.hostEvents.patchSchedule = [.init(start: 0, rate: value / 3600)]
        case "host_events.patch_from_hours":
            guard let last = scenario.hostEvents.patchSchedule.indices.last else {
                throw SweepError(location: "--vary \(name)", message: "scenario '\(scenario.name)' has no patch step to move",
                                 hint: "vary host_events.patch_rate_per_hour as well, or add host_events.patch to the scenario")
            }
            scenario.hostEvents.patchSchedule[last].start = value * 3600
        case "host_events.clean_rate_per_hour": scenario.hostEvents.cleanRate = value / 3600
        case "host_events.reboot_rate_per_hour": scenario.hostEvents.rebootRate = value / 3600
        case "network.congestion_exponent": scenario.network.congestionExponent = value
        case "duration_hours": scenario.duration = value * 3600
        default: throw SweepError(location: "--vary", message: "unknown parameter '\(name)'",
                                  hint: "parameters: " + SweepParameter.knownNames.joined(separator: ", "))
        }
    }
}

/// A scenario over a grid of one or two parameters: every grid point's scenario, checked.
///
/// Points are ordered with the first parameter outermost: point `i·n₂ + j` has the first
/// parameter's value `i` and the second's value `j`.
public struct ParameterSweep: Sendable {
    /// The base scenario.
    public var scenario: Scenario
    /// The swept parameters (one or two).
    public var parameters: [SweepParameter]
    /// Each point's parameter values, in the order of ``parameters``.
    public var points: [[Double]]
    /// Each point's engine (and through it, its scenario).
    public var engines: [ExactEngine]
    /// Each point's scenario.
    public var scenarios: [Scenario] { engines.map(\.scenario) }

    /// Builds and validates every grid point's scenario.
    public init(scenario: Scenario, parameters: [SweepParameter]) throws(SweepError) {
        guard (1...2).contains(parameters.count) else {
            throw SweepError(location: "--vary", message: "give one or two parameters (got \(parameters.count))")
        }
        if parameters.count == 2 && parameters[0].name == parameters[1].name {
            throw SweepError(location: "--vary \(parameters[0].name)", message: "is given twice")
        }
        let count = parameters.reduce(1) { $0 * $1.values.count }
        guard count >= 1 else { throw SweepError(location: "--vary", message: "the grid has no points") }
        guard count <= SweepParameter.maxPoints else {
            throw SweepError(location: "--vary", message: "the grid has \(count) points; at most \(SweepParameter.maxPoints)")
        }
        var points: [[Double]] = parameters[0].values.map { [$0] }
        if parameters.count == 2 { points = points.flatMap { p in parameters[1].values.map { p + [$0] } } }
        // Apply in a fixed order so that a patch rate is set before its start is moved.
        let order = parameters.indices.sorted {
            (SweepParameter.knownNames.firstIndex(of: parameters[$0].name) ?? 0)
                < (SweepParameter.knownNames.firstIndex(of: parameters[$1].name) ?? 0)
        }
        var engines: [ExactEngine] = []
        engines.reserveCapacity(count)
        for values in points {
            var s = scenario
            for k in order { try parameters[k].apply(values[k], to: &s) }
            do { engines.append(try ExactEngine(scenario: s)) } catch {
                let at = zip(parameters, values).map { "\($0.name)=\(TextTable.number($1))" }.joined(separator: ", ")
                throw SweepError(location: "--vary \(at)", message: "gives an invalid scenario: \(error.description)")
            }
        }
        self.scenario = scenario; self.parameters = parameters; self.points = points; self.engines = engines
    }

    /// Runs `runs` outbreaks at every point on `threads` threads (0: one per core). Run `r` of
    /// point `p` uses the stream `(seed, p·runs + r)`, so the result does not depend on `threads`.
    /// `progress` is called with the number of finished runs, from any thread.
    public func run(seed: UInt64, runs: Int, threads: Int = 0, outcome: SweepOutcome,
                    progress: (@Sendable (Int) -> Void)? = nil) -> SweepReport {
        let perPoint = Swift.max(1, runs)
        let table = engines
        let ensemble = Ensemble.run(runs: table.count * perPoint, threads: threads, progress: progress) { index in
            var record = table[index / perPoint].run(seed: seed, run: index)
            record.rows = []  // only the summary is needed; keeps large grids small
            return record
        }
        let summaries = (0..<table.count).map { p in
            ensemble.records[(p * perPoint)..<((p + 1) * perPoint)].map(\.summary)
        }
        return SweepReport(scenario: scenario.name, parameters: parameters, points: points, seed: seed, runs: perPoint,
                           outcome: outcome, summaries: summaries)
    }
}

/// The result at one grid point.
public struct SweepPoint: Sendable, Hashable {
    /// The parameter values, in the order of the sweep's parameters.
    public var values: [Double]
    /// Median and 5–95 % band of the outcome; runs without a value count as later than any
    /// other (so the median is NaN when more than half never reached it).
    public var quantiles: Quantiles
    /// Runs in which the outcome has no value (time to 50 % never reached).
    public var runsWithoutValue: Int
}

/// The output of `wormwatch sweep` (`wormwatch.sweep/1`): one row per grid point, and a chart.
public struct SweepReport: Sendable {
    /// The JSON document's `format` value.
    public static let format = "wormwatch.sweep/1"

    /// The base scenario's name.
    public var scenario: String
    /// The swept parameters.
    public var parameters: [SweepParameter]
    /// The seed the runs derive from.
    public var seed: UInt64
    /// Runs per point.
    public var runs: Int
    /// The summarised figure.
    public var outcome: SweepOutcome
    /// The result at each point.
    public var points: [SweepPoint]

    /// Creates a report from each point's run summaries (`summaries[point][run]`).
    public init(scenario: String, parameters: [SweepParameter], points: [[Double]], seed: UInt64, runs: Int,
                outcome: SweepOutcome, summaries: [[OutbreakSummary]]) {
        self.scenario = scenario; self.parameters = parameters; self.seed = seed; self.runs = runs; self.outcome = outcome
        self.points = zip(points, summaries).map { values, list in
            let figures = list.map(outcome.value)
            return SweepPoint(values: values, quantiles: Quantiles(figures), runsWithoutValue: figures.filter(\.isNaN).count)
        }
    }

    /// All points as a JSON document.
    public func json() -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.string("scenario", scenario)
        w.string("outcome", outcome.rawValue)
        w.string("seed", String(seed))
        w.int("runs", runs)
        w.openArray("parameters")
        for p in parameters {
            w.openObject()
            w.string("name", p.name)
            w.openArray("values")
            for v in p.values { w.number(nil, v) }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        w.openArray("points")
        for point in points {
            w.openObject()
            w.openArray("values")
            for v in point.values { w.number(nil, v) }
            w.closeArray()
            w.number("median", point.quantiles.median)
            w.number("p05", point.quantiles.p05)
            w.number("p95", point.quantiles.p95)
            w.int("runs_without_value", point.runsWithoutValue)
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return w.text + "\n"
    }

    /// One row per point: the parameter values, median, p05, p95, runs_without_value.
    public func csv() -> String {
        var lines = [(parameters.map(\.name) + ["median", "p05", "p95", "runs_without_value"]).map(CSV.field).joined(separator: ",")]
        for point in points {
            let q = point.quantiles
            lines.append((point.values.map(JSONWriter.format) + [CSV.number(q.median), CSV.number(q.p05), CSV.number(q.p95), String(point.runsWithoutValue)])
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A headline and one row per point, for people.
    public func table() -> String {
        let names = parameters.map(\.name).joined(separator: " × ")
        var out = "\(scenario): \(outcome.rawValue) over \(names); \(points.count) point\(points.count == 1 ? "" : "s"), "
        out += "\(runs) run\(runs == 1 ? "" : "s") each, seed \(seed)\n\n"
        let mayBeMissing = outcome == .timeTo50PercentHours
        var t = TextTable(header: parameters.map(\.name) + ["median", "5%", "95%"] + (mayBeMissing ? ["not reached"] : []))
        for point in points {
            let q = point.quantiles
            t.add(point.values.map(TextTable.number) + [q.median, q.p05, q.p95].map(TextTable.number)
                  + (mayBeMissing ? ["\(point.runsWithoutValue)/\(runs)"] : []))
        }
        out += t.render()
        if mayBeMissing { out += "\nruns that never reached 50 % count as later than any other; '-': not reached by enough runs\n" }
        return out
    }

    /// A line chart (one parameter: median and 5–95 % band) or a heat map of the median (two).
    public func svg() -> String {
        let subtitle = "\(scenario): \(runs) run\(runs == 1 ? "" : "s") per point, seed \(seed)"
        if parameters.count == 2 {
            let xs = parameters[0].values, ys = parameters[1].values
            var values = [[Double]](repeating: [Double](repeating: .nan, count: xs.count), count: ys.count)
            for (index, point) in points.enumerated() {
                let xi = index / ys.count, yi = index % ys.count
                if xi < xs.count && yi < ys.count { values[yi][xi] = point.quantiles.median }
            }
            return HeatMap(title: "\(outcome.label) (median)", subtitle: subtitle,
                           xAxis: Axis(label: parameters[0].name), yAxis: Axis(label: parameters[1].name),
                           xValues: xs, yValues: ys, values: values, valueLabel: outcome.label).svg()
        }
        let x = points.map { $0.values.first ?? .nan }
        let order = x.indices.sorted { x[$0] < x[$1] }
        let xs = order.map { x[$0] }
        let qs = order.map { points[$0].quantiles }
        let name = parameters.first?.name ?? "parameter"
        return LineChart(
            title: "\(outcome.label) against \(name)",
            subtitle: subtitle + (runs > 1 ? ", median and 5–95 % band" : ""),
            xAxis: Axis(label: name), yAxis: Axis(label: outcome.label),
            series: [ChartSeries(name: outcome.label, x: xs, y: qs.map(\.median))],
            bands: runs > 1 ? [ChartBand(name: outcome.label, x: xs, lower: qs.map(\.p05), upper: qs.map(\.p95))] : []).svg()
    }
}
