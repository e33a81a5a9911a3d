import Foundation
import Outbreak
import OutbreakStudies
import Reports
import Testing
import WormWatchCore

@Suite("Validation against a published record")
struct ValidationTests {
    static let scenario = Scenario(
        name: "tiny", space: AddressSpace(bits: 20), population: Population(size: 200),
        worm: Worm(probeRate: .fixed(5), initialInfected: 2), duration: 3600)

    /// Ten runs whose statistic is simply the run's index: quantiles 0.45, 4.5, 8.55.
    func ensemble() throws -> Ensemble {
        let engine = try ExactEngine(scenario: Self.scenario)
        return Ensemble(records: (0..<10).map { engine.run(seed: 1, run: $0) })
    }

    func figure(_ key: String, _ value: Double, _ comparison: PublishedFigure.Comparison,
                _ f: @escaping @Sendable (OutbreakRecord, Scenario) -> Double = { r, _ in Double(r.run) }) -> PublishedFigure {
        PublishedFigure(quantity: key, key: key, value: value, text: "\(value)", unit: "", comparison: comparison,
                        source: "test", caveat: "because", simulated: f)
    }

    @Test("rows carry the band of the runs and the comparison's verdict (hand-checked)")
    func handChecked() throws {
        let result = ValidationResult(scenario: Self.scenario, ensemble: try ensemble(), seed: 1, record: [
            figure("inside", 5, .value), figure("below", 0.4, .value), figure("above", 8.6, .value),
            figure("at-least-ok", 4.5, .atLeast), figure("at-least-no", 4.6, .atLeast),
            figure("window-overlap", 8, .window(low: 8.5, high: 20)), figure("window-apart", 10, .window(low: 9, high: 20)),
            figure("odd-missing", 3, .value) { r, _ in r.run % 2 == 1 ? .nan : Double(r.run) },
            figure("at-most-ok", 4.5, .atMost), figure("at-most-no", 4.4, .atMost),
        ])
        let q = result.rows[0].simulated
        #expect(Swift.abs(q.p05 - 0.45) < 1e-12 && q.median == 4.5 && Swift.abs(q.p95 - 8.55) < 1e-12)
        #expect(result.rows.map(\.consistent) == [true, false, false, true, false, true, false, true, true, false])
        #expect(result.rows[7].missingRuns == 5)
        #expect(result.rows[7].simulated.median == 4)  // of 0, 2, 4, 6, 8
        // The report formats exactly these rows.
        let report = ValidationReport(result)
        let json = ValidationReport.json([report])
        #expect(json.contains("\"format\": \"wormwatch.validation/2\""))
        #expect(json.contains("\"why\": \"because\""))
        #expect(json.contains("\"note\": \"because\""))
        let markdown = ValidationReport.markdown([report], command: "wormwatch validate", generated: "test")
        #expect(markdown.contains("| [`tiny`](#tiny) | 10 | 5 | 5 |"))
        #expect(markdown.contains("### Where tiny disagrees, and why"))
        #expect(markdown.contains("| below | 0.4  | 4.5 | 0.45 – 8.55 | **no** | test |"))
    }

    @Test("the logistic K fitted to an engine run is the model's K = η·N/Ω")
    func fittedK() throws {
        let s = Scenario(name: "k", space: AddressSpace(bits: 26), population: Population(size: 20_000),
                         worm: Worm(probeRate: .fixed(100), initialInfected: 400), duration: 720, interval: 10)
        let record = try ExactEngine(scenario: s).run(seed: 4)
        let truth = 100.0 * 20_000 / Double(1 << 26) * 3600
        let k = ValidationResult.fittedK(record, until: 720)
        #expect(Swift.abs(k / truth - 1) < 0.03, "fitted \(k)/h, model \(truth)/h")
    }

    @Test("the Code Red v2 record has the five rows the issue asks for, each with a source")
    func record() {
        let keys = PublishedRecord.codeRedV2().map(\.key)
        #expect(keys == ["infected_after_14h", "peak_new_per_minute", "peak_hour_utc", "telescope_sources", "logistic_k_per_hour"])
        for preset in PublishedRecord.presets {
            let figures = PublishedRecord.figures(for: preset) ?? []
            #expect(!figures.isEmpty && figures.allSatisfy { !$0.source.isEmpty }, "\(preset)")
        }
        #expect(PublishedRecord.figures(for: "warhol") == nil)
    }

    @Test("crossing times interpolate within the interval (hand-checked)")
    func crossing() throws {
        let s = Scenario(name: "c", space: AddressSpace(bits: 20), population: Population(size: 1000),
                         worm: Worm(probeRate: .fixed(50), initialInfected: 1), duration: 3600, interval: 60)
        var record = try ExactEngine(scenario: s).run(seed: 2)
        for i in record.rows.indices { record.rows[i].everInfected = 10 * (i + 1) }  // 10 at 60 s, 20 at 120 s, ...
        #expect(PublishedRecord.crossingTime(record, 15) == 90)
        #expect(PublishedRecord.crossingTime(record, 5) == 30)  // from 0 at time 0
        #expect(PublishedRecord.crossingTime(record, 1e9) == nil)
    }
}
