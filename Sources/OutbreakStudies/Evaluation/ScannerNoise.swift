import Foundation
import EarlyWarning
import Outbreak
import WormWatchCore

/// Scanners that do not spread, as a monitor counts them: what the early warning must not
/// call a worm. Scanners arrive at a rate that may change with the time of day or grow
/// slowly, each scans uniformly for a random while and then stops.
public struct ScannerNoise: Sendable, Hashable {
    /// How the arrival rate changes.
    public enum Shape: String, Sendable, Hashable, CaseIterable {
        /// A constant arrival rate.
        case steady
        /// The arrival rate swings by ±80 % over the day.
        case diurnal
        /// A steady background and one loud scanner probing all day.
        case loud
        /// The arrival rate grows linearly from zero over the whole run.
        case ramp
    }

    /// The shape.
    public var shape: Shape
    /// The arrival rate of scanners per hour (the mean for `diurnal`, the last hour's for `ramp`).
    public var arrivalsPerHour: Double = 400
    /// The mean time a scanner scans, in hours.
    public var meanActiveHours: Double = 6
    /// Probes per second of an ordinary scanner (Code Red's rate, so its sources reach a
    /// monitor as slowly as a worm's).
    public var probeRate: Double = 6
    /// Probes per second of the loud scanner.
    public var loudProbeRate: Double = 1_000
    /// The run's length in hours.
    public var hours: Double = 24
    /// The interval, in seconds.
    public var intervalSeconds: Double = 60
    /// The start, in seconds since 1970 (19 July 2001 00:00 UTC).
    public var start: Int64 = 995_500_800

    /// Creates noise of a shape with the default rates.
    public init(shape: Shape) { self.shape = shape }

    /// The arrival rate per second at `t` seconds from the start.
    func arrivalRate(at t: Double) -> Double {
        let base = arrivalsPerHour / 3600
        switch shape {
        case .steady, .loud: return base
        case .diurnal: return base * (1 + 0.8 * sin(2 * Double.pi * t / 86_400))
        case .ramp: return base * t / (hours * 3600)
        }
    }

    /// The monitor's counts, one per interval, for monitors covering `coverage`.
    public func intervals(coverage: MonitorCoverage, seed: UInt64, run: Int) -> [MonitoredInterval] {
        var rng = Xoshiro256StarStar.stream(seed: seed, index: UInt64(run))
        let duration = hours * 3600
        let count = Int((duration / intervalSeconds).rounded(.up))
        var probes = [Int](repeating: 0, count: count)
        var distinct = [Int](repeating: 0, count: count)
        var new = [Int](repeating: 0, count: count)
        func scanner(from: Double, to: Double, rate: Double, rng: inout Xoshiro256StarStar) {
            let hits = rate * coverage.fraction
            guard hits > 0 else { return }
            var t = from + rng.exponential(rate: hits)
            var lastInterval = -1
            while t < to {
                let k = Int(t / intervalSeconds)
                probes[k] += 1
                if k != lastInterval {
                    distinct[k] += 1
                    if lastInterval < 0 { new[k] += 1 }
                    lastInterval = k
                }
                t += rng.exponential(rate: hits)
            }
        }
        // Scanners already active at the start (the steady state), then arrivals by thinning.
        let peak = arrivalsPerHour / 3600 * (shape == .diurnal ? 1.8 : 1)
        let initial = rng.poisson(mean: arrivalRate(at: 0) * meanActiveHours * 3600)
        for _ in 0..<initial {
            scanner(from: 0, to: min(duration, rng.exponential(rate: 1 / (meanActiveHours * 3600))), rate: probeRate, rng: &rng)
        }
        var t = rng.exponential(rate: peak)
        while t < duration {
            if rng.nextUnit() * peak < arrivalRate(at: t) {
                let end = t + rng.exponential(rate: 1 / (meanActiveHours * 3600))
                scanner(from: t, to: min(duration, end), rate: probeRate, rng: &rng)
            }
            t += rng.exponential(rate: peak)
        }
        if shape == .loud { scanner(from: 0, to: duration, rate: loudProbeRate, rng: &rng) }
        return (0..<count).map { k in
            MonitoredInterval(start: Double(start) + Double(k) * intervalSeconds, seconds: intervalSeconds,
                              probes: probes[k], distinctSources: distinct[k], newSources: new[k])
        }
    }
}
