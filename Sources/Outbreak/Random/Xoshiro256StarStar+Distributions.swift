import Foundation

extension Xoshiro256StarStar {
    /// An exponential variate with the given rate (mean `1/rate`); `+∞` when the rate is 0.
    @inlinable
    public mutating func exponential(rate: Double) -> Double {
        rate > 0 ? -Foundation.log(nextOpenUnit()) / rate : .infinity
    }

    /// A standard normal variate (Marsaglia's polar method).
    @inlinable
    public mutating func standardNormal() -> Double {
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * Foundation.log(s) / s).squareRoot() }
        }
    }

    /// A Poisson variate with the given mean: inversion for small means,
    /// Hörmann's PTRS transformed rejection for large ones. Exact for every mean.
    public mutating func poisson(mean: Double) -> UInt64 {
        guard mean > 0, mean.isFinite else { return 0 }
        if mean < 10 {
            var k: UInt64 = 0
            var p = Foundation.exp(-mean)
            var s = p
            let u = nextUnit()
            while u > s {
                k += 1
                p *= mean / Double(k)
                s += p
                if p == 0 && s < u { break }
            }
            return k
        }
        let smu = mean.squareRoot()
        let b = 0.931 + 2.53 * smu
        let a = -0.059 + 0.02483 * b
        let logInvAlpha = Foundation.log(1.1239 + 1.1328 / (b - 3.4))
        let vr = 0.9277 - 3.6224 / (b - 2)
        let logMean = Foundation.log(mean)
        while true {
            let u = nextUnit() - 0.5
            let v = nextUnit()
            let us = 0.5 - Swift.abs(u)
            let kd = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return UInt64(kd) }
            if kd < 0 || (us < 0.013 && v > us) { continue }
            if Foundation.log(v) + logInvAlpha - Foundation.log(a / (us * us) + b)
                <= -mean + kd * logMean - Foundation.lgamma(kd + 1) {
                return UInt64(kd)
            }
        }
    }

    /// A binomial variate: `n` trials of probability `p`. Inversion when `n·min(p, 1−p)` is
    /// small, Hörmann's BTRS transformed rejection otherwise. Exact for every `n` and `p`.
    public mutating func binomial(trials n: Int, probability p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        let flip = p > 0.5
        let pp = flip ? 1 - p : p
        let q = 1 - pp
        let nd = Double(n)
        var k: Int
        if nd * pp < 10 {
            let s = pp / q
            let a = (nd + 1) * s
            var r = Foundation.exp(nd * Foundation.log1p(-pp))
            var u = nextUnit()
            k = 0
            while u > r && k < n {
                u -= r
                k += 1
                r *= a / Double(k) - s
                if r <= 0 { break }
            }
        } else {
            let spq = (nd * pp * q).squareRoot()
            let b = 1.15 + 2.53 * spq
            let a = -0.0873 + 0.0248 * b + 0.01 * pp
            let c = nd * pp + 0.5
            let vr = 0.92 - 4.2 / b
            let alpha = (2.83 + 5.1 / b) * spq
            let lpq = Foundation.log(pp / q)
            let m = ((nd + 1) * pp).rounded(.down)
            let h = Foundation.lgamma(m + 1) + Foundation.lgamma(nd - m + 1)
            while true {
                let u = nextUnit() - 0.5
                var v = nextUnit()
                let us = 0.5 - Swift.abs(u)
                let kd = ((2 * a / us + b) * u + c).rounded(.down)
                if kd < 0 || kd > nd { continue }
                if us >= 0.07 && v <= vr { k = Int(kd); break }
                v = Foundation.log(v * alpha / (a / (us * us) + b))
                if v <= h - Foundation.lgamma(kd + 1) - Foundation.lgamma(nd - kd + 1) + (kd - m) * lpq {
                    k = Int(kd)
                    break
                }
            }
        }
        return flip ? n - k : k
    }
}

extension Xoshiro256StarStar {
    /// A gamma variate with integer-or-real shape ≥ 1 and the given rate: the time until the
    /// `shape`-th event of a Poisson process of that rate (Marsaglia & Tsang's method).
    public mutating func gamma(shape: Double, rate: Double) -> Double {
        guard rate > 0 else { return .infinity }
        if shape <= 1 { return exponential(rate: rate) }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v / rate }
            if Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v / rate }
        }
    }
}
