import Foundation
import WormWatchCore

/// A quantity's median and 90 % band.
public struct ForecastBand: Sendable, Hashable, Codable {
    /// The median.
    public var median: Double
    /// The 5th percentile.
    public var low: Double
    /// The 95th percentile.
    public var high: Double

    /// Whether `value` lies in the band.
    public func contains(_ value: Double) -> Bool { low <= value && value <= high }
}

/// Where a uniformly scanning worm is heading: its final size N and when it reaches 50 % and
/// 90 % of N, each with a 90 % band.
///
/// For uniform random scanning the logistic's rate is K = η·N/Ω, so the growth rate seen now,
/// r = K·(1 − I/N), gives N = r·Ω/η + I: the final size follows from the growth rate (the
/// growth filter), the probe rate per host (from the returning sources, independent of the
/// growth) and the hosts infected now — long before the growth slows. The band propagates the
/// three uncertainties by Monte Carlo (2,000 draws from a fixed seed, so a forecast is
/// reproducible), with the growth rate's and the probe rate's deviations scaled by
/// ``deviationScale``.
public struct OutbreakForecast: Sendable, Hashable, Codable {
    /// When, in seconds since 1970.
    public var time: Double
    /// The final size N (hosts ever infected).
    public var finalSize: ForecastBand
    /// When half of N are infected, in seconds since 1970.
    public var timeTo50Percent: ForecastBand
    /// When 90 % of N are infected, in seconds since 1970.
    public var timeTo90Percent: ForecastBand

    /// How the filters' deviations are scaled in the draws. The growth filter's drift makes its
    /// rate deviation about twice the rate's real error; 0.5 was calibrated on `codered-v2`
    /// runs of seeds 1001–1050 (final size in the 90 % band in 43 of 50) and checked on seeds
    /// 1–50 (46 of 50) — `wormwatch evaluate --seed 1001 --worm codered-v2`.
    public static let deviationScale = 0.5

    enum CodingKeys: String, CodingKey {
        case time
        case finalSize = "final_size"
        case timeTo50Percent = "time_to_50_percent"
        case timeTo90Percent = "time_to_90_percent"
    }

    /// A forecast at `time` from the growth rate r (per hour) and its deviation, the probe rate
    /// η (per second) with its relative deviation, the infected hosts I with their deviation,
    /// and Ω; `nil` if the worm is not growing.
    public static func make(time: Double, growthPerHour r: Double, growthDeviation: Double, probeRate eta: Double,
                            probeRateRelativeDeviation: Double, infected: Double, infectedDeviation: Double,
                            space: Double = 4_294_967_296) -> OutbreakForecast? {
        guard r > 0, eta > 0, infected > 0, r.isFinite, eta.isFinite else { return nil }
        var rng = SplitMix64(seed: 0x5EED_F0CA)
        var sizes: [Double] = [], halves: [Double] = [], ninety: [Double] = []
        sizes.reserveCapacity(2_000); halves.reserveCapacity(2_000); ninety.reserveCapacity(2_000)
        for _ in 0..<2_000 {
            let rate = r + deviationScale * growthDeviation * rng.normal()
            let probe = eta * exp(deviationScale * probeRateRelativeDeviation * rng.normal())
            let now = max(1, infected + infectedDeviation * rng.normal())
            guard rate > 0 else { continue }
            let perSecond = rate / 3600
            let n = perSecond * space / probe + now
            let k = probe * n / space
            sizes.append(n)
            // Logistic: I reaches f·N after ln(f/(1−f)·(N − I)/I)/K from now.
            halves.append(time + max(0, log((n - now) / now)) / k)
            ninety.append(time + max(0, log(9 * (n - now) / now)) / k)
        }
        guard sizes.count >= 100 else { return nil }
        return OutbreakForecast(time: time, finalSize: band(&sizes), timeTo50Percent: band(&halves), timeTo90Percent: band(&ninety))
    }

    static func band(_ values: inout [Double]) -> ForecastBand {
        values.sort()
        func q(_ p: Double) -> Double { values[min(values.count - 1, Int(p * Double(values.count)))] }
        return ForecastBand(median: q(0.5), low: q(0.05), high: q(0.95))
    }
}

extension SplitMix64 {
    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double { (-2 * log(unit())).squareRoot() * cos(2 * Double.pi * unit()) }
}
