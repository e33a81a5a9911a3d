/// Classic fixed-step fourth-order Runge–Kutta integration of `dy/dt = f(t, y)` for a state
/// held in `[Double]`. Reusable by any model in the project.
///
/// Local error is O(h⁵), global error O(h⁴). Linear invariants of the system (e.g. the total
/// population of a compartment model, where the derivatives sum to zero) are preserved up to
/// floating-point rounding.
public enum RungeKutta4 {
    /// Upper bound on the number of fixed steps one call may take; protects against
    /// a tiny step over a long interval (which would otherwise run for ever or trap).
    public static let maximumSteps = 200_000_000

    /// The right-hand side `f(t, y)`; it must return a vector as long as `y`.
    public typealias Derivative = (_ t: Double, _ y: [Double]) -> [Double]

    /// One RK4 step of size `h` from `(t, y)`.
    public static func step(
        t: Double, state y: [Double], h: Double, derivative f: Derivative
    ) throws(EpidemicModelError) -> [Double] {
        let n = y.count
        let k1 = f(t, y)
        guard k1.count == n else { throw .dimensionMismatch(expected: n, got: k1.count) }
        var tmp = [Double](repeating: 0, count: n)
        for i in 0..<n { tmp[i] = y[i] + 0.5 * h * k1[i] }
        let k2 = f(t + 0.5 * h, tmp)
        guard k2.count == n else { throw .dimensionMismatch(expected: n, got: k2.count) }
        for i in 0..<n { tmp[i] = y[i] + 0.5 * h * k2[i] }
        let k3 = f(t + 0.5 * h, tmp)
        guard k3.count == n else { throw .dimensionMismatch(expected: n, got: k3.count) }
        for i in 0..<n { tmp[i] = y[i] + h * k3[i] }
        let k4 = f(t + h, tmp)
        guard k4.count == n else { throw .dimensionMismatch(expected: n, got: k4.count) }
        var out = y
        let h6 = h / 6
        for i in 0..<n { out[i] = y[i] + h6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
        return out
    }

    /// Number of equal steps, each no longer than `maxStep`, that cover `span`.
    static func stepCount(span: Double, maxStep: Double) throws(EpidemicModelError) -> Int {
        if span <= 0 { return 0 }
        // The tiny relative slack keeps e.g. span = 3*maxStep (up to rounding) at 3 steps.
        let raw = (span / maxStep) * (1 - 1e-12)
        let count = raw.rounded(.up)
        guard count.isFinite, count <= Double(maximumSteps) else {
            throw .tooManySteps(requested: count, limit: maximumSteps)
        }
        return max(1, Int(count))
    }

    /// Integrates from `(t0, y0)` to `t1 >= t0` in equal steps no longer than `maxStep`,
    /// landing exactly on `t1`. Returns the state at `t1`.
    public static func integrate(
        from t0: Double, state y0: [Double], to t1: Double, maxStep: Double, derivative f: Derivative
    ) throws(EpidemicModelError) -> [Double] {
        try Check.finite("t0", t0)
        try Check.finite("t1", t1)
        try Check.positive("maxStep", maxStep)
        guard t1 >= t0 else { throw .unsortedTimes(index: 0, previous: t0, value: t1) }
        let count = try stepCount(span: t1 - t0, maxStep: maxStep)
        var y = y0
        if count == 0 { return y }
        let h = (t1 - t0) / Double(count)
        for k in 0..<count {
            // Compute t from k to avoid accumulating rounding in t.
            let t = k == 0 ? t0 : t0 + Double(k) * h
            y = try step(t: t, state: y, h: h, derivative: f)
        }
        return y
    }

    /// Returns the state at each of `outputTimes` (sorted ascending, none before `t0`),
    /// integrating between consecutive outputs in equal steps no longer than `maxStep`.
    /// An output time equal to `t0` returns `y0` itself.
    public static func solve(
        from t0: Double, state y0: [Double], outputTimes: [Double], maxStep: Double, derivative f: Derivative
    ) throws(EpidemicModelError) -> [[Double]] {
        try Check.finite("t0", t0)
        try Check.positive("maxStep", maxStep)
        var previous = t0
        var total = 0.0
        for (i, t) in outputTimes.enumerated() {
            try Check.finite("times[\(i)]", t)
            guard t >= previous else { throw .unsortedTimes(index: i, previous: previous, value: t) }
            total += Double(try stepCount(span: t - previous, maxStep: maxStep))
            previous = t
        }
        guard total <= Double(maximumSteps) else { throw .tooManySteps(requested: total, limit: maximumSteps) }

        var results: [[Double]] = []
        results.reserveCapacity(outputTimes.count)
        var t = t0
        var y = y0
        for target in outputTimes {
            y = try integrate(from: t, state: y, to: target, maxStep: maxStep, derivative: f)
            t = target
            results.append(y)
        }
        return results
    }

    /// The grid `0, step, 2·step, …, duration` (the last interval may be shorter so that the
    /// grid ends exactly at `duration`). Throws for a non-positive step, a negative duration,
    /// or a grid longer than `maximumSteps`.
    public static func grid(duration: Double, step: Double) throws(EpidemicModelError) -> [Double] {
        try Check.nonNegative("duration", duration)
        try Check.positive("step", step)
        let full = (duration / step * (1 - 1e-12)).rounded(.down)
        guard full.isFinite, full < Double(maximumSteps) else {
            throw .tooManySteps(requested: full, limit: maximumSteps)
        }
        let n = Int(full)
        var times = [Double]()
        times.reserveCapacity(n + 2)
        for k in 0...n { times.append(Double(k) * step) }
        if let last = times.last, duration > last { times.append(duration) }
        return times
    }
}
