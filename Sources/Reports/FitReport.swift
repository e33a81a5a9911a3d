import Charts
import Foundation
import Outbreak
import WormWatchCore

/// The output of `wormwatch fit`: a model's parameters with 95 % confidence intervals and the
/// goodness of fit, as a table, a `wormwatch.fit/1` JSON document or an SVG of data and fit.
///
/// It holds plain numbers so that it does not depend on the fitting code.
public struct FitReport: Sendable {
    /// A fitted parameter (or one derived from a fitted parameter by a fixed factor).
    public struct Parameter: Sendable, Equatable {
        /// Name, e.g. `K`.
        public var name: String
        /// Unit, e.g. `1/s` (empty for a pure number).
        public var unit: String
        /// Estimate.
        public var value: Double
        /// Standard error.
        public var standardError: Double
        /// Lower end of the 95 % confidence interval.
        public var low: Double
        /// Upper end of the 95 % confidence interval.
        public var high: Double

        /// Creates a parameter row.
        public init(name: String, unit: String, value: Double, standardError: Double, low: Double, high: Double) {
            self.name = name; self.unit = unit; self.value = value
            self.standardError = standardError; self.low = low; self.high = high
        }
    }

    /// A quantity held fixed during the fit.
    public struct Fixed: Sendable, Equatable {
        /// Name, e.g. `N`.
        public var name: String
        /// Unit.
        public var unit: String
        /// Value.
        public var value: Double

        /// Creates a fixed quantity.
        public init(name: String, unit: String, value: Double) { self.name = name; self.unit = unit; self.value = value }
    }

    /// The JSON document's `format` value.
    public static let format = "wormwatch.fit/1"

    /// The model's name (`logistic`, `two-factor`, `aawp`).
    public var model: String
    /// The data file as the user named it.
    public var source: String
    /// The time column's name.
    public var timeColumn: String
    /// The count column's name.
    public var countColumn: String
    /// Whether the counts were cumulative or per interval.
    public var counts: CountKind
    /// The first point's time (seconds since 1970) when the file had ISO 8601 times.
    public var start: Int64?
    /// Whether the fit converged; when false only `failure` and `points` are meaningful.
    public var converged: Bool
    /// Why it did not converge.
    public var failure: String?
    /// Fitted and derived parameters.
    public var parameters: [Parameter] = []
    /// Fixed quantities.
    public var fixed: [Fixed] = []
    /// p: parameters optimised.
    public var parameterCount = 0
    /// t(0.975, n − p), the multiplier of the standard errors.
    public var tQuantile = Double.nan
    /// Solver iterations.
    public var iterations = 0
    /// How the solver converged, in words.
    public var convergence = ""
    /// Root mean square residual, hosts.
    public var rmse = Double.nan
    /// R².
    public var rSquared = Double.nan
    /// Seconds since the first point.
    public var times: [Double] = []
    /// Observed cumulative counts.
    public var observed: [Double] = []
    /// The fitted curve at `times` (empty if the fit did not converge).
    public var fitted: [Double] = []

    /// n: data points.
    public var points: Int { observed.count }

    /// Creates a report; fill in the results with the properties.
    public init(model: String, source: String, timeColumn: String, countColumn: String, counts: CountKind,
                start: Int64? = nil, converged: Bool, failure: String? = nil) {
        self.model = model; self.source = source; self.timeColumn = timeColumn; self.countColumn = countColumn
        self.counts = counts; self.start = start; self.converged = converged; self.failure = failure
    }

    // MARK: JSON

    /// The `wormwatch.fit/1` JSON document (documented in docs/fit.md).
    public func json() -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.string("model", model)
        w.string("source", source)
        w.string("time_column", timeColumn)
        w.string("count_column", countColumn)
        w.string("counts", counts.rawValue)
        if let start { w.string("start", UTCCalendar.iso8601(start)) }
        w.bool("converged", converged)
        if converged {
            w.int("iterations", iterations)
            w.string("convergence", convergence)
        } else {
            w.string("reason", failure ?? "")
        }
        w.openArray("parameters")
        for p in parameters where converged {
            w.openObject()
            w.string("name", p.name)
            w.number("value", p.value)
            w.number("standard_error", p.standardError)
            w.number("ci95_low", p.low)
            w.number("ci95_high", p.high)
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
        if converged {
            w.int("parameter_count", parameterCount)
            w.int("degrees_of_freedom", points - parameterCount)
            w.number("t_quantile", tQuantile)
            w.number("rmse", rmse)
            w.number("r_squared", rSquared)
            w.openArray("series")
            for (k, t) in times.enumerated() where k < fitted.count {
                w.openObject()
                w.number("elapsed_seconds", t)
                w.number("observed", observed[k])
                w.number("fitted", fitted[k])
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
        var out = "\(model) fit to \(source) (\(countColumn), \(counts.rawValue)): \(points) points"
        guard converged else {
            return out + "\ndid not converge: \(failure ?? "unknown reason")\n"
        }
        out += ", \(parameterCount) parameters, \(points - parameterCount) degrees of freedom\n"
        out += "converged after \(iterations) iteration\(iterations == 1 ? "" : "s") (\(convergence))"
        if let start { out += "; t = 0 at \(UTCCalendar.iso8601(start))" }
        out += "\n\n"
        var table = TextTable(header: ["parameter", "value", "std error", "95% low", "95% high", "unit"])
        for p in parameters {
            table.add([p.name, Self.number(p.value), Self.number(p.standardError), Self.number(p.low), Self.number(p.high), p.unit])
        }
        out += table.render()
        if !fixed.isEmpty {
            out += "\nfixed: " + fixed.map { "\($0.name) = \(Self.number($0.value))\($0.unit.isEmpty ? "" : " " + $0.unit)" }.joined(separator: ", ") + "\n"
        }
        out += "\ngoodness of fit: rmse \(Self.number(rmse)) hosts, R² \(Self.number(rSquared, digits: 8)), n = \(points), p = \(parameterCount)\n"
        out += "95% intervals: value ± \(Self.number(tQuantile, digits: 4)) × std error (t with \(points - parameterCount) degrees of freedom)\n"
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
        if converged && fitted.count == times.count {
            series.append(ChartSeries(name: "\(model) fit", x: x, y: fitted))
        }
        let subtitle: String
        if converged {
            let shownParameters = parameters.filter { $0.name != "K_per_hour" && $0.name != "beta0" && $0.name != "probe_rate" }
                .map { "\($0.name) = \(Self.number($0.value, digits: 4))" }.joined(separator: ", ")
            subtitle = "\(shownParameters); R² = \(Self.number(rSquared, digits: 5))"
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
