import Foundation
import Synchronization
import Outbreak
import OutbreakStudies
import Reports
import Testing
import WormWatchCore

@Suite("Parameter sweeps")
struct SweepTests {
    /// 300 hosts in 2^20 addresses: an outbreak of a few minutes to an hour.
    static let tiny = Scenario(
        name: "tiny-sweep", space: AddressSpace(bits: 20), population: Population(size: 300),
        worm: Worm(probeRate: .fixed(10), initialInfected: 2), duration: 2 * 3600)

    func parseError(_ text: String) -> RequestError? {
        do { _ = try SweepParameter.parse(text); return nil } catch { return error }
    }

    @Test("lists and A:B:N ranges parse to their values")
    func parsesGrids() throws {
        #expect(try SweepParameter.parse("worm.probe_rate=5,10,20") == SweepParameter(name: "worm.probe_rate", values: [5, 10, 20]))
        #expect(try SweepParameter.parse("host_events.patch_rate_per_hour=0:1:5").values == [0, 0.25, 0.5, 0.75, 1])
        #expect(try SweepParameter.parse("duration_hours=3:3:1").values == [3])
        #expect(try SweepParameter.parse("population.size=100:300:3").values == [100, 200, 300])
        #expect(try SweepParameter.parse(" worm.initial_infected = 1, 2 ").values == [1, 2])
    }

    @Test("bad forms are rejected with a message naming the problem")
    func badForms() {
        let cases: [(String, String)] = [
            ("worm.probe_rate", "vary: expected NAME=V1,V2,... or NAME=A:B:N (got 'worm.probe_rate')"),
            ("worm.speed=1", "vary: unknown parameter 'worm.speed'"),
            ("worm.probe_rate=", "vary worm.probe_rate: no values"),
            ("worm.probe_rate=1,x", "vary worm.probe_rate: 'x' is not a number"),
            ("worm.probe_rate=1,,2", "vary worm.probe_rate: '' is not a number"),
            ("worm.probe_rate=inf", "vary worm.probe_rate: 'inf' is not a finite number"),
            ("worm.probe_rate=1:2", "vary worm.probe_rate: expected A:B:N, N evenly spaced values from A to B (got '1:2')"),
            ("worm.probe_rate=1:2:0", "vary worm.probe_rate: in A:B:N, N must be a whole number from 1 to 10000 (got '0')"),
            ("worm.probe_rate=1:2:2.5", "vary worm.probe_rate: in A:B:N, N must be a whole number from 1 to 10000 (got '2.5')"),
            ("population.size=10.5", "vary population.size: takes whole numbers (got 10.5)"),
        ]
        for (text, message) in cases { #expect(parseError(text)?.description == message, "\(text)") }
        #expect(parseError("worm.speed=1")?.hint == "parameters: " + SweepParameter.knownNames.joined(separator: ", "))
    }

    @Test("grids that are too large, invalid points and a missing patch step are errors")
    func gridErrors() throws {
        func sweepError(_ scenario: Scenario = SweepTests.tiny, _ texts: String...) throws -> RequestError? {
            let parameters = try texts.map(SweepParameter.parse)
            do { _ = try ParameterSweep(scenario: scenario, parameters: parameters); return nil } catch { return error }
        }
        #expect(try sweepError(Self.tiny, "worm.probe_rate=0:1:101", "duration_hours=1:2:100")?.description
                == "vary: the grid has 10100 points; at most 10000")
        let invalid = try sweepError(Self.tiny, "worm.probe_rate=5,-1")
        #expect(invalid?.location == "vary worm.probe_rate=-1")
        #expect(invalid?.reason.hasPrefix("gives an invalid scenario: worm.probe_rate") == true, "\(String(describing: invalid))")
        #expect(try sweepError(Self.tiny, "worm.probe_rate=5", "worm.probe_rate=6")?.description == "vary worm.probe_rate: is given twice")
        #expect(try sweepError(Self.tiny, "host_events.patch_from_hours=1")?.reason == "scenario 'tiny-sweep' has no patch step to move")
    }

    @Test("parameters land in the scenario in SI units; a patch start keeps the last step's rate")
    func applies() throws {
        var base = Self.tiny
        base.hostEvents.patchSchedule = [.init(start: 0, rate: 0), .init(start: 3600, rate: 0.5 / 3600)]
        let sweep = try ParameterSweep(scenario: base, parameters: [
            try SweepParameter.parse("host_events.patch_from_hours=1.5,2"),
            try SweepParameter.parse("worm.infection_delay_seconds=3"),
        ])
        #expect(sweep.points == [[1.5, 3], [2, 3]])
        #expect(sweep.scenarios[0].hostEvents.patchSchedule == [.init(start: 0, rate: 0), .init(start: 5400, rate: 0.5 / 3600)])
        #expect(sweep.scenarios[1].worm.infectionDelay == 3)
        let both = try ParameterSweep(scenario: Self.tiny, parameters: [
            try SweepParameter.parse("host_events.patch_from_hours=2"),
            try SweepParameter.parse("host_events.patch_rate_per_hour=0.36"),
        ])
        #expect(both.scenarios[0].hostEvents.patchSchedule == [.init(start: 7200, rate: 0.36 / 3600)])
    }

    @Test("a higher probe rate reaches 50 % sooner; a higher patch rate leaves fewer ever infected")
    func directions() throws {
        let probe = try #require(try ParameterSweep(scenario: Self.tiny, parameters: [try SweepParameter.parse("worm.probe_rate=10,40")])
            .run(seed: 3, runs: 6, outcome: .timeTo50PercentHours))
        #expect(probe.points.allSatisfy { $0.runsWithoutValue == 0 })
        #expect(probe.points[1].quantiles.median < probe.points[0].quantiles.median / 2, "\(probe.points)")
        let patch = try #require(try ParameterSweep(scenario: Self.tiny, parameters: [try SweepParameter.parse("host_events.patch_rate_per_hour=0,20")])
            .run(seed: 3, runs: 6, outcome: .everInfected))
        #expect(patch.points[0].quantiles.median > 250)
        #expect(patch.points[1].quantiles.median < patch.points[0].quantiles.median / 2, "\(patch.points)")
    }

    @Test("the output does not depend on the number of threads")
    func deterministic() throws {
        let sweep = try ParameterSweep(scenario: Self.tiny, parameters: [
            try SweepParameter.parse("worm.probe_rate=5,20"), try SweepParameter.parse("worm.initial_infected=1,3"),
        ])
        let one = try #require(sweep.run(seed: 9, runs: 3, threads: 1, outcome: .peakNewInfectionsPerMinute))
        let two = try #require(sweep.run(seed: 9, runs: 3, threads: 2, outcome: .peakNewInfectionsPerMinute))
        #expect(one == two)
        // Point p's runs use streams (seed, p·runs + r).
        let engine = try ExactEngine(scenario: sweep.scenarios[3])
        let direct = Quantiles((9..<12).map { engine.run(seed: 9, run: $0).summary.peakNewInfectionsPerMinute })
        #expect(one.points[3].quantiles == direct)
    }
}

@Suite("Sweep requests")
struct SweepRequestTests {
    @Test("a request loads its preset, checks its grid, and runs the same as the sweep it builds")
    func request() throws {
        let request = SweepRequest(scenario: "small-uniform", vary: ["worm.probe_rate=5,20"], runs: 2, seed: 4, outcome: .everInfected)
        let study = try SweepStudy(request)
        #expect(study.totalRuns == 4)
        #expect(try #require(study.run(progress: nil, cancellation: nil)) == study.sweep.run(seed: 4, runs: 2, outcome: .everInfected))
        #expect(throws: StudyError.request(RequestError(setting: "runs", reason: "20 points × 100000 runs is more than 1000000 runs"))) {
            try SweepStudy(SweepRequest(scenario: "small-uniform", vary: ["worm.probe_rate=1:20:20"], runs: 100_000))
        }
        #expect(throws: StudyError.scenario(.unknownPreset(name: "no-such-worm"))) {
            try SweepStudy(SweepRequest(scenario: "no-such-worm", vary: ["worm.probe_rate=5"]))
        }
    }

    @Test("cancelling the task stops the sweep: no more than one run per thread finishes after the cancel")
    func cancel() async throws {
        let study = try SweepStudy(SweepRequest(scenario: "small-uniform", vary: ["worm.probe_rate=1:20:200"], runs: 500))
        let finished = FinishedRuns()
        let task = Task { try await study.run(progress: { finished.record($0) }) }
        // Cancel once the sweep is under way, however fast or slow the machine.
        finished.cancel(after: 20) { task.cancel() }
        await #expect(throws: CancellationError.self) { try await task.value }
        let atCancel = try #require(finished.atCancel)
        // Counted in runs rather than seconds, so a loaded machine cannot fail it.
        #expect(finished.count - atCancel <= ProcessInfo.processInfo.activeProcessorCount)
        #expect(finished.count < study.totalRuns)
    }
}

/// The highest finished-run count a progress callback has reported, and a cancellation fired
/// from the callback itself once enough runs have finished — on the worker's thread, so it does
/// not wait for the test's task to be scheduled (other tests may hold every cooperative thread).
final class FinishedRuns: Sendable {
    private struct State {
        var count = 0
        var atCancel: Int?
        var threshold = Int.max
        var action: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func record(_ count: Int) {
        let fire: (@Sendable () -> Void)? = state.withLock { s in
            s.count = max(s.count, count)
            guard s.atCancel == nil, s.count >= s.threshold, let action = s.action else { return nil }
            s.atCancel = s.count
            return action
        }
        fire?()
    }

    /// Calls `action` once `runs` runs have finished (at once if they already have).
    func cancel(after runs: Int, _ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.threshold = runs; $0.action = action }
        record(0)
    }

    var count: Int { state.withLock { $0.count } }
    /// The count when the cancellation fired.
    var atCancel: Int? { state.withLock { $0.atCancel } }
}
