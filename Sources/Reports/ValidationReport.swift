import Charts
import EpidemicModels
import Foundation
import Outbreak
import WormWatchCore

/// A figure from the published record of an outbreak, and how to compare a simulation with it.
public struct PublishedFigure: Sendable {
    /// How the published number constrains the simulation.
    public enum Comparison: Sendable {
        /// A measured value: consistent when it lies inside the simulated 5–95 % band.
        case value
        /// "More than": consistent when the simulated median is at least the value.
        case atLeast
        /// A range: consistent when it overlaps the simulated band.
        case window(low: Double, high: Double)
        /// "Within", "less than": consistent when the simulated median is at most the value.
        case atMost
    }

    /// The quantity, in words.
    public var quantity: String
    /// A short machine name (`infected_after_14h`).
    public var key: String
    /// The published number (for a window, its middle).
    public var value: Double
    /// The number as published (`> 2,000`).
    public var text: String
    /// Its unit.
    public var unit: String
    /// How to compare.
    public var comparison: Comparison
    /// Where it comes from.
    public var source: String
    /// Why the simulation may disagree (shown when it does).
    public var caveat: String
    /// Where the published figure is drawn on the report's charts, if anywhere.
    public var marker: Marker?
    /// The per-run simulated value (NaN: the run has none).
    public var simulated: @Sendable (OutbreakRecord, Scenario) -> Double

    /// A published point on one of the report's charts.
    public struct Marker: Sendable {
        /// The two charts of a scenario's report.
        public enum Chart: Sendable { case infected, newInfectionsPerMinute }
        public var chart: Chart
        /// Hours since the scenario's start.
        public var hours: Double
        public var value: Double
        public var label: String
        public init(chart: Chart, hours: Double, value: Double, label: String) {
            self.chart = chart; self.hours = hours; self.value = value; self.label = label
        }
    }

    /// Creates a figure; see the properties.
    public init(quantity: String, key: String, value: Double, text: String, unit: String, comparison: Comparison,
                source: String, caveat: String, marker: Marker? = nil,
                simulated: @escaping @Sendable (OutbreakRecord, Scenario) -> Double) {
        self.quantity = quantity; self.key = key; self.value = value; self.text = text; self.unit = unit
        self.comparison = comparison; self.source = source; self.caveat = caveat; self.marker = marker
        self.simulated = simulated
    }
}

/// One row of a validation: the published figure against the simulated distribution.
public struct ValidationRow: Sendable {
    /// The figure.
    public var figure: PublishedFigure
    /// The simulated median and band.
    public var simulated: Quantiles
    /// Whether the two agree under the figure's comparison.
    public var consistent: Bool
    /// Runs without a value (a fit that failed, say).
    public var missingRuns: Int
}

/// `wormwatch validate`: a scenario's ensemble against the published record.
public struct ValidationReport: Sendable {
    /// The scenario simulated.
    public var scenario: Scenario
    /// The runs.
    public var ensemble: Ensemble
    /// The seed.
    public var seed: UInt64
    /// The rows, in the order of the record.
    public var rows: [ValidationRow]

    /// The JSON document's `format`.
    public static let format = "wormwatch.validation/2"

    /// Compares `ensemble` with `record`.
    public init(scenario: Scenario, ensemble: Ensemble, seed: UInt64, record: [PublishedFigure]) {
        self.scenario = scenario
        self.ensemble = ensemble
        self.seed = seed
        rows = record.map { figure in
            let values = ensemble.records.map { figure.simulated($0, scenario) }
            let finite = values.filter(\.isFinite)
            let q = Quantiles(finite)
            let consistent: Bool
            switch figure.comparison {
            case .value: consistent = q.p05 <= figure.value && figure.value <= q.p95
            case .atLeast: consistent = q.median >= figure.value
            case .atMost: consistent = q.median <= figure.value
            case .window(let low, let high): consistent = q.p05 <= high && low <= q.p95
            }
            return ValidationRow(figure: figure, simulated: q, consistent: finite.isEmpty ? false : consistent,
                                 missingRuns: values.count - finite.count)
        }
    }

    /// K (per hour) of a logistic least-squares fit to a run's ever-infected curve up to `until`.
    public static func fittedK(_ record: OutbreakRecord, until: Double) -> Double {
        let rows = record.rows.filter { $0.time <= until }
        guard rows.count >= 4 else { return .nan }
        do {
            let fit = try ModelFitter.fitLogistic(times: rows.map(\.time), counts: rows.map { Double($0.everInfected) })
            return fit.parameter("K_per_hour")?.value ?? .nan
        } catch {
            return .nan
        }
    }

    // MARK: Output

    /// A plain-text table for terminals.
    public func table() -> String {
        var t = TextTable(header: ["quantity", "published", "simulated median", "5%", "95%", "agrees"])
        for row in rows {
            t.add([row.figure.quantity, row.figure.text, TextTable.number(row.simulated.median),
                   TextTable.number(row.simulated.p05), TextTable.number(row.simulated.p95), row.consistent ? "yes" : "no"])
        }
        return "\(scenario.name): \(ensemble.records.count) runs, seed \(seed)\n\n" + t.render()
    }

    /// The JSON document `wormwatch.validation/2` for one or more scenarios.
    public static func json(_ reports: [ValidationReport]) -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.openArray("scenarios")
        for report in reports { report.writeJSON(&w) }
        w.closeArray()
        w.closeObject()
        return w.text + "\n"
    }

    func writeJSON(_ w: inout JSONWriter) {
        w.openObject()
        w.string("scenario", scenario.name)
        w.string("seed", String(seed))
        w.int("runs", ensemble.records.count)
        w.openArray("rows")
        for row in rows {
            w.openObject()
            w.string("key", row.figure.key)
            w.string("quantity", row.figure.quantity)
            w.string("unit", row.figure.unit)
            w.number("published", row.figure.value)
            w.string("published_text", row.figure.text)
            w.string("comparison", row.figure.comparison.name)
            w.string("source", row.figure.source)
            w.number("simulated_median", row.simulated.median)
            w.number("simulated_p05", row.simulated.p05)
            w.number("simulated_p95", row.simulated.p95)
            w.int("runs_without_value", row.missingRuns)
            w.bool("consistent", row.consistent)
            if !row.figure.caveat.isEmpty { w.string(row.consistent ? "note" : "why", row.figure.caveat) }
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
    }

    /// The report's Markdown for several scenarios: an overview, then one section each.
    /// Figures are named `SCENARIO-infected.svg` and `SCENARIO-new-infections.svg`.
    public static func markdown(_ reports: [ValidationReport], command: String, generated: String) -> String {
        var out = "# Validation against the published record\n\n"
        out += "Generated by `\(command)` (\(generated)). Each row compares a published figure with the median "
        out += "and 5–95 % band of the simulated runs of a preset. A published value *agrees* when it lies inside the band "
        out += "(for a measured value), when the median reaches it (\"more than\"), stays under it (\"within\"), "
        out += "or when the band overlaps a published range. Rows that disagree are kept, with the reason.\n\n"
        out += "| scenario | rows | agree | disagree |\n|---|---|---|---|\n"
        for r in reports {
            let agree = r.rows.filter(\.consistent).count
            out += "| [`\(r.scenario.name)`](#\(r.scenario.name)) | \(r.rows.count) | \(agree) | \(r.rows.count - agree) |\n"
        }
        for r in reports { out += "\n" + r.section() }
        return out
    }

    /// One scenario's section of the report.
    public func section() -> String {
        var out = "## \(scenario.name)\n\n"
        out += "\(scenario.summary.isEmpty ? "" : scenario.summary + " ")"
        out += "\(ensemble.records.count) runs, seed \(seed); \(scenario.population.size) hosts, start \(UTCCalendar.iso8601(scenario.startTime)). "
        out += "Parameters and their reasoning: `wormwatch scenarios show \(scenario.name)`.\n\n"
        out += "| quantity | published | simulated median | 5–95 % band | agrees | source |\n|---|---|---|---|---|---|\n"
        for row in rows {
            out += "| \(row.figure.quantity) | \(row.figure.text) \(row.figure.unit) | \(TextTable.number(row.simulated.median)) | "
            out += "\(TextTable.number(row.simulated.p05)) – \(TextTable.number(row.simulated.p95)) | \(row.consistent ? "yes" : "**no**") | \(row.figure.source) |\n"
        }
        let outside = rows.filter { !$0.consistent }
        if !outside.isEmpty {
            out += "\n### Where \(scenario.name) disagrees, and why\n\n"
            for row in outside { out += "- **\(row.figure.quantity)**: \(row.figure.caveat)\n" }
        }
        let caveats = rows.filter { $0.consistent && !$0.figure.caveat.isEmpty }
        if !caveats.isEmpty {
            out += "\n### Notes on rows of \(scenario.name) that agree\n\n"
            for row in caveats { out += "- **\(row.figure.quantity)**: \(row.figure.caveat)\n" }
        }
        out += "\n![\(scenario.name): hosts ever infected](\(scenario.name)-infected.svg)\n\n"
        out += "![\(scenario.name): new infections per minute](\(scenario.name)-new-infections.svg)\n"
        return out
    }

    /// Hosts ever infected: simulated band and median, and the published points.
    public func infectedSVG() -> String {
        bandChart(title: "\(scenario.name): hosts ever infected", chart: .infected, yLabel: "hosts") { Double($0.everInfected) }
    }

    /// New infections per minute: simulated band and median, and the published points.
    public func newInfectionsSVG() -> String {
        let interval = scenario.interval
        return bandChart(title: "\(scenario.name): new infections per minute", chart: .newInfectionsPerMinute,
                         yLabel: "new infections per minute") { Double($0.newInfections) * 60 / interval }
    }

    /// A chart of one row quantity over the runs: median line, 5–95 % band, published markers.
    func bandChart(title: String, chart: PublishedFigure.Marker.Chart, yLabel: String,
                   _ value: (OutbreakRow) -> Double) -> String {
        let hours = ensemble.records.first?.rows.map { $0.time / 3600 } ?? []
        let band = ensemble.band(value)
        let markers = rows.compactMap { row -> ChartMarkers? in
            guard let m = row.figure.marker, m.chart == chart else { return nil }
            return ChartMarkers(name: "published: \(row.figure.quantity)", x: [m.hours], y: [m.value], labels: [m.label])
        }
        let note = markers.isEmpty ? "" : "; published figures marked"
        return LineChart(
            title: title,
            subtitle: "\(ensemble.records.count) runs, median and 5–95 % band\(note)",
            xAxis: Axis(label: "hours since \(UTCCalendar.iso8601(scenario.startTime))", min: 0, max: scenario.duration / 3600),
            yAxis: Axis(label: yLabel, min: 0),
            series: [ChartSeries(name: "simulated median", x: hours, y: band.map(\.median))],
            bands: [ChartBand(name: "simulated median", x: hours, lower: band.map(\.p05), upper: band.map(\.p95))],
            markers: markers
        ).svg()
    }
}

extension PublishedFigure.Comparison {
    /// The comparison's name in JSON: `value`, `at_least`, `at_most` or `window`.
    public var name: String {
        switch self {
        case .value: "value"
        case .atLeast: "at_least"
        case .atMost: "at_most"
        case .window: "window"
        }
    }
}
