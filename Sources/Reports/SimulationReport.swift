import Charts
import Outbreak
import OutbreakStudies
import WormWatchCore

/// The output of `wormwatch simulate`: the ensemble's time series and summary in the
/// documented formats (`wormwatch.simulation/1`), and its chart.
public struct SimulationReport: Sendable {
    /// The scenario that ran.
    public var scenario: Scenario
    /// The runs.
    public var ensemble: Ensemble
    /// The seed the runs derive from.
    public var seed: UInt64

    /// The JSON document's `format` value.
    public static let format = "wormwatch.simulation/1"

    /// A report of a simulation's result.
    public init(_ simulation: Simulation) {
        scenario = simulation.scenario; ensemble = simulation.ensemble; seed = simulation.seed
    }

    var runs: Int { ensemble.records.count }

    /// A named per-row quantity.
    struct Column {
        let name: String
        let value: @Sendable (OutbreakRow) -> Double
    }

    var columns: [Column] {
        [
            Column(name: "susceptible") { Double($0.susceptible) },
            Column(name: "infected") { Double($0.infected) },
            Column(name: "removed") { Double($0.removed) },
            Column(name: "new_infections") { Double($0.newInfections) },
            Column(name: "ever_infected") { Double($0.everInfected) },
            Column(name: "probes_per_second") { $0.probesPerSecond },
            Column(name: "traffic_bits_per_second") { $0.trafficBitsPerSecond },
        ]
    }

    func monitorColumns(_ m: Int) -> [Column] {
        [
            Column(name: "probes") { Double($0.monitors[m].probes) },
            Column(name: "distinct_sources") { Double($0.monitors[m].distinctSources) },
            Column(name: "new_sources") { Double($0.monitors[m].newSources) },
        ]
    }

    /// Summary figures: name, per-run value (NaN: not reached).
    var summaryFigures: [(String, (OutbreakRecord) -> Double)] {
        func hours(_ t: Double?) -> Double { t.map { $0 / 3600 } ?? .nan }
        return [
            ("final_infected", { Double($0.summary.finalInfected) }),
            ("ever_infected", { Double($0.summary.everInfected) }),
            ("peak_new_infections_per_minute", { $0.summary.peakNewInfectionsPerMinute }),
            ("peak_time_hours", { $0.summary.peakTime / 3600 }),
            ("time_to_10pct_hours", { hours($0.summary.timeTo10Percent) }),
            ("time_to_50pct_hours", { hours($0.summary.timeTo50Percent) }),
            ("time_to_90pct_hours", { hours($0.summary.timeTo90Percent) }),
            ("total_probes", { $0.summary.totalProbes }),
            ("peak_traffic_bits_per_second", { $0.summary.peakTrafficBitsPerSecond }),
        ]
    }

    var rowTimes: [Double] { ensemble.records.first?.rows.map(\.time) ?? [] }

    func isoTime(_ elapsed: Double) -> String {
        UTCCalendar.iso8601(scenario.startTime + Int64(elapsed.rounded(.down)))
    }

    // MARK: JSON

    /// The documented JSON document (see docs/output-formats.md).
    public func json() -> String {
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.string("scenario", scenario.name)
        w.string("start", UTCCalendar.iso8601(scenario.startTime))
        w.number("duration_seconds", scenario.duration)
        w.number("interval_seconds", scenario.interval)
        w.int("population", scenario.population.size)
        w.string("seed", String(seed))
        w.int("runs", runs)
        w.openArray("monitors")
        for m in scenario.monitors {
            w.openObject()
            w.string("name", m.name)
            w.openArray("prefixes")
            for p in m.prefixes { w.string(nil, p.description) }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        w.openObject("summary")
        for (name, figure) in summaryFigures { writeQuantiles(&w, name, ensemble.quantiles(figure)) }
        w.openObject("monitor_sources")
        for (m, monitor) in scenario.monitors.enumerated() {
            writeQuantiles(&w, monitor.name, ensemble.quantiles { Double($0.summary.monitorSources[m]) })
        }
        w.closeObject()
        w.closeObject()
        let bands = columns.map { ensemble.band($0.value) }
        let monitorBands = scenario.monitors.indices.map { m in monitorColumns(m).map { ensemble.band($0.value) } }
        w.openArray("series")
        for (k, t) in rowTimes.enumerated() {
            w.openObject()
            w.string("time", isoTime(t))
            w.number("elapsed_seconds", t)
            for (c, column) in columns.enumerated() { writeQuantiles(&w, column.name, bands[c][k]) }
            if !scenario.monitors.isEmpty {
                w.openObject("monitors")
                for (m, monitor) in scenario.monitors.enumerated() {
                    w.openObject(monitor.name)
                    for (c, column) in monitorColumns(m).enumerated() { writeQuantiles(&w, column.name, monitorBands[m][c][k]) }
                    w.closeObject()
                }
                w.closeObject()
            }
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return w.text + "\n"
    }

    func writeQuantiles(_ w: inout JSONWriter, _ name: String, _ q: Quantiles) {
        w.number(name, q.median)
        if runs > 1 {
            w.number(name + "_p05", q.p05)
            w.number(name + "_p95", q.p95)
        }
    }

    // MARK: CSV

    /// One row per interval; with several runs each quantity has `_p05` and `_p95` columns.
    public func csv() -> String {
        var header = ["time", "elapsed_seconds"]
        func names(_ base: String) -> [String] { runs > 1 ? [base, base + "_p05", base + "_p95"] : [base] }
        for c in columns { header += names(c.name) }
        for (m, monitor) in scenario.monitors.enumerated() {
            for c in monitorColumns(m) { header += names("\(monitor.name).\(c.name)") }
        }
        var lines = [header.map(CSV.field).joined(separator: ",")]
        let bands = columns.map { ensemble.band($0.value) }
        let monitorBands = scenario.monitors.indices.map { m in monitorColumns(m).map { ensemble.band($0.value) } }
        for (k, t) in rowTimes.enumerated() {
            var fields = [isoTime(t), JSONWriter.format(t)]
            func add(_ q: Quantiles) {
                fields.append(CSV.number(q.median))
                if runs > 1 { fields.append(CSV.number(q.p05)); fields.append(CSV.number(q.p95)) }
            }
            for c in bands.indices { add(bands[c][k]) }
            for m in monitorBands.indices { for c in monitorBands[m].indices { add(monitorBands[m][c][k]) } }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Table

    /// A summary and an hourly digest for people.
    public func table() -> String {
        var out = "\(scenario.name): \(runs) run\(runs == 1 ? "" : "s"), seed \(seed), from \(UTCCalendar.iso8601(scenario.startTime)), \(TextTable.number(scenario.duration / 3600)) h\n\n"
        var summary = TextTable(header: runs > 1 ? ["figure", "median", "5%", "95%"] : ["figure", "value"])
        summary.add(["population"] + [String(scenario.population.size)] + (runs > 1 ? ["", ""] : []))
        for (name, figure) in summaryFigures {
            let q = ensemble.quantiles(figure)
            summary.add([name.replacingOccurrences(of: "_", with: " ")] + (runs > 1 ? [q.median, q.p05, q.p95] : [q.median]).map(TextTable.number))
        }
        for (m, monitor) in scenario.monitors.enumerated() {
            let q = ensemble.quantiles { Double($0.summary.monitorSources[m]) }
            summary.add(["sources seen by \(monitor.name)"] + (runs > 1 ? [q.median, q.p05, q.p95] : [q.median]).map(TextTable.number))
        }
        out += summary.render() + "\n"
        let times = rowTimes
        guard !times.isEmpty else { return out }
        let step = Swift.max(1, Int((3600 / scenario.interval).rounded()))
        var series = TextTable(header: ["time (UTC)", "infected", "new/min", "removed", "probes/s", "traffic bit/s"]
            + scenario.monitors.map { "\($0.name) new src" })
        // Each hour: the state at its end, and means or sums over its rows, per run; then medians.
        let hours = stride(from: 0, to: times.count, by: step).map { ($0, Swift.min($0 + step, times.count)) }
        func hourly(_ f: @escaping (ArraySlice<OutbreakRow>) -> Double) -> [Double] {
            hours.map { lo, hi in ensemble.quantiles { f($0.rows[lo..<Swift.min(hi, $0.rows.count)]) }.median }
        }
        func sum(_ rows: ArraySlice<OutbreakRow>, _ v: (OutbreakRow) -> Double) -> Double { rows.reduce(0) { $0 + v($1) } }
        let columns: [[Double]] = [
            hourly { Double($0.last?.infected ?? 0) },
            hourly { sum($0) { Double($0.newInfections) } * 60 / Swift.max(1, (($0.last?.time ?? 0) - ($0.first?.time ?? 0) + scenario.interval)) },
            hourly { Double($0.last?.removed ?? 0) },
            hourly { sum($0, \.probesPerSecond) / Double(Swift.max(1, $0.count)) },
            hourly { sum($0, \.trafficBitsPerSecond) / Double(Swift.max(1, $0.count)) },
        ] + scenario.monitors.indices.map { m in hourly { sum($0) { Double($0.monitors[m].newSources) } } }
        for (j, (_, hi)) in hours.enumerated() {
            series.add([isoTime(times[hi - 1])] + columns.map { TextTable.number($0[j]) })
        }
        out += "\nby hour (medians; new/min and probes/s are means over the hour, new src a sum)\n" + series.render()
        return out
    }

    // MARK: Probes

    /// Run 0's recorded probes, in time order: `time,elapsed_seconds,monitor,source,destination`.
    public func probesCSV() -> String {
        guard let record = ensemble.records.first else { return "" }
        var merged: [(MonitorProbe, String)] = []
        for (m, list) in record.probes.enumerated() where m < scenario.monitors.count {
            merged += list.map { ($0, scenario.monitors[m].name) }
        }
        merged.sort { $0.0.time < $1.0.time }
        var out = "time,elapsed_seconds,monitor,source,destination\n"
        out.reserveCapacity(merged.count * 64)
        for (p, name) in merged {
            out += isoTime(p.time) + "," + JSONWriter.format(p.time) + "," + CSV.field(name) + ","
                + IPv4Address(p.source).description + "," + IPv4Address(p.destination).description + "\n"
        }
        return out
    }

    /// Run 0's mean traffic into each /8 per interval (rows with traffic only):
    /// `time,elapsed_seconds,prefix,probes_per_second,bits_per_second`.
    public func trafficPerSlash8CSV() -> String {
        guard let record = ensemble.records.first else { return "" }
        let bits = Double(scenario.worm.probeBytes * 8)
        var out = "time,elapsed_seconds,prefix,probes_per_second,bits_per_second\n"
        for (row, rates) in zip(record.rows, record.trafficPerSlash8) {
            for (a, rate) in rates.enumerated() where rate > 0 {
                out += isoTime(row.time) + "," + JSONWriter.format(row.time) + ",\(a).0.0.0/8," + JSONWriter.format(rate) + "," + JSONWriter.format(rate * bits) + "\n"
            }
        }
        return out
    }

    // MARK: Plot

    /// An SVG chart of infected hosts (median and 5–95 % band) and new infections per minute.
    public func svg() -> String {
        let hours = rowTimes.map { $0 / 3600 }
        let infected = ensemble.band { Double($0.infected) }
        let newPerMinute = ensemble.band { Double($0.newInfections) * 60 / scenario.interval }
        var bands: [ChartBand] = []
        if runs > 1 {
            bands.append(ChartBand(name: "infected hosts", x: hours, lower: infected.map(\.p05), upper: infected.map(\.p95)))
        }
        let chart = LineChart(
            title: "\(scenario.name): infected hosts",
            subtitle: "\(runs) run\(runs == 1 ? "" : "s"), seed \(seed)\(runs > 1 ? ", median and 5–95 % band" : ""); start \(UTCCalendar.iso8601(scenario.startTime))",
            xAxis: Axis(label: "time since start (hours)", min: 0, max: scenario.duration / 3600),
            yAxis: Axis(label: "infected hosts", min: 0),
            y2Axis: Axis(label: "new infections per minute", min: 0),
            series: [
                ChartSeries(name: "infected hosts", x: hours, y: infected.map(\.median)),
                ChartSeries(name: "new infections per minute", x: hours, y: newPerMinute.map(\.median), dashed: true, useSecondaryAxis: true),
            ],
            bands: bands)
        return chart.svg()
    }
}
