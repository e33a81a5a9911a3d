#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tick positions and compact tick labels, as used by the charts of this module.
public enum ChartTicks {
    /// "Nice" ticks covering `min...max` with a step of 1, 2 or 5 × 10ᵏ.
    ///
    /// The first tick is at or below `min` and the last at or above `max`, so the result can be
    /// used to round an automatic axis outwards. For `0...359_000` this gives
    /// `0, 50_000, …, 400_000`; for `0...1` it gives `0, 0.2, …, 1`.
    /// - Parameters:
    ///   - min: Lower end of the data range.
    ///   - max: Upper end of the data range.
    ///   - targetCount: About how many intervals are wanted (at least 1).
    /// - Returns: Ascending tick values; empty if either bound is not finite.
    public static func linear(min: Double, max: Double, targetCount: Int = 6) -> [Double] {
        guard min.isFinite, max.isFinite else { return [] }
        var lo = Swift.min(min, max)
        var hi = Swift.max(min, max)
        if hi == lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = niceStep((hi - lo) / Double(Swift.max(1, targetCount)))
        guard step.isFinite, step > 0 else { return [] }
        let first = (lo / step).rounded(.down)
        let last = (hi / step).rounded(.up)
        guard (last - first) < 10_000 else { return [] }
        var ticks: [Double] = []
        var k = first
        while k <= last {
            ticks.append(clean(k * step, step: step))
            k += 1
        }
        return ticks
    }

    /// Ticks for a logarithmic axis over `min...max` (both > 0), all within that range.
    ///
    /// Decades (1, 10, 100, …) when the range spans enough of them, thinned to every second or
    /// third decade when there are more than `maxCount`; 1-2-5 or 1…9 multiples for narrow
    /// ranges, and linear ticks when even those are too few.
    /// - Parameters:
    ///   - min: Lower end of the axis, > 0.
    ///   - max: Upper end of the axis, > `min`.
    ///   - maxCount: The most ticks wanted.
    /// - Returns: Ascending tick values; empty for an invalid range.
    public static func logarithmic(min: Double, max: Double, maxCount: Int = 10) -> [Double] {
        guard min.isFinite, max.isFinite, min > 0, max > min else { return [] }
        let maxCount = Swift.max(2, maxCount)
        let tol = 1e-9
        let e0 = Int((log10(min) - tol).rounded(.down))
        let e1 = Int((log10(max) + tol).rounded(.up))
        guard e1 - e0 < 700 else { return [] }
        func inRange(_ v: Double) -> Bool { v >= min * (1 - tol) && v <= max * (1 + tol) }

        let decades = (e0...e1).filter { inRange(pow10($0)) }
        if decades.count >= 3 {
            let stride = (decades.count + maxCount - 1) / maxCount
            if stride <= 1 { return decades.map(pow10) }
            return decades.filter { $0 % stride == 0 }.map(pow10)
        }
        for multipliers in [[1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var ticks: [Double] = []
            for e in e0...e1 {
                for m in multipliers {
                    let v = m * pow10(e)
                    if inRange(v) { ticks.append(v) }
                }
            }
            if ticks.count >= 3 && ticks.count <= maxCount + 2 { return ticks }
            if ticks.count > maxCount + 2 { break }
        }
        return linear(min: min, max: max, targetCount: Swift.min(maxCount, 6))
            .filter { $0 > 0 && inRange($0) }
    }

    /// Labels for a set of ticks, formatted compactly and consistently: the same suffix
    /// (k, M, G, T) for all of them and just enough decimals, e.g. `0, 50k, 100k`,
    /// `1k, 1.5k, 2k`, `0, 0.2, 0.4`. Plain numbers are used when a suffix would need more than
    /// two decimals (e.g. `1000, 1002, 1004`). Negative values use a typographic minus (−).
    /// - Parameter ticks: Tick values, usually from ``linear(min:max:targetCount:)``.
    /// - Returns: One label per tick (non-finite ticks give an empty string).
    public static func labels(for ticks: [Double]) -> [String] {
        let finite = ticks.filter(\.isFinite)
        guard !finite.isEmpty else { return ticks.map { _ in "" } }
        let maxAbs = finite.map(abs).max() ?? 0
        if maxAbs >= 1e15 || (maxAbs < 1e-4 && maxAbs > 0) {
            return ticks.map { $0.isFinite ? label($0) : "" }
        }
        var scales: [(Double, String)] = [(1, "")]
        for (divisor, suffix) in suffixes.reversed() where maxAbs >= divisor {
            scales.insert((divisor, suffix), at: 0)
            break
        }
        for (divisor, suffix) in scales {
            let scaled = finite.map { $0 / divisor }
            let limit = suffix.isEmpty ? 6 : 2
            if let decimals = (0...limit).first(where: { d in
                scaled.allSatisfy { v in
                    let p = pow10(d)
                    return abs((v * p).rounded() / p - v) <= Swift.max(abs(v), 1) * 1e-9
                }
            }) {
                return ticks.map { v in
                    guard v.isFinite else { return "" }
                    let text = stripZeros(fixed(v / divisor, decimals: decimals))
                    return text == "0" ? "0" : text + suffix
                }
            }
        }
        return ticks.map { $0.isFinite ? label($0) : "" }
    }

    /// A single value formatted compactly with about `significantDigits` significant digits and
    /// no trailing zeros: `359k`, `1.5k`, `3.6M`, `42`, `0.125`, `2.5e-6`.
    /// - Parameters:
    ///   - value: The value to format.
    ///   - significantDigits: Significant digits to keep (1…15).
    /// - Returns: The label; `"NaN"`, `"∞"` or `"−∞"` for non-finite values.
    public static func label(_ value: Double, significantDigits: Int = 3) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        if value == 0 { return "0" }
        let digits = Swift.min(15, Swift.max(1, significantDigits))
        let sign = value < 0 ? "−" : ""
        let a = abs(value)
        if a < 1e-4 || a >= 1e15 {
            var exponent = Int(log10(a).rounded(.down))
            var mantissa = roundSignificant(a / pow10(exponent), digits: digits)
            if mantissa >= 10 {
                mantissa /= 10
                exponent += 1
            }
            return sign + stripZeros(fixed(mantissa, decimals: digits - 1)) + "e" + (exponent < 0 ? "-" : "") + "\(abs(exponent))"
        }
        let rounded = roundSignificant(a, digits: digits)
        var divisor = 1.0
        var suffix = ""
        for (d, s) in suffixes where rounded >= d {
            divisor = d
            suffix = s
        }
        let scaled = rounded / divisor
        let magnitude = Int(log10(scaled).rounded(.down))
        let decimals = Swift.min(12, Swift.max(0, digits - 1 - magnitude))
        return sign + stripZeros(fixed(scaled, decimals: decimals)) + suffix
    }

    // MARK: - Internals

    static let suffixes: [(Double, String)] = [(1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T")]

    /// 1, 2 or 5 × 10ᵏ nearest (in Heckbert's sense) to `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let exponent = log10(raw).rounded(.down)
        let magnitude = pow(10, exponent)
        let fraction = raw / magnitude
        let nice: Double
        if fraction < 1.5 {
            nice = 1
        } else if fraction < 3 {
            nice = 2
        } else if fraction < 7 {
            nice = 5
        } else {
            nice = 10
        }
        return nice * magnitude
    }

    /// Removes floating-point noise such as 0.30000000000000004 from a multiple of `step`.
    static func clean(_ value: Double, step: Double) -> Double {
        let decimals = Swift.max(0, Int((-log10(step)).rounded(.up)) + 1)
        guard decimals > 0, decimals < 16 else { return value == 0 ? 0 : value }
        let p = pow10(decimals)
        let v = (value * p).rounded() / p
        return v == 0 ? 0 : v
    }

    static func pow10(_ e: Int) -> Double { pow(10, Double(e)) }

    static func roundSignificant(_ a: Double, digits: Int) -> Double {
        guard a > 0, a.isFinite else { return a }
        let magnitude = Int(log10(a).rounded(.down))
        let p = pow10(digits - 1 - magnitude)
        return (a * p).rounded() / p
    }

    /// `value` with exactly `decimals` decimals, typographic minus, no exponent.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return label(value) }
        let d = Swift.max(0, Swift.min(15, decimals))
        let p = pow10(d)
        let scaled = (abs(value) * p).rounded()
        guard scaled < 9e15 else { return (value < 0 ? "−" : "") + "\(abs(value).rounded())" }
        let n = Int64(scaled)
        let unit = Int64(p)
        let intPart = n / unit
        var text = "\(intPart)"
        if d > 0 {
            let frac = String(n % unit)
            text += "." + String(repeating: "0", count: d - frac.count) + frac
        }
        return (value < 0 && n != 0 ? "−" : "") + text
    }

    static func stripZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }
}
