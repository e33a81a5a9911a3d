import Foundation
import Testing

@Suite("wormwatch validate")
struct ValidateCLITests {
    @Test("a small validation prints the five rows as JSON and writes the report")
    func smallValidation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try wormwatch("validate", "--runs", "2", "--format", "json", "--report", folder.path)
        #expect(run.status == 0, "\(run)")
        let object = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
        #expect(object?["format"] as? String == "wormwatch.validation/1")
        let rows = object?["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0["consistent"] is Bool && $0["simulated_median"] is Double })
        for name in ["README.md", "infected.svg", "new-infections.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) missing")
        }
    }

    @Test("bad options exit 64")
    func badOptions() throws {
        let run = try wormwatch("validate", "--runs", "1")
        #expect(run.status == 64)
        #expect(run.stderrLines.first == "wormwatch: error: --runs: must be between 2 and 100000 (got 1)")
    }
}
