import Foundation
import Outbreak
import OutbreakStudies
import Reports
import Testing

@Suite("Sweep report")
struct SweepReportTests {
    /// 300 hosts in 2^20 addresses: an outbreak of a few minutes to an hour.
    static let tiny = Scenario(
        name: "tiny-sweep", space: AddressSpace(bits: 20), population: Population(size: 300),
        worm: Worm(probeRate: .fixed(10), initialInfected: 2), duration: 2 * 3600)

    @Test("JSON, CSV, table and charts have the documented shape")
    func shapes() throws {
        let sweep = try ParameterSweep(scenario: SweepReportTests.tiny, parameters: [
            try SweepParameter.parse("worm.probe_rate=1,20"), try SweepParameter.parse("duration_hours=0.25,1"),
        ])
        let report = SweepReport(try #require(sweep.run(seed: 1, runs: 3, outcome: .timeTo50PercentHours)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["format"] as? String == "wormwatch.sweep/1")
        #expect(object["scenario"] as? String == "tiny-sweep")
        #expect(object["outcome"] as? String == "time_to_50pct_hours")
        #expect(object["runs"] as? Int == 3)
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["name"] as? String } == ["worm.probe_rate", "duration_hours"])
        #expect(parameters[1]["values"] as? [Double] == [0.25, 1])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.count == 4)
        #expect(points.map { $0["values"] as? [Double] ?? [] } == [[1, 0.25], [1, 1], [20, 0.25], [20, 1]])
        #expect(points.allSatisfy { Set($0.keys) == ["values", "median", "p05", "p95", "runs_without_value"] })
        // A probe rate of 1 never gets half of 300 hosts in 15 minutes: no value, reported as null.
        #expect(points[0]["runs_without_value"] as? Int == 3)
        #expect(points[0]["median"] is NSNull)
        let csv = report.csv().split(separator: "\n")
        #expect(csv.first == "worm.probe_rate,duration_hours,median,p05,p95,runs_without_value")
        #expect(csv.count == 5)
        #expect(csv[1].hasPrefix("1,0.25,,,,3"))
        #expect(report.table().contains("not reached"))
        let heat = report.svg()
        #expect(heat.hasPrefix("<?xml") && heat.contains("</svg>") && heat.contains("duration_hours"))
        let line = SweepReport(try #require(try ParameterSweep(scenario: SweepReportTests.tiny, parameters: [try SweepParameter.parse("worm.probe_rate=5,20")])
            .run(seed: 1, runs: 2, outcome: .everInfected))).svg()
        #expect(line.contains("</svg>") && line.contains("worm.probe_rate"))
    }
}
