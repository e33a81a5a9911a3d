import Foundation
import Testing
@testable import EpidemicModels

@Suite struct RungeKutta4Tests {
    @Test func exponentialDecayIsFourthOrder() throws {
        // y' = −y, y(1) = e^−1. Halving h should cut the error by about 2^4 = 16.
        func error(_ h: Double) throws -> Double {
            let y = try RungeKutta4.integrate(from: 0, state: [1], to: 1, maxStep: h) { _, y in [-y[0]] }
            return abs(y[0] - exp(-1))
        }
        let ratio = try error(0.1) / error(0.05)
        #expect(ratio > 14 && ratio < 18, "error ratio \(ratio)")
    }

    @Test func timeDependentRightHandSide() throws {
        // y' = cos t → y = sin t; two components to exercise vectors.
        let ys = try RungeKutta4.solve(from: 0, state: [0, 1], outputTimes: [0, 1, 2.5, 2.5, 7],
                                       maxStep: 0.01) { t, y in [cos(t), -y[1]] }
        #expect(ys.count == 5)
        #expect(ys[0] == [0, 1])
        for (t, y) in zip([0, 1, 2.5, 2.5, 7.0], ys) {
            #expect(abs(y[0] - sin(t)) < 1e-10)
            #expect(abs(y[1] - exp(-t)) < 1e-10)
        }
    }

    @Test func gridEndsAtDuration() throws {
        #expect(try RungeKutta4.grid(duration: 3, step: 1) == [0, 1, 2, 3])
        #expect(try RungeKutta4.grid(duration: 2.5, step: 1) == [0, 1, 2, 2.5])
        #expect(try RungeKutta4.grid(duration: 0, step: 1) == [0])
        #expect(try RungeKutta4.grid(duration: 0.3, step: 0.1).count == 4)
    }

    @Test func badInputThrows() {
        #expect(throws: EpidemicModelError.notPositive(parameter: "maxStep", value: 0)) {
            try RungeKutta4.integrate(from: 0, state: [1], to: 1, maxStep: 0) { _, y in y }
        }
        #expect(throws: EpidemicModelError.unsortedTimes(index: 1, previous: 2, value: 1)) {
            try RungeKutta4.solve(from: 0, state: [1], outputTimes: [2, 1], maxStep: 1) { _, y in y }
        }
        #expect(throws: EpidemicModelError.dimensionMismatch(expected: 2, got: 1)) {
            try RungeKutta4.integrate(from: 0, state: [1, 2], to: 1, maxStep: 1) { _, _ in [0] }
        }
        #expect(throws: EpidemicModelError.self) {
            try RungeKutta4.grid(duration: 1e300, step: 1e-300)
        }
        #expect(throws: EpidemicModelError.self) {
            try RungeKutta4.integrate(from: 0, state: [1], to: 1e300, maxStep: 1e-300) { _, y in y }
        }
    }
}
