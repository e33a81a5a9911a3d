import Foundation
import Outbreak
import OutbreakScenarios
import OutbreakStudies
import Testing
import WormWatchCore

@Suite("Shards and partial results")
struct ShardTests {
    func parseError(_ text: String) -> String? {
        do { _ = try Shard.parse(text); return nil } catch { return error.description }
    }

    @Test("I/N parses; bad forms and numbers say what is wrong")
    func parsing() throws {
        #expect(try Shard.parse("3/8") == Shard(index: 3, count: 8))
        #expect(parseError("0/4") == "shard: I must be between 1 and N = 4 (got 0)")
        #expect(parseError("5/4") == "shard: I must be between 1 and N = 4 (got 5)")
        #expect(parseError("1/0") == "shard: N must be between 1 and 1000000 (got 0)")
        #expect(parseError("3") == "shard: expected I/N, e.g. 3/8 (got '3')")
        #expect(parseError("a/b") == "shard: expected I/N, e.g. 3/8 (got 'a/b')")
        #expect(parseError("1/2/3") == "shard: expected I/N, e.g. 3/8 (got '1/2/3')")
    }

    @Test("the shards of any total partition its runs in order, sizes differing by at most one")
    func partition() throws {
        for total in 0...60 {
            for count in 1...13 {
                let ranges = try (1...count).map { try Shard(index: $0, count: count).runs(of: total) }
                #expect(ranges.flatMap { Array($0) } == Array(0..<total), "\(total) runs, \(count) shards")
                let sizes = ranges.map(\.count)
                #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
            }
        }
        #expect(try Shard(index: 1_000_000, count: 1_000_000).runs(of: 1_000_000) == 999_999..<1_000_000)
    }

    @Test("a partial result survives JSON, numbers and all, and the merge of its shards is the unsharded ensemble")
    func roundTrip() throws {
        let request = SimulationRequest(scenario: "small-uniform", seed: 9, runs: 7)
        let study = try SimulationStudy(request)
        let whole = try #require(study.run(cancellation: nil))
        var parts: [(file: String, part: PartialResult)] = []
        for i in [3, 1, 2] {
            let partial = try #require(study.run(shard: Shard(index: i, count: 3), cancellation: nil))
            let decoded = try PartialResult.decode(Data(partial.json().utf8), file: "part-\(i)")
            #expect(decoded == partial)
            parts.append(("part-\(i)", decoded))
        }
        guard case .simulation(let merged) = try PartialMerge.merge(parts) else { Issue.record("not a simulation"); return }
        #expect(merged.ensemble.records.map(\.rows) == whole.ensemble.records.map(\.rows))
        #expect(merged.ensemble.records.map(\.summary) == whole.ensemble.records.map(\.summary))
        #expect(merged.scenario == whole.scenario)

        // Damaged parts are refused with a reason, never a crash.
        func mergeError(_ parts: [(file: String, part: PartialResult)]) -> MergeError? {
            do throws(MergeError) { _ = try PartialMerge.merge(parts); return nil } catch { return error }
        }
        var damaged = parts
        damaged[0].part.runs[0].summary.monitorSources = []
        #expect(mergeError(damaged)?.reason.hasSuffix("summary.monitor_sources has 0 monitors, the scenario has 2") == true)
        var huge = parts
        for k in huge.indices { huge[k].part.study.totalRuns = Int.max }
        #expect(mergeError(huge)?.reason == "study.total_runs: \(Int.max) is not between 0 and 1000000")
    }

    @Test("a scenario changed between the shards and the merge is refused")
    func changedScenario() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.yaml").path
        let text = try #require(ScenarioPresets.text(named: "small-uniform"))
        #expect(text.contains("probe_rate: 10\n"))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let study = try SimulationStudy(SimulationRequest(scenario: path, runs: 2))
        let part = try #require(study.run(shard: Shard(index: 1, count: 1), cancellation: nil))
        try text.replacingOccurrences(of: "probe_rate: 10\n", with: "probe_rate: 11\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PartialMerge.merge([("p.json", part)])
            Issue.record("merged a changed scenario")
        } catch {
            #expect(error.reason.hasPrefix("scenario '\(path)' is not the one the shards ran (fingerprint "), "\(error)")
            #expect(error.exitStatus == .dataError)
        }
    }
}
