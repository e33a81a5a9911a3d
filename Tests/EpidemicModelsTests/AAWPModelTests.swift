import Foundation
import Testing
@testable import EpidemicModels

@Suite struct AAWPModelTests {
    let logistic = try! LogisticModel(population: CodeRed.population, initialInfected: 1,
                                      probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace)

    /// Max over the run of |n(i) − I(i·tick)| / N.
    func worstDeviation(tick: Double, hours: Double = 14) throws -> Double {
        let model = try AAWPModel(population: CodeRed.population, addressSpace: CodeRed.addressSpace,
                                  probeRate: CodeRed.probeRate, tickSeconds: tick)
        let states = try model.run(ticks: Int(hours * 3600 / tick))
        var worst = 0.0
        for s in states {
            worst = max(worst, abs(s.infected - logistic.infected(at: s.time)) / CodeRed.population)
        }
        return worst
    }

    @Test func convergesToLogisticAsTickShrinks() throws {
        let e60 = try worstDeviation(tick: 60)
        let e10 = try worstDeviation(tick: 10)
        let e1 = try worstDeviation(tick: 1)
        print("AAWP vs logistic, worst |n − I|/N over 14 h: tick 60 s \(e60), 10 s \(e10), 1 s \(e1)")
        // Tick 1 s, N = 360,000, Ω = 2^32, η = 6: within 0.1 % of N at all times.
        #expect(e1 < 1e-3)
        #expect(e10 < 1e-2)
        // First-order convergence: the error shrinks roughly in proportion to the tick.
        #expect(e10 < e60 / 3)
        #expect(e1 < e10 / 5)
    }

    @Test func withoutRemovalInfectedIsMonotoneAndBounded() throws {
        let model = try AAWPModel(population: CodeRed.population, addressSpace: CodeRed.addressSpace,
                                  probesPerTick: 600, tickSeconds: 100)
        let states = try model.run(ticks: 2_000)
        #expect(states.count == 2_001)
        #expect(states.first?.infected == 1)
        for (a, b) in zip(states, states.dropFirst()) {
            #expect(b.infected >= a.infected)
            #expect(b.infected <= CodeRed.population)
            #expect(b.removed == 0)
            #expect(abs(b.infected + b.susceptible - CodeRed.population) < 1e-6)
        }
        #expect(states.last!.infected > 0.999 * CodeRed.population)
    }

    @Test func hugeProbeCountSaturatesWithoutOvershoot() throws {
        // Every host sends 2^40 probes per tick: the hit probability is 1, not > 1.
        let model = try AAWPModel(population: 1000, addressSpace: 4096, probesPerTick: 1e12)
        let states = try model.run(ticks: 3)
        #expect(states[1].infected == 1000)
        #expect(states[3].susceptible == 0)
    }

    @Test func patchingAndDeathConserveHosts() throws {
        let d = 0.002, p = 0.001
        let model = try AAWPModel(population: CodeRed.population, addressSpace: CodeRed.addressSpace,
                                  probesPerTick: 360, deathRate: d, patchRate: p, tickSeconds: 60)
        let states = try model.run(ticks: 3_000)
        var peak = 0.0
        for s in states {
            #expect(s.susceptible >= 0 && s.infected >= 0)
            // S + n never exceeds the unpatched hosts (1 − p)^i·N.
            #expect(s.susceptible + s.infected <= CodeRed.population * pow(1 - p, Double(s.tick)) * (1 + 1e-12))
            #expect(s.everInfected <= CodeRed.population)
            peak = max(peak, s.infected)
        }
        // Removal makes the infection peak and decline.
        #expect(states.last!.infected < 0.5 * peak)
        // Bookkeeping: the removed count is Σ (d + p)·n(j).
        let expected = states.dropLast().reduce(0.0) { $0 + (d + p) * $1.infected }
        #expect(relativeError(states.last!.removed, expected) < 1e-9)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: EpidemicModelError.notPositive(parameter: "population", value: 0)) {
            try AAWPModel(population: 0, addressSpace: 10, probesPerTick: 1)
        }
        #expect(throws: EpidemicModelError.self) {
            try AAWPModel(population: 100, addressSpace: 10, probesPerTick: 1)
        }
        #expect(throws: EpidemicModelError.self) {
            try AAWPModel(population: 100, addressSpace: 1000, probesPerTick: 1, deathRate: 0.6, patchRate: 0.6)
        }
        #expect(throws: EpidemicModelError.notPositive(parameter: "tickSeconds", value: 0)) {
            try AAWPModel(population: 100, addressSpace: 1000, probesPerTick: 1, tickSeconds: 0)
        }
        #expect(throws: EpidemicModelError.negative(parameter: "ticks", value: -1)) {
            try AAWPModel(population: 100, addressSpace: 1000, probesPerTick: 1).run(ticks: -1)
        }
    }
}
