import Foundation
import Testing
@testable import EpidemicModels

@Suite struct LogisticModelTests {
    let model = try! LogisticModel(population: CodeRed.population, initialInfected: 1,
                                   probeRate: CodeRed.probeRate, addressSpace: CodeRed.addressSpace)

    @Test func growthRateFromProbeRate() {
        #expect(relativeError(model.growthRate, 6 * 360_000 / 4_294_967_296) < 1e-15)
        // ≈ 1.81 per hour, Staniford et al.'s fit for Code Red.
        #expect(abs(model.growthRate * 3600 - 1.81) < 0.01)
        #expect(model.infected(at: 0) == 1)
    }

    @Test func closedFormSatisfiesTheODE() {
        // Central difference, h = 1 s, against K·I·(1 − I/N) computed with the cancellation-free
        // S = N − I. Near saturation I itself cannot resolve its own change (one ulp of 360,000
        // is 6e-11 while dI/dt falls to 1e-5/s), so past N/2 the derivative of S is checked
        // instead (and before t = 0, where S is close to N, only that of I).
        let h = 1.0
        var worstI = 0.0, worstS = 0.0
        for t in stride(from: -10_000.0, through: 80_000.0, by: 250.0) {
            let i = model.infected(at: t), s = model.susceptible(at: t)
            let rhs = model.growthRate * i * s / CodeRed.population
            #expect(relativeError(model.newInfectionsRate(at: t), rhs) < 1e-12, "t = \(t)")
            #expect(relativeError(i + s, CodeRed.population) < 1e-15)
            if s <= i {
                let fdS = -(model.susceptible(at: t + h) - model.susceptible(at: t - h)) / (2 * h)
                #expect(relativeError(fdS, rhs) < 1e-6, "t = \(t): −dS/dt \(fdS) vs K·I·S/N \(rhs)")
                worstS = max(worstS, relativeError(fdS, rhs))
            }
            if i <= s || t <= 40_000 {   // up to I/N = 1 − 6e-4
                let fdI = (model.infected(at: t + h) - model.infected(at: t - h)) / (2 * h)
                #expect(relativeError(fdI, rhs) < 1e-6, "t = \(t): dI/dt \(fdI) vs K·I·S/N \(rhs)")
                #expect(relativeError(fdI, model.derivative(infected: i)) < 1e-6, "t = \(t)")
                worstI = max(worstI, relativeError(fdI, rhs))
            }
        }
        print("logistic: worst relative error of central difference vs ODE: dI/dt \(worstI) (t ≤ 40000 s), −dS/dt (I > N/2) \(worstS)")
    }

    @Test func timeToReachRoundTrips() {
        for f in [1e-6, 0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999999] {
            let t = model.time(toReach: f)
            #expect(t.isFinite)
            #expect(relativeError(model.infected(at: t), f * CodeRed.population) < 1e-9, "fraction \(f)")
        }
        // Half of N is reached at ln(A)/K.
        let half = log(CodeRed.population - 1) / model.growthRate
        #expect(relativeError(model.time(toReach: 0.5), half) < 1e-12)
        // Before t = 0 for fractions under I0/N; never for fraction 1.
        #expect(model.time(toReach: 1e-7) < 0)
        #expect(model.time(toReach: 1) == .infinity)
        #expect(model.time(toReach: 0) == -.infinity)
        #expect(model.time(toReach: .nan).isNaN)
    }

    @Test func saturatesWithoutCancellation() {
        let late = 200_000.0
        #expect(model.infected(at: late) <= CodeRed.population)
        #expect(model.susceptible(at: late) > 0)
        #expect(model.newInfectionsRate(at: late) >= 0)
        #expect(model.infected(at: -1e9) == 0)
        #expect(model.newInfectionsRate(at: -1e9) == 0)
    }

    @Test func fullyInfectedAndFlatCases() throws {
        let full = try LogisticModel(population: 10, initialInfected: 10, growthRate: 1)
        #expect(full.infected(at: 100) == 10)
        #expect(full.newInfectionsRate(at: 3) == 0)
        let flat = try LogisticModel(population: 10, initialInfected: 2, growthRate: 0)
        #expect(flat.infected(at: 1e6) == 2)
        #expect(flat.time(toReach: 0.5) == .infinity)
    }

    @Test func rungeKuttaAgreesWithClosedForm() throws {
        let times = Array(stride(from: 0.0, through: 50_000.0, by: 500.0))
        let ys = try RungeKutta4.solve(from: 0, state: [1], outputTimes: times, maxStep: 10) { _, y in
            [model.derivative(infected: y[0])]
        }
        var worst = 0.0
        for (t, y) in zip(times, ys) {
            let err = relativeError(y[0], model.infected(at: t))
            worst = max(worst, err)
            #expect(err < 1e-6, "t = \(t)")
        }
        print("logistic: RK4 (h = 10 s) worst relative error vs closed form: \(worst)")
    }
}
