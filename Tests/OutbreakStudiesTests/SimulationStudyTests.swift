import Foundation
import Outbreak
import OutbreakStudies
import Testing
import WormWatchCore

/// The simulation as a library call: from sync and async code, cancellable, its errors
/// naming settings rather than options.
@Suite("Simulation study")
struct SimulationStudyTests {
    @Test("async and sync runs give the same ensemble; the request's hours override the preset's")
    func asyncEqualsSync() async throws {
        let study = try SimulationStudy(SimulationRequest(scenario: "small-uniform", hours: 0.5, seed: 3, runs: 4, threads: 2))
        #expect(study.scenario.duration == 1800)
        let sync = try #require(study.run(progress: nil, cancellation: nil))
        let async = try await study.run(progress: nil)
        #expect(sync.ensemble.records == async.ensemble.records)
        #expect(sync.ensemble.records.count == 4)
    }

    @Test("cancelling the task stops a long ensemble: no more than one run per thread finishes after the cancel")
    func cancel() async throws {
        let study = try SimulationStudy(SimulationRequest(scenario: "small-uniform", runs: 100_000))
        let finished = FinishedRuns()
        let task = Task { try await study.run(progress: { if case .runs(let done) = $0 { finished.record(done) } }) }
        finished.cancel(after: 20) { task.cancel() }
        await #expect(throws: CancellationError.self) { try await task.value }
        let atCancel = try #require(finished.atCancel)
        #expect(finished.count - atCancel <= ProcessInfo.processInfo.activeProcessorCount)
        #expect(finished.count < 100_000)
    }

    @Test("settings the request gets wrong are named as settings")
    func errors() {
        #expect(throws: StudyError.request(RequestError(setting: "runs", reason: "must be between 1 and 1000000 (got 0)"))) {
            try SimulationStudy(SimulationRequest(scenario: "small-uniform", runs: 0))
        }
        #expect(throws: StudyError.request(RequestError(setting: "threads", reason: "must be between 0 and 1024 (got 2000)"))) {
            try SimulationStudy(SimulationRequest(scenario: "small-uniform", threads: 2000))
        }
        #expect(throws: StudyError.request(RequestError(setting: "traffic_per_8",
                                                        reason: "is not available for sequence-walking strategies (permutation, static-seed, sequential)"))) {
            try SimulationStudy(SimulationRequest(scenario: "warhol", keepTrafficPerSlash8: true))
        }
        #expect(throws: StudyError.scenario(.unknownPreset(name: "codered-v9"))) {
            try SimulationStudy(SimulationRequest(scenario: "codered-v9"))
        }
        let error = StudyError.scenario(.unknownPreset(name: "codered-v9"))
        #expect(error.exitStatus == .noInput && error.hint?.hasPrefix("presets: codered-ii, codered-v1") == true)
    }
}
