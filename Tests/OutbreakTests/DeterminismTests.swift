import Testing
import Outbreak
import WormWatchCore

@Suite("Determinism")
struct DeterminismTests {
    @Test("the same seed gives the same record; another seed another")
    func sameSeed() throws {
        let s = smallScenario(bits: 20, hosts: 300, rate: 5, hours: 3,
                              monitors: [Monitor(name: "m", prefixes: [IPv4Prefix("0.0.0.0/14")!])])
        let engine = try ExactEngine(scenario: s)
        #expect(engine.run(seed: 42) == engine.run(seed: 42))
        #expect(engine.run(seed: 42) != engine.run(seed: 43))
        #expect(engine.run(seed: 42, run: 1) != engine.run(seed: 42, run: 0))
    }

    @Test("an ensemble does not depend on the number of threads")
    func threads() throws {
        let s = smallScenario(bits: 20, hosts: 300, rate: 5, hours: 3)
        let one = try Ensemble.run(s, seed: 9, runs: 6, threads: 1)
        let three = try Ensemble.run(s, seed: 9, runs: 6, threads: 3)
        #expect(one.records == three.records)
        #expect(Set(one.records.map(\.summary.timeTo50Percent)).count > 1)
    }
}
