import Charts
import Foundation
import EpidemicModels
import WormWatchCore

/// The output of `wormwatch fit`: a model's parameters with 95 % confidence intervals and the
/// goodness of fit, as a table, a `wormwatch.fit/1` JSON document or an SVG of data and fit.
public struct FitReport: Sendable {
    /// The JSON document's `format` value.
    public static let format = "wormwatch.fit/1"

    /// What was fitted and how it came out.
    public var outcome: SeriesFitOutcome

    /// A report of `outcome`.
    public init(_ outcome: SeriesFitOutcome) { self.outcome = outcome }

    var request: SeriesFitRequest { outcome.request }
    var model: String { request.model.rawValue }
    var source: String { request.path }
    var countColumn: String { request.countColumn }
    var start: Int64? { outcome.series.start }
    var fit: ModelFit? { outcome.fit }
    var converged: Bool { fit != nil }
    /// Why it did not converge.
    var failure: String? {
        if case .failure(let reason) = outcome.result { return reason.description }
        return nil
    }
    var parameters: [FittedParameter] { fit?.parameters ?? [] }
    var fixed: [FixedQuantity] { fit?.fixed ?? [] }
    var parameterCount: Int { request.model.fittedParameterCount }
    /// Seconds since the first point.
    var times: [Double] { outcome.series.elapsed }
    /// Observed cumulative counts.
    var observed: [Double] { outcome.series.counts }
    /// n: data points.
    var points: Int { observed.count }

    // MARK: JSON

    /// The `wormwatch.fit/1` JSON document (documented in docs/fit.md).
    public func json() -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.string("model", model)
        w.string("source", source)
        w.string("time_column", request.timeColumn)
        w.string("count_column", countColumn)
        w.string("counts", request.counts.rawValue)
        if let start { w.string("start", UTCCalendar.iso8601(start)) }
        w.bool("converged", converged)
        if let fit {
            w.int("iterations", fit.iterations)
            w.string("convergence", fit.reason.rawValue)
        } else {
            w.string("reason", failure ?? "")
        }
        w.openArray("parameters")
        for p in parameters where converged {
            w.openObject()
            w.string("name", p.name)
            w.number("value", p.value)
            w.number("standard_error", p.standardError)
            w.number("ci95_low", p.lower95)
            w.number("ci95_high", p.upper95)
            w.string("unit", p.unit)
            w.closeObject()
        }
        w.closeArray()
        w.openArray("fixed")
        for f in fixed {
            w.openObject()
            w.string("name", f.name)
            w.number("value", f.value)
            w.string("unit", f.unit)
            w.closeObject()
        }
        w.closeArray()
        w.int("points", points)
        if let fit {
            w.int("parameter_count", parameterCount)
            w.int("degrees_of_freedom", points - parameterCount)
            w.number("t_quantile", fit.tQuantile)
            w.number("rmse", fit.rmse)
            w.number("r_squared", fit.rSquared)
            w.openArray("series")
            for (k, t) in times.enumerated() where k < fit.fitted.count {
                w.openObject()
                w.number("elapsed_seconds", t)
                w.number("observed", observed[k])
                w.number("fitted", fit.fitted[k])
                w.closeObject()
            }
            w.closeArray()
        }
        w.closeObject()
        return w.text + "\n"
    }

    // MARK: Table

    /// Parameters, intervals and goodness of fit, for people.
    public func table() -> String {
        var out = "\(model) fit to \(source) (\(countColumn), \(request.counts.rawValue)): \(points) points"
        guard let fit else {
            return out + "\ndid not converge: \(failure ?? "unknown reason")\n"
        }
        out += ", \(parameterCount) parameters, \(points - parameterCount) degrees of freedom\n"
        out += "converged after \(fit.iterations) iteration\(fit.iterations == 1 ? "" : "s") (\(fit.reason.rawValue))"
        if let start { out += "; t = 0 at \(UTCCalendar.iso8601(start))" }
        out += "\n\n"
        var table = TextTable(header: ["parameter", "value", "std error", "95% low", "95% high", "unit"])
        for p in parameters {
            table.add([p.name, Self.number(p.value), Self.number(p.standardError), Self.number(p.lower95), Self.number(p.upper95), p.unit])
        }
        out += table.render()
        if !fixed.isEmpty {
            out += "\nfixed: " + fixed.map { "\($0.name) = \(Self.number($0.value))\($0.unit.isEmpty ? "" : " " + $0.unit)" }.joined(separator: ", ") + "\n"
        }
        out += "\ngoodness of fit: rmse \(Self.number(fit.rmse)) hosts, R² \(Self.number(fit.rSquared, digits: 8)), n = \(points), p = \(parameterCount)\n"
        out += "95% intervals: value ± \(Self.number(fit.tQuantile, digits: 4)) × std error (t with \(points - parameterCount) degrees of freedom)\n"
        return out
    }

    /// `x` with `digits` significant digits, in plain notation from 1e-3 to 1e15, otherwise
    /// scientific; `-` for non-finite values.
    public static func number(_ x: Double, digits: Int = 6) -> String {
        guard x.isFinite else { return "-" }
        if x == 0 { return "0" }
        let exponent = Int(log10(Swift.abs(x)).rounded(.down))
        if exponent >= -3 && exponent < 15 {
            var s = String(format: "%.\(Swift.max(0, digits - 1 - exponent))f", x)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            return s == "-0" ? "0" : s
        }
        let text = String(format: "%.\(Swift.max(0, digits - 1))e", x).replacingOccurrences(of: "e+", with: "e")
        guard let e = text.firstIndex(of: "e") else { return text }
        var mantissa = String(text[..<e])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + text[e...]
    }

    // MARK: Plot

    /// An SVG chart: the data as points and the fitted curve as a line.
    public func svg() -> String {
        let span = times.last ?? 0
        let inHours = span >= 7200
        let scale = inHours ? 3600.0 : 60.0
        let x = times.map { $0 / scale }
        // At most about 300 markers, evenly spread.
        let stride = Swift.max(1, (times.count + 299) / 300)
        let shown = Swift.stride(from: 0, to: times.count, by: stride).map { $0 }
        var series: [ChartSeries] = []
        if let fit, fit.fitted.count == times.count {
            series.append(ChartSeries(name: "\(model) fit", x: x, y: fit.fitted))
        }
        let subtitle: String
        if let fit {
            let shownParameters = parameters.filter { $0.name != "K_per_hour" && $0.name != "beta0" && $0.name != "probe_rate" }
                .map { "\($0.name) = \(Self.number($0.value, digits: 4))" }.joined(separator: ", ")
            subtitle = "\(shownParameters); R² = \(Self.number(fit.rSquared, digits: 5))"
                + (start.map { "; t = 0 at \(UTCCalendar.iso8601($0))" } ?? "")
        } else {
            subtitle = "did not converge: \(failure ?? "")"
        }
        let chart = LineChart(
            title: "\(model) fit to \(source)",
            subtitle: subtitle,
            xAxis: Axis(label: "time since the first point (\(inHours ? "hours" : "minutes"))", min: 0),
            yAxis: Axis(label: "\(countColumn) (hosts)", min: 0),
            series: series,
            markers: [ChartMarkers(name: "observed", x: shown.map { x[$0] }, y: shown.map { observed[$0] })])
        return chart.svg()
    }
}
