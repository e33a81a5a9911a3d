import Foundation

/// The models `ModelFitter` can fit to an observed cumulative curve.
public enum FitModelKind: String, Sendable, CaseIterable {
    /// `LogisticModel`: parameters K, N, I0.
    case logistic
    /// `TwoFactorModel` (Zou et al.): K0 = β0·N, η, γ, μ with N given and I0 the first count;
    /// fitted to the ever-infected curve J = I + R.
    case twoFactor = "two-factor"
    /// `AAWPModel` (Chen et al.): s, N, d, p with Ω given, the tick the data's interval and
    /// I0 the first count; fitted to the ever-infected curve n + R.
    case aawp

    /// The number of parameters the least-squares fit optimises.
    public var fittedParameterCount: Int {
        switch self {
        case .logistic: return 3
        case .twoFactor, .aawp: return 4
        }
    }

    /// The fewest data points a fit needs: one more than its parameters, so that the residual
    /// variance s² = SSR/(n − p) exists.
    public var minimumPoints: Int { fittedParameterCount + 1 }
}

/// One parameter of a fit with its uncertainty.
public struct FittedParameter: Sendable, Equatable {
    /// Short name, e.g. `K`, `N`, `beta0`.
    public let name: String
    /// Unit, e.g. `1/s`, `hosts`, `probes/tick` (empty for a pure number).
    public let unit: String
    /// The least-squares estimate.
    public let value: Double
    /// Its standard error (delta method from the log-space covariance).
    public let standardError: Double
    /// Lower end of the 95 % confidence interval: value − t·se.
    public let lower95: Double
    /// Upper end of the 95 % confidence interval: value + t·se.
    public let upper95: Double

    /// Whether `x` lies inside the 95 % interval.
    public func covers(_ x: Double) -> Bool { x >= lower95 && x <= upper95 }
}

/// A quantity held fixed in a fit (given by the user or taken from the data).
public struct FixedQuantity: Sendable, Equatable {
    /// Short name, e.g. `N`, `I0`, `address_space`.
    public let name: String
    /// Unit.
    public let unit: String
    /// Its value.
    public let value: Double
}

/// A converged fit: parameters with 95 % confidence intervals and goodness of fit.
public struct ModelFit: Sendable {
    /// The model fitted.
    public let model: FitModelKind
    /// Fitted parameters, and quantities derived from one of them by a fixed factor (e.g. K per
    /// hour), each with its own interval.
    public let parameters: [FittedParameter]
    /// Quantities held fixed.
    public let fixed: [FixedQuantity]
    /// Seconds since the first point.
    public let times: [Double]
    /// The observed cumulative counts.
    public let observed: [Double]
    /// The model at the fitted parameters, at `times`.
    public let fitted: [Double]
    /// Root mean square of the residuals, in hosts.
    public let rmse: Double
    /// Coefficient of determination 1 − SSR/SST.
    public let rSquared: Double
    /// Degrees of freedom n − p.
    public let degreesOfFreedom: Int
    /// The multiplier of the standard errors in the 95 % intervals, t(0.975, n − p).
    public let tQuantile: Double
    /// Levenberg–Marquardt iterations of the chosen start.
    public let iterations: Int
    /// How the solver converged.
    public let reason: ConvergenceReason

    /// n: data points.
    public var points: Int { observed.count }
    /// p: parameters optimised.
    public var fittedParameterCount: Int { model.fittedParameterCount }

    /// The parameter called `name`, if any.
    public func parameter(_ name: String) -> FittedParameter? { parameters.first { $0.name == name } }
}

/// Why a fit was not made.
public enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer points than the model needs.
    case tooFewPoints(model: FitModelKind, points: Int, needed: Int)
    /// A data point is unusable; `index` is its position in the series (0-based).
    case invalidData(index: Int, message: String)
    /// A setting (population, address space) is unusable.
    case invalidSetting(name: String, message: String)
    /// The fit did not converge, or converged to parameters the data do not determine.
    case notConverged(model: FitModelKind, failure: FitFailure)

    public var description: String {
        switch self {
        case let .tooFewPoints(model, points, needed):
            return "\(points) data point\(points == 1 ? "" : "s"); the \(model.rawValue) model fits "
                + "\(model.fittedParameterCount) parameters and needs at least \(needed)"
        case let .invalidData(index, message):
            return "point \(index + 1): \(message)"
        case let .invalidSetting(name, message):
            return "\(name): \(message)"
        case let .notConverged(model, failure):
            return "the \(model.rawValue) fit did not converge: \(failure)"
        }
    }
}

/// Least-squares fits of the analytic worm models to an observed cumulative curve (hosts ever
/// infected against time), with the `LevenbergMarquardt` solver.
///
/// Every fitted parameter must be positive and is optimised as its logarithm; standard errors
/// come from the covariance s²·(JᵀJ)⁻¹ of the logarithms by the delta method
/// (se(x) = x·se(ln x)) and the 95 % interval is x ± t(0.975, n − p)·se(x). Several starting
/// points are tried (from a linearised logistic fit); the converged fit with the smallest sum
/// of squares wins. A parameter whose standard error exceeds its value is reported as
/// unidentifiable rather than printed.
public enum ModelFitter {
    /// Ω of IPv4, the default address space.
    public static let ipv4AddressSpace = 4_294_967_296.0

    /// Fits `kind` to `counts` (cumulative hosts) observed at `times` (seconds, strictly
    /// increasing; only differences matter).
    /// - Parameters:
    ///   - population: N, required for `.twoFactor` (ignored otherwise).
    ///   - addressSpace: Ω for `.aawp` (ignored otherwise).
    public static func fit(_ kind: FitModelKind, times: [Double], counts: [Double], population: Double? = nil,
                           addressSpace: Double = ipv4AddressSpace,
                           solver: LevenbergMarquardt = LevenbergMarquardt()) throws(FitError) -> ModelFit {
        switch kind {
        case .logistic:
            return try fitLogistic(times: times, counts: counts, solver: solver)
        case .twoFactor:
            guard let population else {
                throw .invalidSetting(name: "population", message: "the two-factor model needs N, the vulnerable population")
            }
            return try fitTwoFactor(times: times, counts: counts, population: population, solver: solver)
        case .aawp:
            return try fitAAWP(times: times, counts: counts, addressSpace: addressSpace, solver: solver)
        }
    }

    // MARK: Logistic

    /// Fits I(t) = N / (1 + ((N − I0)/I0)·e^(−K t)); reports K (1/s), K per hour, N, I0.
    public static func fitLogistic(times: [Double], counts: [Double],
                                   solver: LevenbergMarquardt = LevenbergMarquardt()) throws(FitError) -> ModelFit {
        let t = try checkedSeries(.logistic, times, counts)
        let curve = { (v: [Double]) -> [Double]? in logisticCurve(t, k: v[0], n: v[1], i0: v[2]) }
        let starts = logisticStarts(t, counts).map { [$0.k, $0.n, $0.i0] }
        let reported: [Reported] = [
            Reported(name: "K", unit: "1/s", index: 0, factor: 1),
            Reported(name: "K_per_hour", unit: "1/h", index: 0, factor: 3600),
            Reported(name: "N", unit: "hosts", index: 1, factor: 1),
            Reported(name: "I0", unit: "hosts", index: 2, factor: 1),
        ]
        return try fitPositive(.logistic, names: ["K", "N", "I0"], times: t, counts: counts, starts: starts,
                               curve: curve, reported: reported, fixed: [], solver: solver)
    }

    static func logisticCurve(_ t: [Double], k: Double, n: Double, i0: Double) -> [Double] {
        let a = (n - i0) / i0
        return t.map { n / (1 + a * exp(-k * $0)) }
    }

    /// Starting points: N a little, somewhat and well above the largest count; K and I0 from
    /// the straight line ln(y/(N − y)) = ln(I0/(N − I0)) + K·t.
    static func logisticStarts(_ t: [Double], _ y: [Double]) -> [(k: Double, n: Double, i0: Double)] {
        let yMax = y.max() ?? 1
        let firstPositive = y.first { $0 > 0 } ?? max(yMax * 1e-3, 1e-9)
        let span = max(t.last ?? 1, 1e-9)
        return [1.02, 1.5, 4].map { factor in
            let n = yMax * factor
            var xs: [Double] = [], zs: [Double] = []
            for (ti, yi) in zip(t, y) where yi > 0 && yi < n {
                xs.append(ti)
                zs.append(log(yi / (n - yi)))
            }
            var k = 5 / span, i0 = min(firstPositive, 0.5 * n)
            if let (slope, intercept) = lineFit(xs, zs), slope > 0, slope.isFinite {
                k = slope
                let fromLine = n / (1 + exp(-intercept))
                if fromLine.isFinite && fromLine > 0 { i0 = fromLine }
            }
            return (k, n, i0)
        }
    }

    static func lineFit(_ x: [Double], _ y: [Double]) -> (slope: Double, intercept: Double)? {
        guard x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope, my - slope * mx)
    }

    /// The logistic fit used to start the other models (nil if it fails).
    static func roughLogistic(_ t: [Double], _ y: [Double]) -> (k: Double, n: Double) {
        let starts = logisticStarts(t, y)
        let quick = LevenbergMarquardt(maxIterations: 100, costTolerance: 1e-8, stepTolerance: 1e-6)
        var best: (k: Double, n: Double, cost: Double)?
        for s in starts {
            let result = quick.minimize(names: ["K", "N", "I0"], start: [log(s.k), log(s.n), log(s.i0)]) { th in
                let v = th.map { exp($0) }
                return zip(logisticCurve(t, k: v[0], n: v[1], i0: v[2]), y).map { $0 - $1 }
            }
            if case .success(let sol) = result, sol.sumOfSquares < (best?.cost ?? .infinity) {
                best = (exp(sol.parameters[0]), exp(sol.parameters[1]), sol.sumOfSquares)
            }
        }
        if let best { return (best.k, best.n) }
        let first = starts[0]
        return (first.k, first.n)
    }

    // MARK: Two-factor

    /// Fits Zou's two-factor model's ever-infected curve J = I + R with N = `population` and
    /// I0 = the first count; reports K0 = β0·N (1/s), β0, η, γ (1/s) and μ.
    public static func fitTwoFactor(times: [Double], counts: [Double], population: Double,
                                    solver: LevenbergMarquardt = LevenbergMarquardt()) throws(FitError) -> ModelFit {
        guard population.isFinite, population > 0 else {
            throw .invalidSetting(name: "population", message: "must be a positive number (got \(population))")
        }
        let t = try checkedSeries(.twoFactor, times, counts)
        let i0 = counts[0]
        guard i0 > 0 else {
            throw .invalidData(index: 0, message: "the first count is 0; the two-factor model starts from I0 = the first count, which must be > 0")
        }
        guard let yMax = counts.max(), yMax <= population else {
            let (index, value) = counts.enumerated().first { $0.element > population }.map { ($0.offset, $0.element) } ?? (0, i0)
            throw .invalidData(index: index, message: "count \(format(value)) exceeds the population N = \(format(population))")
        }
        let rough = roughLogistic(t, counts)
        let k = rough.k
        // Patterns (K0/K, η, γ/K, μN/K), from a near-logistic curve to strong countermeasures.
        let patterns: [(Double, Double, Double, Double)] = [
            (1.2, 1, 0.05, 0.05), (2, 2, 0.1, 0.3), (1.5, 0.5, 0.3, 0.05), (3, 3, 0.05, 0.5),
        ]
        let starts = patterns.map { [k * $0.0, $0.1, k * $0.2, k * $0.3] }
        // A fixed RK4 step (so the model is smooth in its parameters): about 1/50 of the
        // fastest starting time scale, and no longer than the shortest data interval.
        let fastest = starts.map { max($0[0], $0[2], $0[3]) }.max() ?? k
        let shortest = zip(t.dropFirst(), t).map { $0 - $1 }.min() ?? 1
        var step = min(shortest, 0.02 / max(fastest, 1e-12))
        let span = t.last ?? 0
        if span / step > 400_000 { step = span / 400_000 }
        let substeps = zip(t.dropFirst(), t).map { max(1, Int((($0 - $1) / step).rounded(.up))) }
        let curve = { (v: [Double]) -> [Double]? in
            twoFactorEverInfected(t, substeps: substeps, n: population, i0: i0,
                                  beta0: v[0] / population, eta: v[1], gamma: v[2], mu: v[3] / population)
        }
        let reported: [Reported] = [
            Reported(name: "K0", unit: "1/s", index: 0, factor: 1),
            Reported(name: "beta0", unit: "1/(host s)", index: 0, factor: 1 / population),
            Reported(name: "eta", unit: "", index: 1, factor: 1),
            Reported(name: "gamma", unit: "1/s", index: 2, factor: 1),
            Reported(name: "mu", unit: "1/(host s)", index: 3, factor: 1 / population),
        ]
        let fixed = [FixedQuantity(name: "N", unit: "hosts", value: population),
                     FixedQuantity(name: "I0", unit: "hosts", value: i0)]
        return try fitPositive(.twoFactor, names: ["K0", "eta", "gamma", "mu"], times: t, counts: counts,
                               starts: starts, curve: curve, reported: reported, fixed: fixed, solver: solver)
    }

    /// J = I + R of the two-factor model at `t` (t[0] = 0), by classic RK4 with `substeps[k]`
    /// equal steps between t[k] and t[k+1] (the same equations as `TwoFactorModel`).
    static func twoFactorEverInfected(_ t: [Double], substeps: [Int], n: Double, i0: Double,
                                      beta0: Double, eta: Double, gamma: Double, mu: Double) -> [Double]? {
        func f(_ s: Double, _ i: Double, _ r: Double) -> (s: Double, i: Double, r: Double, q: Double) {
            TwoFactorModel.rates(s: s, i: i, r: r, n: n, beta0: beta0, eta: eta, gamma: gamma, mu: mu)
        }
        var s = n - i0, i = i0, r = 0.0, q = 0.0
        var out = [i + r]
        out.reserveCapacity(t.count)
        for k in 0..<substeps.count {
            let m = substeps[k]
            let h = (t[k + 1] - t[k]) / Double(m)
            for _ in 0..<m {
                let k1 = f(s, i, r)
                let k2 = f(s + 0.5 * h * k1.0, i + 0.5 * h * k1.1, r + 0.5 * h * k1.2)
                let k3 = f(s + 0.5 * h * k2.0, i + 0.5 * h * k2.1, r + 0.5 * h * k2.2)
                let k4 = f(s + h * k3.0, i + h * k3.1, r + h * k3.2)
                let h6 = h / 6
                s += h6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
                i += h6 * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
                r += h6 * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)
                q += h6 * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3)
            }
            guard s.isFinite, i.isFinite, r.isFinite, q.isFinite else { return nil }
            out.append(i + r)
        }
        return out
    }

    // MARK: AAWP

    /// Fits the AAWP model's ever-infected curve n + R with Ω = `addressSpace`, one tick per
    /// data interval (the times must be equally spaced) and n(0) = the first count; reports
    /// s (probes per tick), the probe rate s/tick, N, d and p (per tick).
    public static func fitAAWP(times: [Double], counts: [Double], addressSpace: Double = ipv4AddressSpace,
                               solver: LevenbergMarquardt = LevenbergMarquardt()) throws(FitError) -> ModelFit {
        guard addressSpace.isFinite, addressSpace >= 1 else {
            throw .invalidSetting(name: "address space", message: "must be a number >= 1 (got \(addressSpace))")
        }
        let t = try checkedSeries(.aawp, times, counts)
        let i0 = counts[0]
        guard i0 > 0 else {
            throw .invalidData(index: 0, message: "the first count is 0; the AAWP model starts from n(0) = the first count, which must be > 0")
        }
        let tick = t[1]
        for k in 2..<t.count where abs((t[k] - t[k - 1]) - tick) > 1e-6 * tick {
            throw .invalidData(index: k, message: "the AAWP model needs equally spaced times (one tick each): "
                + "this interval is \(format(t[k] - t[k - 1])) s, the first is \(format(tick)) s")
        }
        guard let yMax = counts.max(), yMax <= addressSpace else {
            throw .invalidSetting(name: "address space", message: "is smaller than the largest count")
        }
        let rough = roughLogistic(t, counts)
        let growth = rough.k * tick                          // per tick
        let patterns: [(Double, Double, Double)] = [(1.05, 0.02, 0.02), (1.3, 0.1, 0.01), (1.02, 0.01, 0.1), (2, 0.05, 0.05)]
        let starts: [[Double]] = patterns.map { nf, df, pf in
            let n = max(rough.n * nf, yMax * 1.01)
            let s = max(expm1(min(growth * (1 + df), 50)) * addressSpace / n, 1e-12)
            return [s, n, min(0.2, df * growth), min(0.2, pf * growth)]
        }
        let ticks = t.count - 1
        let curve = { (v: [Double]) -> [Double]? in
            guard v[2] + v[3] <= 1, v[1] >= i0, addressSpace >= v[1],
                  let model = try? AAWPModel(population: v[1], addressSpace: addressSpace, probesPerTick: v[0],
                                             deathRate: v[2], patchRate: v[3], tickSeconds: tick, initialInfected: i0),
                  let states = try? model.run(ticks: ticks) else { return nil }
            return states.map(\.everInfected)
        }
        let reported: [Reported] = [
            Reported(name: "s", unit: "probes/tick", index: 0, factor: 1),
            Reported(name: "probe_rate", unit: "probes/s", index: 0, factor: 1 / tick),
            Reported(name: "N", unit: "hosts", index: 1, factor: 1),
            Reported(name: "d", unit: "1/tick", index: 2, factor: 1),
            Reported(name: "p", unit: "1/tick", index: 3, factor: 1),
        ]
        let fixed = [FixedQuantity(name: "address_space", unit: "addresses", value: addressSpace),
                     FixedQuantity(name: "tick", unit: "s", value: tick),
                     FixedQuantity(name: "I0", unit: "hosts", value: i0)]
        return try fitPositive(.aawp, names: ["s", "N", "d", "p"], times: t, counts: counts, starts: starts,
                               curve: curve, reported: reported, fixed: fixed, solver: solver)
    }

    // MARK: Common

    /// A reported quantity: `factor` times fitted parameter `index`.
    struct Reported {
        let name: String
        let unit: String
        let index: Int
        let factor: Double
    }

    /// Checks the series and returns the times relative to the first.
    static func checkedSeries(_ kind: FitModelKind, _ times: [Double], _ counts: [Double]) throws(FitError) -> [Double] {
        guard times.count == counts.count else {
            throw .invalidSetting(name: "series", message: "\(times.count) times but \(counts.count) counts")
        }
        guard counts.count >= kind.minimumPoints else {
            throw .tooFewPoints(model: kind, points: counts.count, needed: kind.minimumPoints)
        }
        for (k, (t, y)) in zip(times, counts).enumerated() {
            guard t.isFinite else { throw .invalidData(index: k, message: "time is not a finite number") }
            guard y.isFinite else { throw .invalidData(index: k, message: "count is not a finite number") }
            guard y >= 0 else { throw .invalidData(index: k, message: "count is negative (\(format(y)))") }
            if k > 0 && !(t > times[k - 1]) {
                throw .invalidData(index: k, message: "time \(format(t)) is not after the previous point's \(format(times[k - 1]))")
            }
        }
        if let first = counts.first, counts.allSatisfy({ $0 == first }) {
            let growth = kind == .logistic ? "K" : kind == .twoFactor ? "K0" : "s"
            throw .notConverged(model: kind, failure: .unidentifiable(
                parameter: growth, reason: "the counts never change (all \(format(first))), so there is no growth to fit"))
        }
        let t0 = times[0]
        return times.map { $0 - t0 }
    }

    /// Least squares over the logarithms of positive parameters, from several starts.
    static func fitPositive(_ kind: FitModelKind, names: [String], times: [Double], counts: [Double],
                            starts: [[Double]], curve: @escaping ([Double]) -> [Double]?,
                            reported: [Reported], fixed: [FixedQuantity],
                            solver: LevenbergMarquardt) throws(FitError) -> ModelFit {
        let residuals = { (theta: [Double]) -> [Double]? in
            let values = theta.map { exp($0) }
            guard values.allSatisfy({ $0.isFinite && $0 > 0 }), let model = curve(values) else { return nil }
            return zip(model, counts).map { $0 - $1 }
        }
        var best: LeastSquaresSolution?
        var firstFailure: FitFailure?
        for start in starts where start.allSatisfy({ $0.isFinite && $0 > 0 }) {
            let logStart = start.map { log($0) }
            let last = LastPoint()
            let tracked = { (theta: [Double]) -> [Double]? in last.theta = theta; return residuals(theta) }
            var failure: FitFailure?
            switch solver.minimize(names: names, start: logStart, residuals: tracked) {
            case .success(let solution):
                last.theta = solution.parameters
                if let loose = looseParameter(solution, names: names, counts: counts) {
                    failure = loose
                } else if solution.sumOfSquares < (best?.sumOfSquares ?? .infinity) {
                    best = solution
                }
            case .failure(let f):
                failure = f
            }
            if let failure, firstFailure == nil {
                firstFailure = explain(failure, names: names, start: logStart, last: last.theta)
            }
        }
        guard let best else {
            throw .notConverged(model: kind, failure: firstFailure ?? .nonFiniteModelOutput(detail: "no usable starting point"))
        }
        let values = best.parameters.map { exp($0) }
        let logErrors = best.standardErrors
        let n = counts.count, p = names.count
        let dof = n - p
        let tq = StudentT.quantile975(degreesOfFreedom: dof)
        let parameters = reported.map { r -> FittedParameter in
            let value = r.factor * values[r.index]
            let se = value * logErrors[r.index]
            return FittedParameter(name: r.name, unit: r.unit, value: value, standardError: se,
                                   lower95: value - tq * se, upper95: value + tq * se)
        }
        let fitted = zip(best.residuals, counts).map { $0 + $1 }
        let mean = counts.reduce(0, +) / Double(n)
        let sst = counts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return ModelFit(model: kind, parameters: parameters, fixed: fixed, times: times, observed: counts,
                        fitted: fitted, rmse: (best.sumOfSquares / Double(n)).squareRoot(),
                        rSquared: sst > 0 ? 1 - best.sumOfSquares / sst : .nan, degreesOfFreedom: dof,
                        tQuantile: tq, iterations: best.iterations, reason: best.reason)
    }

    /// The parameters the solver evaluated last (a reference, so the residual closure can set it).
    final class LastPoint {
        var theta: [Double] = []
    }

    /// An unidentifiable parameter that ran off towards 0 or infinity says so: that is what
    /// the user needs to know (e.g. no removals visible in the data, no saturation yet).
    static func explain(_ failure: FitFailure, names: [String], start: [Double], last: [Double]) -> FitFailure {
        guard case .unidentifiable(let name, let reason) = failure, let j = names.firstIndex(of: name),
              j < last.count, j < start.count else { return failure }
        let drift = last[j] - start[j]
        let from = format(exp(start[j])), to = format(exp(last[j]))
        if drift < -log(1e6) {
            return .unidentifiable(parameter: name, reason: "the best fit drives it towards 0 (from \(from) down to \(to)), "
                + "so the data show no sign of it")
        }
        if drift > log(1e6) {
            return .unidentifiable(parameter: name, reason: "the best fit drives it towards infinity (from \(from) up to \(to)), "
                + "so the data do not bound it (e.g. no saturation yet)")
        }
        return .unidentifiable(parameter: name, reason: reason)
    }

    /// A parameter whose standard error exceeds its value (se of its logarithm > 1): the data
    /// determine it only to within a factor of e^(±1.96·se), which is no estimate at all.
    /// A parameter is also loose when changing it by a factor e moves the curve by less than
    /// 1e-6 of the counts' root mean square (e.g. N of a curve that shows no saturation yet).
    static func looseParameter(_ solution: LeastSquaresSolution, names: [String], counts: [Double]) -> FitFailure? {
        let rms = (counts.reduce(0) { $0 + $1 * $1 } / Double(max(1, counts.count))).squareRoot()
        let n = Double(max(1, counts.count)).squareRoot()
        for (name, sensitivity) in zip(names, solution.sensitivities) where !(sensitivity / n >= 1e-6 * rms) {
            return .unidentifiable(parameter: name, reason: "the fitted curve hardly depends on it "
                + "(a factor e changes the curve by less than a millionth of the counts)")
        }
        for (name, se) in zip(names, solution.standardErrors) where !(se <= 1) {
            let percent = se.isFinite ? "\(Int((100 * se).rounded())) %" : "infinite"
            return .unidentifiable(parameter: name, reason: "its standard error is \(percent) of its value")
        }
        return nil
    }

    /// A number for messages: integers plainly, others with up to 6 significant digits.
    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }
}
