import Foundation
import Testing
@testable import EpidemicModels

@Suite struct TwoFactorModelTests {
    @Test func reducesToLogisticWithoutCountermeasuresOrCongestion() throws {
        let n = 1_000_000.0, beta0 = 0.8 / n
        let model = try TwoFactorModel(population: n, initialInfected: 1, beta0: beta0, eta: 0, gamma: 0, mu: 0)
        let logistic = try LogisticModel(population: n, initialInfected: 1, growthRate: beta0 * n)
        let states = try model.solve(duration: 40, step: 0.01)
        #expect(states.count == 4001)
        #expect(states.last?.t == 40)
        var worst = 0.0
        for s in states {
            let err = relativeError(s.infected, logistic.infected(at: s.t))
            worst = max(worst, err)
            #expect(err < 1e-6, "t = \(s.t)")
            #expect(s.removed == 0 && s.quarantined == 0)
        }
        print("two-factor (η = γ = μ = 0, h = 0.01) worst relative error vs logistic: \(worst)")
    }

    @Test func zouCodeRedPeaksThenDeclinesAndConserves() throws {
        let model = TwoFactorModel.zouCodeRed
        #expect(model.population == 1_000_000 && model.initialInfected == 1)
        #expect(model.eta == 3 && model.gamma == 0.05)
        #expect(relativeError(model.beta0, 0.8e-6) < 1e-15 && relativeError(model.mu, 0.06e-6) < 1e-15)

        let states = try model.solve(duration: 100, step: 0.01)
        let peakIndex = states.indices.max { states[$0].infected < states[$1].infected }!
        let peak = states[peakIndex]
        print("two-factor Code Red: I peaks at t = \(peak.t) units with I = \(peak.infected); "
              + "at t = 100: I = \(states.last!.infected), J = \(states.last!.everInfected), Q = \(states.last!.quarantined)")
        #expect(peakIndex > 0 && peakIndex < states.count - 1)
        #expect(states.last!.infected < 0.5 * peak.infected)
        // I rises to the peak, then falls.
        for (a, b) in zip(states[..<peakIndex], states[1...peakIndex]) { #expect(b.infected >= a.infected) }
        for (a, b) in zip(states[peakIndex...], states[(peakIndex + 1)...]) { #expect(b.infected <= a.infected) }
        var worst = 0.0
        for (a, b) in zip(states, states.dropFirst()) {
            #expect(b.susceptible <= a.susceptible)
            #expect(b.removed >= a.removed && b.quarantined >= a.quarantined)
            #expect(b.susceptible >= 0)
            worst = max(worst, relativeError(b.total, model.population))
        }
        #expect(worst < 1e-6)
        print("two-factor Code Red: worst |S+I+R+Q − N|/N = \(worst)")
    }

    @Test func solveAtTimesMatchesGridSolution() throws {
        let model = TwoFactorModel.zouCodeRed
        let grid = try model.solve(duration: 60, step: 0.05)
        let picked = try model.solve(times: [0, 12.5, 30, 60], maxStep: 0.05)
        #expect(picked.map(\.t) == [0, 12.5, 30, 60])
        for s in picked {
            let g = grid.first { abs($0.t - s.t) < 1e-9 }!
            #expect(relativeError(s.infected, g.infected) < 1e-9)
        }
        // Coarser steps agree closely with finer ones (RK4 is converged at h = 0.05).
        let coarse = try model.solve(times: [30], maxStep: 0.1)[0]
        #expect(relativeError(coarse.infected, picked[2].infected) < 1e-5)
    }

    @Test func invalidParametersThrowWithUsefulDescription() {
        do {
            _ = try TwoFactorModel(population: 100, initialInfected: 0, beta0: 0.01, eta: 3, gamma: 0.05, mu: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error == .outOfRange(parameter: "initialInfected", value: 0, expected: "in (0, population] = (0, 100.0]"))
            #expect(error.description == "initialInfected: must be in (0, population] = (0, 100.0] (got 0.0)")
        }
        #expect(throws: EpidemicModelError.negative(parameter: "gamma", value: -1)) {
            try TwoFactorModel(population: 100, initialInfected: 1, beta0: 0.01, eta: 3, gamma: -1, mu: 0)
        }
        #expect(throws: EpidemicModelError.self) {
            try TwoFactorModel(population: .nan, initialInfected: 1, beta0: 0.01, eta: 3, gamma: 0, mu: 0)
        }
        #expect(throws: EpidemicModelError.notPositive(parameter: "step", value: 0)) {
            try TwoFactorModel.zouCodeRed.solve(duration: 10, step: 0)
        }
        #expect(throws: EpidemicModelError.negative(parameter: "duration", value: -1)) {
            try TwoFactorModel.zouCodeRed.solve(duration: -1, step: 1)
        }
    }
}
