import Foundation
import Testing

@Suite("wormwatch validate")
struct ValidateCLITests {
    @Test("a small validation prints the five rows as JSON and writes the report")
    func smallValidation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try wormwatch("validate", "codered-v2", "--runs", "2", "--format", "json", "--report", folder.path)
        #expect(run.status == 0, "\(run)")
        let object = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        #expect(object?["format"] as? String == "wormwatch.validation/2")
        let scenarios = object?["scenarios"] as? [[String: Any]] ?? []
        #expect(scenarios.map { $0["scenario"] as? String } == ["codered-v2"])
        let rows = scenarios.first?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0["consistent"] is Bool && $0["simulated_median"] is Double })
        for name in ["README.md", "codered-v2-infected.svg", "codered-v2-new-infections.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) missing")
        }
    }

    @Test("bad options exit 64")
    func badOptions() throws {
        let run = try wormwatch("validate", "--runs", "1")
        #expect(run.status == 64)
        #expect(run.stderrLines.first == "wormwatch: error: --runs: must be between 2 and 100000 (got 1)")
        let unknown = try wormwatch("validate", "warhol")
        #expect(unknown.status == 64)
        #expect(unknown.stderrLines.first == "wormwatch: error: warhol: no published record for this preset (those with one: codered-v2, codered-v2-august, codered-v1, slammer)")
    }

    @Test("the three smaller presets validate together, each with its rows")
    func otherPresets() throws {
        let run = try wormwatch("validate", "codered-v2-august", "codered-v1", "slammer", "--runs", "2", "--format", "json")
        #expect(run.status == 0, "\(run)")
        let object = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        let scenarios = object?["scenarios"] as? [[String: Any]] ?? []
        #expect(scenarios.map { $0["scenario"] as? String } == ["codered-v2-august", "codered-v1", "slammer"])
        #expect(scenarios.map { ($0["rows"] as? [Any])?.count } == [3, 1, 3])
    }
}
