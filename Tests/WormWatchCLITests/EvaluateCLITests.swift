import Foundation
import Testing

@Suite("wormwatch evaluate")
struct EvaluateCLITests {
    @Test("prints wormwatch.evaluation/1 with every scenario and run")
    func json() throws {
        let outcome = try wormwatch("evaluate", "--runs", "2", "--worm", "codered-v2", "--noise", "steady", "--noise", "ramp", "--format", "json", "--quiet")
        #expect(outcome.status == 0, "\(outcome)")
        let document = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
        #expect(document["format"] as? String == "wormwatch.evaluation/1")
        #expect(document["monitors"] as? [String] == ["131.243.0.0/16"])
        let scenarios = try #require(document["scenarios"] as? [[String: Any]])
        #expect(scenarios.map { $0["scenario"] as? String } == ["codered-v2", "noise-steady", "noise-ramp"])
        #expect(scenarios.allSatisfy { ($0["runs"] as? [Any])?.count == 2 })
        #expect(scenarios[0]["detected"] as? Int == 2)
        #expect(scenarios[1]["detected"] as? Int == 0)
    }

    @Test("bad options name the option and exit 64")
    func errors() throws {
        let noise = try wormwatch("evaluate", "--noise", "loudest")
        #expect(noise.status == 64)
        #expect(noise.stderrLines.first?.contains("--noise loudest: unknown (one of steady, diurnal, loud, ramp)") == true, "\(noise)")
        let monitor = try wormwatch("evaluate", "--monitor", "131.243.0.0/33")
        #expect(monitor.status == 64)
        #expect(monitor.stderrLines.first?.contains("--monitor 131.243.0.0/33: not a prefix like 131.243.0.0/16") == true, "\(monitor)")
        let runs = try wormwatch("evaluate", "--runs", "0")
        #expect(runs.status == 64)
        #expect(runs.stderrLines.first?.contains("runs") == true, "\(runs)")
    }
}
