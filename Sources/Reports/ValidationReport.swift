import Charts
import EpidemicModels
import Foundation
import Outbreak

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
    /// The per-run simulated value (NaN: the run has none).
    public var simulated: @Sendable (OutbreakRecord, Scenario) -> Double

    /// Creates a figure; see the properties.
    public init(quantity: String, key: String, value: Double, text: String, unit: String, comparison: Comparison,
                source: String, caveat: String, simulated: @escaping @Sendable (OutbreakRecord, Scenario) -> Double) {
        self.quantity = quantity; self.key = key; self.value = value; self.text = text; self.unit = unit
        self.comparison = comparison; self.source = source; self.caveat = caveat; self.simulated = simulated
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
    public static let format = "wormwatch.validation/1"

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
            case .window(let low, let high): consistent = q.p05 <= high && low <= q.p95
            }
            return ValidationRow(figure: figure, simulated: q, consistent: finite.isEmpty ? false : consistent,
                                 missingRuns: values.count - finite.count)
        }
    }

    // MARK: The 2001 record for Code Red v2

    /// Code Red v2 on 19 July 2001, from shared/reference/published-record.md.
    public static func codeRedV2Record() -> [PublishedFigure] {
        [
            PublishedFigure(
                quantity: "hosts infected after 14 hours (by 00:00 UTC on 20 July)", key: "infected_after_14h",
                value: 359_104, text: "359,104", unit: "hosts", comparison: .value,
                source: "CAIDA Code-Red data set: unique infected addresses, 19–20 July; Moore, Shannon, Brown, IMW 2002",
                caveat: "The preset's population is 360,000 and uniform scanning at 6 probes/s saturates it hours before 00:00, so every run ends at (or within a few hosts of) N. The published count is a lower bound on the vulnerable population, seen through a /8; the model has no hosts it could not reach.",
                simulated: { record, scenario in
                    let row = record.rows.first { $0.time >= 14 * 3600 } ?? record.rows.last
                    return Double(row?.everInfected ?? 0)
                }),
            PublishedFigure(
                quantity: "peak of new infections per minute", key: "peak_new_per_minute",
                value: 2_000, text: "> 2,000", unit: "hosts/min", comparison: .atLeast,
                source: "CAIDA Code-Red analysis; Moore, Shannon, Brown, IMW 2002",
                caveat: "",
                simulated: { record, _ in record.summary.peakNewInfectionsPerMinute }),
            PublishedFigure(
                quantity: "hour of the peak of new infections (UTC)", key: "peak_hour_utc",
                value: 16, text: "15:00–17:00 (operators' logs, approximate)", unit: "hour of day, UTC", comparison: .window(low: 15, high: 17),
                source: "Not stated in the record at hand. A site's IDS log posted to Bugtraq on 20 July 2001 (P. Reed) saw the surge begin between 14:00 and 15:00 GMT and level off around 16:00–17:00 GMT; the fastest growth lies between",
                caveat: "The hour is read from one site's log, not a measured global peak. The simulation starts from 10 assumed instances at 10:00 UTC; the peak's hour moves by about 1.3 h for every factor of 10 in that assumption (ln 10 / K with K = 1.8/h), and the diurnal pattern CAIDA saw is not switched on in the preset.",
                simulated: { record, scenario in
                    let t = Double(scenario.startTime) + record.summary.peakTime - scenario.interval / 2
                    return (t / 3600).truncatingRemainder(dividingBy: 24)
                }),
            PublishedFigure(
                quantity: "distinct sources seen by the /8 telescope", key: "telescope_sources",
                value: 359_104, text: "359,104", unit: "addresses", comparison: .value,
                source: "CAIDA Code-Red data set (UCSD /8 telescope plus two LBNL /16s), 19–20 July",
                caveat: "A /8 telescope sees every infected host within minutes (λ = 6/256 probes/s), so the simulated count equals the simulated infections, which saturate at the preset's N = 360,000; DHCP churn, which inflated and deflated the real unique-address count, is not modelled.",
                simulated: { record, scenario in
                    let m = scenario.monitors.firstIndex { $0.prefixes.contains { $0.length == 8 } } ?? 0
                    return record.summary.monitorSources.indices.contains(m) ? Double(record.summary.monitorSources[m]) : .nan
                }),
            PublishedFigure(
                quantity: "logistic growth rate K fitted to the infection curve", key: "logistic_k_per_hour",
                value: 1.8, text: "≈ 1.8 (1.75–1.85 as rounded)", unit: "1/h", comparison: .window(low: 1.75, high: 1.85),
                source: "Staniford, Paxson, Weaver, USENIX Security 2002 (fit to Code Red's spread)",
                caveat: "The preset's probe rate (6/s) is itself derived from this K (K·2^32/N), so agreement is a consistency check of the engine and the fit rather than independent evidence.",
                simulated: { record, scenario in ValidationReport.fittedK(record, until: 14 * 3600) }),
        ]
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

    /// The JSON document `wormwatch.validation/1`.
    public func json() -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
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
            w.string("source", row.figure.source)
            w.number("simulated_median", row.simulated.median)
            w.number("simulated_p05", row.simulated.p05)
            w.number("simulated_p95", row.simulated.p95)
            w.int("runs_without_value", row.missingRuns)
            w.bool("consistent", row.consistent)
            if !row.consistent { w.string("why", row.figure.caveat) }
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return w.text + "\n"
    }

    /// The report's Markdown, naming the figure files it embeds.
    public func markdown(generated: String) -> String {
        var out = "# Validation: \(scenario.name) against the published record\n\n"
        out += "Generated by `wormwatch validate --runs \(ensemble.records.count) --seed \(seed)` (\(generated)). "
        out += "Each row compares a published figure with the median and 5–95 % band of \(ensemble.records.count) simulated runs "
        out += "of the `\(scenario.name)` preset (\(scenario.population.size) hosts, start \(UTCCalendar.iso8601(scenario.startTime))).\n\n"
        out += "| quantity | published | simulated median | 5–95 % band | agrees | source |\n|---|---|---|---|---|---|\n"
        for row in rows {
            out += "| \(row.figure.quantity) | \(row.figure.text) \(row.figure.unit) | \(TextTable.number(row.simulated.median)) | "
            out += "\(TextTable.number(row.simulated.p05)) – \(TextTable.number(row.simulated.p95)) | \(row.consistent ? "yes" : "**no**") | \(row.figure.source) |\n"
        }
        let outside = rows.filter { !$0.consistent }
        if !outside.isEmpty {
            out += "\n## Where the simulation disagrees, and why\n\n"
            for row in outside { out += "- **\(row.figure.quantity)**: \(row.figure.caveat)\n" }
        }
        let caveats = rows.filter { $0.consistent && !$0.figure.caveat.isEmpty }
        if !caveats.isEmpty {
            out += "\n## Notes on rows that agree\n\n"
            for row in caveats { out += "- **\(row.figure.quantity)**: \(row.figure.caveat)\n" }
        }
        out += "\n## Figures\n\n![infected hosts](infected.svg)\n\n![new infections per minute](new-infections.svg)\n"
        return out
    }

    /// The infected-hosts chart: simulated band and median, and the published point at 14 h.
    public func infectedSVG() -> String {
        let published = rows.first { $0.figure.key == "infected_after_14h" }
        return bandChart(
            title: "\(scenario.name): hosts ever infected", note: "published count at 14 h", yLabel: "hosts",
            markers: published.map { [ChartMarkers(name: "published (CAIDA)", x: [14], y: [$0.figure.value], labels: [$0.figure.text])] } ?? []
        ) { Double($0.everInfected) }
    }

    /// New infections per minute: simulated band, and the published peak (> 2,000) over its hour.
    public func newInfectionsSVG() -> String {
        let startHour = Double(scenario.startTime % 86400) / 3600
        let interval = scenario.interval
        return bandChart(
            title: "\(scenario.name): new infections per minute",
            note: "published peak > 2,000/min, 15:00–17:00 UTC (approximate)", yLabel: "new infections per minute",
            markers: [ChartMarkers(name: "published peak (lower bound)", x: [16 - startHour], y: [2000], labels: ["> 2,000"])]
        ) { Double($0.newInfections) * 60 / interval }
    }

    /// A chart of one row quantity over the runs: median line, 5–95 % band, published markers.
    func bandChart(title: String, note: String, yLabel: String, markers: [ChartMarkers],
                   _ value: (OutbreakRow) -> Double) -> String {
        let hours = ensemble.records.first?.rows.map { $0.time / 3600 } ?? []
        let band = ensemble.band(value)
        return LineChart(
            title: title,
            subtitle: "\(ensemble.records.count) runs, median and 5–95 % band; \(note)",
            xAxis: Axis(label: "hours since \(UTCCalendar.iso8601(scenario.startTime))", min: 0, max: scenario.duration / 3600),
            yAxis: Axis(label: yLabel, min: 0),
            series: [ChartSeries(name: "simulated median", x: hours, y: band.map(\.median))],
            bands: [ChartBand(name: "simulated median", x: hours, lower: band.map(\.p05), upper: band.map(\.p95))],
            markers: markers
        ).svg()
    }
}
