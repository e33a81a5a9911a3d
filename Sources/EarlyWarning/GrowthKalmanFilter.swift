import Foundation

/// A Kalman filter on the logarithm of the infected hosts, with the growth rate as a state:
/// the logistic d ln I/dt = α·(1 − I/N) read as a level L = ln I that grows at a rate r which
/// holds at α while I ≪ N and drifts only slowly (a random walk of a few per cent per step).
///
/// It filters the level instead of differencing noisy estimates, so the rate's uncertainty
/// falls as 1/√(sources seen), as the information in the counts allows. Steps may be of any
/// length. Rates are per hour.
public struct GrowthKalmanFilter: Sendable {
    /// How far the rate may drift per step, as a fraction of the rate (plus ``rateFloor``).
    public let drift: Double
    /// The rate, per hour, below which the drift no longer shrinks.
    public let rateFloor: Double
    /// The level L = ln I.
    public private(set) var level = 0.0
    /// The growth rate r, per hour.
    public private(set) var rate = 0.0
    private var p00 = 0.0, p01 = 0.0, p11 = 0.0
    private var time: Double?
    /// Measurements taken.
    public private(set) var steps = 0

    /// Creates a filter.
    public init(drift: Double = 0.05, rateFloor: Double = 0.2) {
        self.drift = drift; self.rateFloor = rateFloor
    }

    /// The level's standard deviation (of ln I).
    public var levelDeviation: Double { p00.squareRoot() }

    /// The rate's standard deviation, per hour.
    public var rateDeviation: Double { p11.squareRoot() }

    /// Takes the estimate `infected` (with its variance) for the moment `time` (seconds).
    public mutating func update(time t: Double, infected: Double, variance: Double) {
        guard infected > 0, infected.isFinite, variance.isFinite else { return }
        let y = log(infected)
        let r = max(variance / (infected * infected), 1e-6)
        defer { time = t; steps += 1 }
        guard let previous = time else {
            // A diffuse start: the level from the first measurement, the rate unknown.
            level = y; rate = 0
            p00 = r; p01 = 0; p11 = 1e6
            return
        }
        let dt = max(t - previous, 0) / 3600
        // Predict: L += r·dt; the rate drifts.
        level += rate * dt
        let n00 = p00 + 2 * dt * p01 + dt * dt * p11
        let n01 = p01 + dt * p11
        let q = drift * (abs(rate) + rateFloor)
        p00 = n00; p01 = n01; p11 += q * q
        // Update with y = L + noise.
        let s = p00 + r
        let k0 = p00 / s, k1 = p01 / s
        let innovation = y - level
        level += k0 * innovation
        rate += k1 * innovation
        let u00 = (1 - k0) * p00, u01 = (1 - k0) * p01, u11 = p11 - k1 * p01
        p00 = max(u00, 0); p01 = u01; p11 = max(u11, 0)
    }
}
