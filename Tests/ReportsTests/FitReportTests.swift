import EpidemicModels
import Foundation
import Reports
import Testing

/// The fit report: the documented JSON keys, the table's rows, the SVG, and a fit that did not
/// converge — on a real fit of a noiseless logistic curve.
@Suite("Fit report")
struct FitReportTests {
    /// I(t) = N / (1 + ((N − I0)/I0) e^(−K t)) with K = 5e-4/s, N = 1000, I0 = 10, every 10 minutes.
    static func logisticOutcome() throws -> SeriesFitOutcome {
        let times = (0..<24).map { Double($0) * 600 + 995_536_800 }
        let counts = times.map { t in 1000 / (1 + 99 * Foundation.exp(-5e-4 * (t - times[0]))) }
        let series = ObservedSeries(times: times, counts: counts, lines: Array(2..<26), start: 995_536_800)
        let fit = try ModelFitter.fit(.logistic, times: series.times, counts: series.counts)
        return SeriesFitOutcome(request: SeriesFitRequest(path: "x.csv"), series: series, result: .success(fit))
    }

    @Test("JSON has the documented keys; the table and the SVG show the fitted parameters")
    func converged() throws {
        let outcome = try Self.logisticOutcome()
        let fit = try #require(outcome.fit)
        let report = FitReport(outcome)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["format"] as? String == "wormwatch.fit/1")
        #expect(object["start"] as? String == "2001-07-19T10:00:00Z")
        #expect(object["converged"] as? Bool == true)
        #expect(object["points"] as? Int == 24 && object["degrees_of_freedom"] as? Int == 21)
        let parameter = try #require((object["parameters"] as? [[String: Any]])?.first)
        #expect(parameter.keys.sorted() == ["ci95_high", "ci95_low", "name", "standard_error", "unit", "value"])
        let k = try #require(fit.parameter("K"))
        #expect(parameter["name"] as? String == "K" && parameter["ci95_low"] as? Double == k.lower95)
        #expect(Swift.abs(k.value - 5e-4) < 1e-9)
        #expect((object["series"] as? [Any])?.count == 24)
        let table = report.table()
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("K ") })
        #expect(row.split(separator: " ").map(String.init)
                == ["K", FitReport.number(k.value), FitReport.number(k.standardError), FitReport.number(k.lower95),
                    FitReport.number(k.upper95), "1/s"], "\(table)")
        #expect(table.contains("n = 24, p = 3"))
        let svg = report.svg()
        #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        #expect(svg.contains("logistic fit") && svg.contains("observed"))
    }

    @Test("a fit that did not converge: JSON says why, with no parameters")
    func failed() throws {
        let series = ObservedSeries(times: [0, 60, 120], counts: [1, 2, 3], lines: [2, 3, 4])
        let outcome = SeriesFitOutcome(request: SeriesFitRequest(path: "x.csv", model: .aawp), series: series,
                                       result: .failure(.unidentifiable(parameter: "d", reason: "the model hardly depends on it")))
        let report = FitReport(outcome)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["converged"] as? Bool == false)
        #expect(object["reason"] as? String == "d is not identifiable from these data: the model hardly depends on it")
        #expect((object["parameters"] as? [Any])?.isEmpty == true)
        #expect(report.table().hasSuffix("did not converge: d is not identifiable from these data: the model hardly depends on it\n"))
    }

    @Test("numbers in the table: six significant digits, no exponent sign")
    func numbers() {
        #expect(FitReport.number(0.000496913) == "4.96913e-04")
        #expect(FitReport.number(1.8) == "1.8")
        #expect(FitReport.number(359_812.4567) == "359812")
        #expect(FitReport.number(0.0029802) == "0.0029802")
        #expect(FitReport.number(2.5e20) == "2.5e20")
        #expect(FitReport.number(.nan) == "-")
    }
}
