import Foundation

/// Zou et al.'s Kalman filter on the discrete logistic (CCS 2003):
/// I(t) = (1 + α)·I(t−1) − β·I(t−1)², with the state (α, β) constant but for a little process
/// noise, and each bias-corrected estimate of I a noisy measurement. α is the growth per
/// interval while the worm is small; α/β is the vulnerable population N.
///
/// β is kept as γ = β·scale so both parts of the state are of the order of α.
public struct LogisticKalmanFilter: Sendable {
    /// The scale of γ = β·scale.
    public let scale: Double
    /// The process noise of α per step (its standard deviation), letting α drift slowly.
    public let processNoise: Double
    /// α: growth per interval while small.
    public private(set) var alpha = 0.0
    /// γ = β·scale.
    public private(set) var gamma = 0.0
    // Covariance of (α, γ).
    private var p00 = 1.0, p01 = 0.0, p11 = 1.0
    private var last: (infected: Double, variance: Double)?
    /// Measurements taken.
    public private(set) var steps = 0

    /// Creates a filter; `scale` should be of the order of the population (10^6 for IPv4 worms).
    public init(scale: Double = 1e6, processNoise: Double = 0.002) {
        self.scale = scale; self.processNoise = processNoise
    }

    /// The standard deviation of α.
    public var alphaDeviation: Double { p00.squareRoot() }

    /// The growth per interval now, at the last estimate: α − β·I.
    public var effectiveGrowth: Double {
        guard let last else { return alpha }
        return alpha - gamma * last.infected / scale
    }

    /// The standard deviation of the effective growth.
    public var effectiveGrowthDeviation: Double {
        guard let last else { return alphaDeviation }
        let h = last.infected / scale
        return max(0, p00 - 2 * h * p01 + h * h * p11).squareRoot()
    }

    /// N = α/β, when the filter has seen the growth slow (β > 0).
    public var population: Double? {
        guard gamma > 0, alpha > 0 else { return nil }
        return alpha / gamma * scale
    }

    /// Takes the next estimate of the infected hosts and its variance.
    public mutating func update(infected: Double, variance: Double) {
        defer { last = (infected, variance); steps += 1 }
        guard let last else { return }
        // Predict: the state is constant; its covariance grows by the process noise.
        let q = processNoise * processNoise
        p00 += q
        p11 += q
        // Measure y = I(t) − I(t−1) = α·I(t−1) − γ·I(t−1)²/scale.
        let h0 = last.infected, h1 = -last.infected * last.infected / scale
        let y = infected - last.infected
        let r = max(variance + last.variance, 1)
        let ph0 = p00 * h0 + p01 * h1, ph1 = p01 * h0 + p11 * h1
        let s = h0 * ph0 + h1 * ph1 + r
        guard s > 0, s.isFinite else { return }
        let k0 = ph0 / s, k1 = ph1 / s
        let innovation = y - (h0 * alpha + h1 * gamma)
        alpha += k0 * innovation
        gamma += k1 * innovation
        // P = (I − K·H)·P
        let n00 = p00 - k0 * ph0, n01 = p01 - k0 * ph1, n11 = p11 - k1 * ph1
        p00 = max(n00, 0); p01 = n01; p11 = max(n11, 0)
    }
}
