import Foundation
import Testing
@testable import EpidemicModels

/// The Levenberg–Marquardt solver on its own, and the model fits on noiseless curves the
/// analytic models generate: the parameters must come back to within 1e-4 (relative).
@Suite("Fitting: Levenberg–Marquardt and model fits")
struct FittingTests {
    // MARK: Solver

    @Test("LM fits a straight line exactly and gives the textbook standard errors")
    func straightLine() throws {
        // y = 2 + 3x with residuals ±0.1: the covariance must equal the OLS formulae.
        let x = (0..<10).map(Double.init)
        let y = x.enumerated().map { 2 + 3 * $1 + ($0 % 2 == 0 ? 0.1 : -0.1) }
        let result = LevenbergMarquardt().minimize(names: ["a", "b"], start: [0, 0]) { p in
            zip(x, y).map { p[0] + p[1] * $0 - $1 }
        }
        let solution = try result.get()
        let mx = x.reduce(0, +) / 10, sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let b = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * $1.1 } / sxx
        let a = y.reduce(0, +) / 10 - b * mx
        #expect(abs(solution.parameters[0] - a) < 1e-9)
        #expect(abs(solution.parameters[1] - b) < 1e-9)
        let s2 = solution.sumOfSquares / 8
        #expect(relativeError(solution.standardErrors[1], (s2 / sxx).squareRoot()) < 1e-6)
        #expect(relativeError(solution.standardErrors[0], (s2 * (1 / 10 + mx * mx / sxx)).squareRoot()) < 1e-6)
    }

    @Test("LM names a parameter that is a combination of the others")
    func singular() throws {
        // y = a·b·x: only the product is determined.
        let x = (1...8).map(Double.init)
        let result = LevenbergMarquardt().minimize(names: ["a", "b"], start: [1, 1]) { p in
            x.map { p[0] * p[1] * $0 - 6 * $0 + 0.01 * sin($0) }
        }
        guard case .failure(.unidentifiable(let name, let reason)) = result else {
            Issue.record("expected an unidentifiable parameter, got \(result)")
            return
        }
        #expect(name == "b")
        #expect(reason.contains("combination"))
    }

    @Test("LM names a parameter the model does not depend on")
    func ignoredParameter() throws {
        let x = (1...8).map(Double.init)
        let result = LevenbergMarquardt().minimize(names: ["a", "unused"], start: [1, 1]) { p in
            x.map { p[0] * $0 - 2 * $0 }
        }
        #expect(result == .failure(.unidentifiable(parameter: "unused", reason: "the model does not depend on it")))
    }

    @Test("LM reports non-finite model output and the iteration limit")
    func failures() throws {
        let nan = LevenbergMarquardt().minimize(names: ["a"], start: [1]) { _ in [Double.nan, 1] }
        #expect(nan == .failure(.nonFiniteModelOutput(detail: "at the starting parameters")))
        // Minimising e^(−a) pushes a to +∞ for ever; with 5 iterations the limit is hit.
        let limited = LevenbergMarquardt(maxIterations: 5).minimize(names: ["a"], start: [0]) { p in [exp(-p[0]), exp(-p[0])] }
        #expect(limited == .failure(.iterationLimit(iterations: 5)))
    }

    @Test("t quantiles: the table, the expansion near 30, and the normal limit")
    func tQuantiles() {
        #expect(StudentT.quantile975(degreesOfFreedom: 1) == 12.7062)
        #expect(StudentT.quantile975(degreesOfFreedom: 10) == 2.2281)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 30) - 2.0423) < 1e-4)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 120) - 1.9799) < 1e-4)
        #expect(abs(StudentT.quantile975(degreesOfFreedom: 1_000_000) - 1.96) < 1e-3)
        #expect(StudentT.quantile975(degreesOfFreedom: 0).isNaN)
    }

    // MARK: Recovery of known parameters

    @Test("logistic: K, N and I0 of a noiseless curve come back exactly")
    func logisticRecovery() throws {
        let truth = try LogisticModel(population: 360_000, initialInfected: 50, growthRate: 1.8 / 3600)
        let times = stride(from: 0.0, through: 16 * 3600, by: 600).map { $0 }
        let counts = times.map { truth.infected(at: $0) }
        let fit = try ModelFitter.fitLogistic(times: times, counts: counts)
        let k = try #require(fit.parameter("K")), n = try #require(fit.parameter("N")), i0 = try #require(fit.parameter("I0"))
        #expect(relativeError(k.value, 0.0005) < 1e-6)
        #expect(relativeError(n.value, 360_000) < 1e-6)
        #expect(relativeError(i0.value, 50) < 1e-6)
        #expect(relativeError(try #require(fit.parameter("K_per_hour")).value, 1.8) < 1e-6)
        #expect(fit.rSquared > 0.999_999_999)
        #expect(fit.points == times.count && fit.degreesOfFreedom == times.count - 3)
    }

    @Test("logistic: with noise the 95 % intervals cover the truth, and are t·se wide")
    func logisticNoise() throws {
        let truth = try LogisticModel(population: 20_000, initialInfected: 400, growthRate: 0.03)
        let times = stride(from: 0.0, through: 600, by: 10).map { $0 }
        // A fixed pseudo-random ±1 % noise (deterministic).
        var state: UInt64 = 12345
        let counts = times.map { t -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53) - 0.5
            return truth.infected(at: t) + 100 * u
        }
        let fit = try ModelFitter.fitLogistic(times: times, counts: counts)
        let k = try #require(fit.parameter("K")), n = try #require(fit.parameter("N"))
        #expect(k.covers(0.03), "K \(k)")
        #expect(n.covers(20_000), "N \(n)")
        #expect(abs((k.upper95 - k.value) - fit.tQuantile * k.standardError) < 1e-12)
        #expect(fit.rmse > 20 && fit.rmse < 40)   // uniform ±50: sd 28.9
    }

    @Test("AAWP: s, N, d and p of a noiseless curve come back to 1e-4")
    func aawpRecovery() throws {
        let omega = 67_108_864.0   // 2^26
        let truth = try AAWPModel(population: 20_000, addressSpace: omega, probesPerTick: 1000,
                                  deathRate: 0.01, patchRate: 0.004, tickSeconds: 10, initialInfected: 40)
        let states = try truth.run(ticks: 90)
        let fit = try ModelFitter.fitAAWP(times: states.map(\.time), counts: states.map(\.everInfected), addressSpace: omega)
        #expect(relativeError(try #require(fit.parameter("s")).value, 1000) < 1e-4, "\(fit.parameters)")
        #expect(relativeError(try #require(fit.parameter("N")).value, 20_000) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("d")).value, 0.01) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("p")).value, 0.004) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("probe_rate")).value, 100) < 1e-4)
    }

    @Test("two-factor: K0, η, γ and μ of a noiseless curve come back to 1e-4")
    func twoFactorRecovery() throws {
        let n = 20_000.0
        let truth = try TwoFactorModel(population: n, initialInfected: 400, beta0: 0.03 / n, eta: 3,
                                       gamma: 0.003, mu: 0.02 / n)
        let times = stride(from: 0.0, through: 1200, by: 10).map { $0 }
        let states = try truth.solve(times: times, maxStep: 0.05)
        let fit = try ModelFitter.fitTwoFactor(times: times, counts: states.map(\.everInfected), population: n)
        #expect(relativeError(try #require(fit.parameter("K0")).value, 0.03) < 1e-4, "\(fit.parameters)")
        #expect(relativeError(try #require(fit.parameter("beta0")).value, 0.03 / n) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("eta")).value, 3) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("gamma")).value, 0.003) < 1e-4)
        #expect(relativeError(try #require(fit.parameter("mu")).value, 0.02 / n) < 1e-4)
    }

    // MARK: What cannot be fitted

    @Test("a constant series is reported as unidentifiable, not fitted")
    func constant() {
        let times = (0..<20).map { Double($0) * 60 }
        let counts = [Double](repeating: 400, count: 20)
        for kind in FitModelKind.allCases {
            #expect(throws: FitError.self) {
                _ = try ModelFitter.fit(kind, times: times, counts: counts, population: 1000, addressSpace: 1_048_576)
            }
        }
        #expect(throws: FitError.notConverged(model: .logistic, failure: .unidentifiable(
            parameter: "K", reason: "the counts never change (all 400), so there is no growth to fit"))) {
            _ = try ModelFitter.fitLogistic(times: times, counts: counts)
        }
    }

    @Test("an exponential (no saturation yet) leaves the logistic's N undetermined")
    func noSaturation() {
        // Pure exponential growth is the logistic with N = ∞: every large N fits, so N must
        // not be printed, however tight its formal interval.
        let times = (0..<30).map { Double($0) * 60 }
        let counts = times.map { 10 * exp(0.001 * $0) }
        do {
            let fit = try ModelFitter.fitLogistic(times: times, counts: counts)
            Issue.record("expected no fit, got \(fit.parameters)")
        } catch {
            guard case .notConverged(.logistic, let failure) = error else { Issue.record("unexpected \(error)"); return }
            if case .unidentifiable(let name, _) = failure { #expect(name == "N") }
        }
    }

    @Test("too few points, negative counts, times going back are errors naming the point")
    func badSeries() {
        #expect(throws: FitError.tooFewPoints(model: .logistic, points: 3, needed: 4)) {
            _ = try ModelFitter.fitLogistic(times: [0, 1, 2], counts: [1, 2, 3])
        }
        #expect(throws: FitError.tooFewPoints(model: .twoFactor, points: 4, needed: 5)) {
            _ = try ModelFitter.fitTwoFactor(times: [0, 1, 2, 3], counts: [1, 2, 3, 4], population: 10)
        }
        #expect(throws: FitError.invalidData(index: 2, message: "count is negative (-1)")) {
            _ = try ModelFitter.fitLogistic(times: [0, 1, 2, 3, 4], counts: [1, 2, -1, 3, 4])
        }
        #expect(throws: FitError.invalidData(index: 3, message: "time 1 is not after the previous point's 2")) {
            _ = try ModelFitter.fitLogistic(times: [0, 1, 2, 1, 4], counts: [1, 2, 3, 3, 4])
        }
        #expect(throws: FitError.invalidData(index: 4, message: "the AAWP model needs equally spaced times (one tick each): this interval is 20 s, the first is 10 s")) {
            _ = try ModelFitter.fitAAWP(times: [0, 10, 20, 30, 50], counts: [1, 2, 3, 4, 5])
        }
        #expect(throws: FitError.invalidSetting(name: "population", message: "the two-factor model needs N, the vulnerable population")) {
            _ = try ModelFitter.fit(.twoFactor, times: [0, 1, 2, 3, 4], counts: [1, 2, 3, 4, 5])
        }
    }
}
