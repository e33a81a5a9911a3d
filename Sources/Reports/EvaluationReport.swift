import Foundation
import OutbreakStudies
import WormWatchCore

/// The output of `wormwatch evaluate`: per scenario, the Kalman detector's and the CUSUM
/// baseline's detection times, the true infected fraction at detection, false alarms, and the
/// estimate's error — as a table or a `wormwatch.evaluation/1` JSON document.
public struct EvaluationReport: Sendable {
    /// The JSON document's `format`.
    public static let format = "wormwatch.evaluation/1"
    /// The evaluation.
    public var evaluation: Evaluation

    /// A report of `evaluation`.
    public init(_ evaluation: Evaluation) { self.evaluation = evaluation }

    /// One scenario's figures, summarised over its runs.
    struct Summary {
        var result: EvaluationResult
        var detected: Int { result.runs.filter { $0.detectionHours != nil }.count }
        var baselineDetected: Int { result.runs.filter { $0.baselineHours != nil }.count }
        func median(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.sorted()[values.count / 2] }
        func worst(_ values: [Double]) -> Double? { values.max() }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        var hours: [Double] { result.runs.compactMap(\.detectionHours) }
        var fractions: [Double] { result.runs.compactMap(\.fractionAtDetection) }
        var baselineHours: [Double] { result.runs.compactMap(\.baselineHours) }
        var baselineFractions: [Double] { result.runs.compactMap(\.baselineFraction) }
        var errors: [Double] { result.runs.compactMap(\.medianEstimateError) }
        var worstErrors: [Double] { result.runs.compactMap(\.worstEstimateError) }
        var coverages: [Double] { result.runs.compactMap(\.estimateCoverage) }
        var probeRates: [Double] { result.runs.compactMap(\.probeRate) }
        var forecasts: [[Bool]] { result.runs.compactMap(\.forecastCovered) }
        func covered(_ i: Int) -> String {
            forecasts.isEmpty ? "–" : "\(forecasts.filter { $0[i] }.count)/\(forecasts.count)"
        }
        var forecastErrors: [Double] { result.runs.compactMap(\.forecastError).map(abs) }
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.2f %%", $0 * 100) } ?? "–" }
    static func hours(_ x: Double?) -> String { x.map { $0 < 1 ? String(format: "%.1f min", $0 * 60) : String(format: "%.2f h", $0) } ?? "–" }

    /// A plain-text table for terminals.
    public func table() -> String {
        let request = evaluation.request
        let monitored = request.monitors.map(\.description).joined(separator: ", ")
        var out = "wormwatch evaluate: \(request.runs) runs per scenario, seed \(request.seed), telescope \(monitored)\n"
        out += "Kalman: active when the growth rate holds within ±\(Int(request.settings.tolerance * 100)) % above \(request.settings.minimumGrowthPerHour)/h for at least 4 steps while the estimated infected hosts grow ×\(TextTable.number(request.settings.growthFactor)).\n"
        out += "CUSUM on new sources per interval, threshold h = \(String(format: "%.1f", evaluation.baselineThreshold)) (no false alarm on \(request.noise.count * request.runs) calibration runs of other seeds).\n\n"
        var worms = TextTable(header: ["worm", "detected", "time (median)", "infected at alarm (median)", "(worst)",
                                       "CUSUM detected", "CUSUM time", "CUSUM infected (median)", "(worst)",
                                       "estimate error (median)", "(95th pct, worst run)", "in its 90 % band", "probe rate est./true"])
        for result in evaluation.results where result.isWorm {
            let s = Summary(result: result)
            let rate = s.median(s.probeRates).map { String(format: "%.3g/%.3g", $0, result.trueProbeRate ?? .nan) } ?? "–"
            worms.add([result.scenario, "\(s.detected)/\(result.runs.count)", Self.hours(s.median(s.hours)),
                       Self.percent(s.median(s.fractions)), Self.percent(s.worst(s.fractions)),
                       "\(s.baselineDetected)/\(result.runs.count)", Self.hours(s.median(s.baselineHours)),
                       Self.percent(s.median(s.baselineFractions)), Self.percent(s.worst(s.baselineFractions)),
                       Self.percent(s.median(s.errors)), Self.percent(s.worst(s.worstErrors)), Self.percent(s.mean(s.coverages)), rate])
        }
        var noise = TextTable(header: ["noise", "false alarms (Kalman)", "false alarms (CUSUM)", "highest CUSUM"])
        for result in evaluation.results where !result.isWorm {
            let s = Summary(result: result)
            noise.add([result.scenario, "\(s.detected)/\(result.runs.count)", "\(s.baselineDetected)/\(result.runs.count)",
                       String(format: "%.1f", result.runs.map(\.baselineHighest).max() ?? 0)])
        }
        var forecast = TextTable(header: ["forecast at 10 % infected", "final size in 90 % band", "time to 50 % in band", "time to 90 % in band",
                                          "final size error (median)", "(worst)"])
        for result in evaluation.results where result.isWorm {
            let s = Summary(result: result)
            forecast.add([result.scenario, s.covered(0), s.covered(1), s.covered(2),
                          Self.percent(s.median(s.forecastErrors)), Self.percent(s.worst(s.forecastErrors))])
        }
        out += worms.render() + "\n" + forecast.render() + "\n" + noise.render()
        return out
    }

    /// The JSON document `wormwatch.evaluation/1`, with every run.
    public func json() -> String {
        let request = evaluation.request
        var w = JSONWriter()
        w.openObject()
        w.string("format", Self.format)
        w.int("runs", request.runs)
        w.string("seed", String(request.seed))
        w.openArray("monitors")
        for m in request.monitors { w.string(nil, m.description) }
        w.closeArray()
        w.openObject("detector")
        w.int("minimum_sources", request.settings.minimumSources)
        w.number("minimum_growth_per_hour", request.settings.minimumGrowthPerHour)
        w.number("tolerance", request.settings.tolerance)
        w.number("growth_factor", request.settings.growthFactor)
        w.number("drift", request.settings.drift)
        w.int("step_sources", request.settings.stepSources)
        w.closeObject()
        w.number("baseline_threshold", evaluation.baselineThreshold)
        w.openArray("scenarios")
        for result in evaluation.results {
            let s = Summary(result: result)
            w.openObject()
            w.string("scenario", result.scenario)
            w.bool("worm", result.isWorm)
            w.int("detected", s.detected)
            w.int("baseline_detected", s.baselineDetected)
            func optional(_ key: String, _ value: Double?) { if let value { w.number(key, value) } else { w.null(key) } }
            optional("median_detection_hours", s.median(s.hours))
            optional("median_fraction_at_detection", s.median(s.fractions))
            optional("worst_fraction_at_detection", s.worst(s.fractions))
            optional("median_baseline_hours", s.median(s.baselineHours))
            optional("median_baseline_fraction", s.median(s.baselineFractions))
            optional("worst_baseline_fraction", s.worst(s.baselineFractions))
            optional("median_estimate_error", s.median(s.errors))
            optional("worst_estimate_error", s.worst(s.worstErrors))
            optional("estimate_coverage", s.mean(s.coverages))
            optional("true_probe_rate", result.trueProbeRate)
            if !s.forecasts.isEmpty {
                w.int("forecasts", s.forecasts.count)
                w.int("final_size_covered", s.forecasts.filter { $0[0] }.count)
                w.int("time_to_50_percent_covered", s.forecasts.filter { $0[1] }.count)
                w.int("time_to_90_percent_covered", s.forecasts.filter { $0[2] }.count)
                optional("median_final_size_error", s.median(s.forecastErrors))
            }
            w.openArray("runs")
            for run in result.runs {
                w.openObject()
                optional("detection_hours", run.detectionHours)
                optional("fraction_at_detection", run.fractionAtDetection)
                optional("baseline_hours", run.baselineHours)
                optional("baseline_fraction", run.baselineFraction)
                w.number("baseline_highest", run.baselineHighest)
                optional("median_estimate_error", run.medianEstimateError)
                optional("p95_estimate_error", run.worstEstimateError)
                optional("estimate_coverage", run.estimateCoverage)
                optional("probe_rate", run.probeRate)
                if let f = run.forecast {
                    w.openObject("forecast")
                    w.number("time", f.time)
                    for (key, band) in [("final_size", f.finalSize), ("time_to_50_percent", f.timeTo50Percent), ("time_to_90_percent", f.timeTo90Percent)] {
                        w.openObject(key)
                        w.number("median", band.median)
                        w.number("low", band.low)
                        w.number("high", band.high)
                        w.closeObject()
                    }
                    w.closeObject()
                }
                w.closeObject()
            }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return w.text + "\n"
    }
}
