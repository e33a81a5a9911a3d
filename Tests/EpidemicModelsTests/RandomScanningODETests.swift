import Foundation
import Testing
@testable import EpidemicModels

@Suite struct RandomScanningODETests {
    @Test func withoutRemovalMatchesLogistic() throws {
        let ode = try RandomScanningODE(population: CodeRed.population, initialInfected: 1,
                                        probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace)
        let logistic = try LogisticModel(population: CodeRed.population, initialInfected: 1,
                                         probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace)
        let states = try ode.solve(duration: 14 * 3600, step: 10)
        var worst = 0.0
        for s in states {
            let err = relativeError(s.infected, logistic.infected(at: s.t))
            worst = max(worst, err)
            #expect(err < 1e-6, "t = \(s.t)")
            #expect(relativeError(s.susceptible + s.infected, CodeRed.population) < 1e-12)
        }
        print("random-scanning ODE (μ = γ = ρ = c = 0, h = 10 s) worst relative error vs logistic: \(worst)")
    }

    @Test func patchingCleaningAndRebootsConserveHosts() throws {
        let ode = try RandomScanningODE(population: CodeRed.population, initialInfected: 10,
                                        probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace,
                                        patchRate: 1e-5, cleanRate: 2e-5, rebootRate: 1e-5, congestionExponent: 2)
        let states = try ode.solve(times: Array(stride(from: 0.0, through: 200_000, by: 1000)), maxStep: 20)
        var peak = 0.0
        for (a, b) in zip(states, states.dropFirst()) {
            #expect(relativeError(b.total, CodeRed.population) < 1e-9)
            #expect(b.patched >= a.patched && b.cleaned >= a.cleaned)
            #expect(b.susceptible >= 0 && b.infected >= 0)
            peak = max(peak, b.infected)
        }
        #expect(states.last!.infected < peak)
        #expect(states.last!.removed > 0.5 * CodeRed.population)
    }

    @Test func congestionSlowsTheSpread() throws {
        let plain = try RandomScanningODE(population: CodeRed.population, initialInfected: 1,
                                          probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace)
        let congested = try RandomScanningODE(population: CodeRed.population, initialInfected: 1,
                                              probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace,
                                              congestionExponent: 3)
        let t = [30_000.0]
        #expect(try congested.solve(times: t)[0].infected < plain.solve(times: t)[0].infected)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: EpidemicModelError.negative(parameter: "rebootRate", value: -0.1)) {
            try RandomScanningODE(population: 10, initialInfected: 1, probeRate: 1, addressSpace: 100, rebootRate: -0.1)
        }
        do {
            _ = try RandomScanningODE(population: 1000, initialInfected: 1, probeRate: 1, addressSpace: 100)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("addressSpace: must be >= max(1, population)"))
        }
        #expect(throws: EpidemicModelError.self) {
            try LogisticModel(population: 10, initialInfected: 11, growthRate: 1)
        }
        #expect(throws: EpidemicModelError.notFinite(parameter: "growthRate", value: .infinity)) {
            try LogisticModel(population: 10, initialInfected: 1, growthRate: .infinity)
        }
    }
}
