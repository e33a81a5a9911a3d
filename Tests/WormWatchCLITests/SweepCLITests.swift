import Foundation
import Testing
import WormWatchTestSupport

@Suite("wormwatch sweep")
struct SweepCLITests {
    @Test("a small sweep prints one JSON point per value")
    func smallSweep() throws {
        let run = try wormwatch("sweep", "small-uniform", "--vary", "worm.probe_rate=5,20", "--runs", "3", "--format", "json", "--quiet")
        #expect(run.status == 0, "\(run)")
        let object = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        #expect(object?["format"] as? String == "wormwatch.sweep/1")
        #expect(object?["scenario"] as? String == "small-uniform")
        #expect((object?["points"] as? [[String: Any]])?.count == 2)
    }

    @Test("an unknown parameter exits 64 and lists the known ones")
    func unknownName() throws {
        let run = try wormwatch("sweep", "small-uniform", "--vary", "worm.speed=1,2")
        #expect(run.status == 64)
        #expect(run.stderrLines.first == "wormwatch: error: --vary: unknown parameter 'worm.speed'")
        #expect(run.stderrLines.dropFirst().first?.hasPrefix("hint: parameters: worm.probe_rate, worm.initial_infected") == true, "\(run)")
    }

    @Test("an invalid value exits 64 naming the parameter and value")
    func invalidValue() throws {
        let run = try wormwatch("sweep", "small-uniform", "--vary", "worm.probe_rate=-1")
        #expect(run.status == 64)
        #expect(run.stderrLines.first?.hasPrefix("wormwatch: error: --vary worm.probe_rate=-1: gives an invalid scenario: worm.probe_rate") == true, "\(run)")
        let noVary = try wormwatch("sweep", "small-uniform")
        #expect(noVary.status == 64)
        let badOutcome = try wormwatch("sweep", "small-uniform", "--vary", "worm.probe_rate=5", "--outcome", "speed")
        #expect(badOutcome.status == 64)
    }

    @Test("--plot writes an SVG heat map and --output a CSV file")
    func plot() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let run = try wormwatch("sweep", "small-uniform", "--vary", "worm.probe_rate=5,20", "--vary", "host_events.patch_rate_per_hour=0,1",
                                "--runs", "2", "--outcome", "ever_infected", "--output", folder.file("sweep.csv"), "--plot", folder.file("sweep.svg"))
        #expect(run.status == 0, "\(run)")
        let svg = try String(contentsOfFile: folder.file("sweep.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg") && svg.contains("</svg>"))
        let csv = try String(contentsOfFile: folder.file("sweep.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("worm.probe_rate,host_events.patch_rate_per_hour,median,p05,p95,runs_without_value\n"))
        #expect(csv.split(separator: "\n").count == 5)
    }
}
