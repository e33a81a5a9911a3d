import Charts
import OutbreakStudies
import WormWatchCore

/// The output of `wormwatch sweep` (`wormwatch.sweep/1`): one row per grid point, as JSON,
/// CSV or a table, and a chart.
public struct SweepReport: Sendable {
    /// The JSON document's `format` value.
    public static let format = "wormwatch.sweep/1"

    /// The sweep's result.
    public var result: SweepResult

    /// A report of `result`.
    public init(_ result: SweepResult) { self.result = result }

    var scenario: String { result.scenario }
    var parameters: [SweepParameter] { result.parameters }
    var seed: UInt64 { result.seed }
    var runs: Int { result.runs }
    var outcome: SweepOutcome { result.outcome }
    var points: [SweepPoint] { result.points }

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
