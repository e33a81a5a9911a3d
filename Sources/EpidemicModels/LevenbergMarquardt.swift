import Foundation

/// Why a least-squares fit could not give trustworthy parameters.
public enum FitFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The iteration limit was reached before the cost and the step stopped changing.
    case iterationLimit(iterations: Int)
    /// The data do not determine this parameter: the model hardly depends on it, or it is
    /// (nearly) a combination of the others (the Jacobian is singular). `reason` says which.
    case unidentifiable(parameter: String, reason: String)
    /// The model gave NaN or infinite values at every point the solver tried.
    case nonFiniteModelOutput(detail: String)

    public var description: String {
        switch self {
        case let .iterationLimit(iterations):
            return "no convergence after \(iterations) iterations (the cost was still falling)"
        case let .unidentifiable(parameter, reason):
            return "\(parameter) is not identifiable from these data: \(reason)"
        case let .nonFiniteModelOutput(detail):
            return "the model gave non-finite values (\(detail))"
        }
    }
}

/// How a least-squares fit ended successfully.
public enum ConvergenceReason: String, Sendable, Equatable {
    /// The relative decrease of the cost, actual and predicted, fell below the tolerance.
    case costChange = "relative change of cost below tolerance"
    /// The step fell below the tolerance relative to the parameters.
    case smallStep = "relative step below tolerance"
    /// The gradient is orthogonal to the residuals to within the tolerance.
    case smallGradient = "gradient below tolerance"
    /// The residuals are exactly zero.
    case exactFit = "exact fit (zero residuals)"
    /// No step, however damped, lowers the cost any further (a minimum to rounding).
    case noFurtherDecrease = "no smaller cost in any damped step"
}

/// The result of `LevenbergMarquardt.minimize` when it converged.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// The optimised parameters (in the solver's coordinates, e.g. logarithms).
    public let parameters: [Double]
    /// Residuals (model − data) at the optimum.
    public let residuals: [Double]
    /// Sum of squared residuals at the optimum.
    public let sumOfSquares: Double
    /// Covariance of the parameters, s²·(JᵀJ)⁻¹ with s² = SSR/(n − p), row-major p×p.
    /// Needs n > p; when n = p it is all NaN.
    public let covariance: [Double]
    /// ‖∂r/∂θⱼ‖ at the optimum: how much the model moves (root of the summed squares over
    /// the points) per unit change of each parameter.
    public let sensitivities: [Double]
    /// Iterations taken (Jacobian evaluations).
    public let iterations: Int
    /// Why the solver stopped.
    public let reason: ConvergenceReason

    /// Standard errors: square roots of the covariance's diagonal.
    public var standardErrors: [Double] {
        let p = parameters.count
        return (0..<p).map { covariance[$0 * p + $0].squareRoot() }
    }
}

/// A small, dependable Levenberg–Marquardt solver for nonlinear least squares,
/// min over θ of Σ rᵢ(θ)², with a numeric Jacobian (central differences).
///
/// Each iteration solves (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr (Marquardt's scaling, so the result does
/// not depend on the parameters' units), accepts the step if it lowers the cost and then
/// shrinks λ tenfold, or rejects it and grows λ tenfold. A step at which the residual function
/// returns `nil` or a non-finite value is rejected like a step that raises the cost, so
/// `nil` may be used to keep the search inside the model's domain.
///
/// It stops with success when the actual and predicted relative decreases of the cost are both
/// below `costTolerance`, when the step is below `stepTolerance` relative to the parameters,
/// when the gradient is orthogonal to the residuals to within `gradientTolerance`, or when no
/// damped step lowers the cost. It fails after `maxIterations`, when the model does not depend
/// on a parameter or the Jacobian at the optimum is singular (an unidentifiable parameter),
/// or when the model gives no finite output. It never traps.
public struct LevenbergMarquardt: Sendable {
    /// Upper bound on iterations (Jacobian evaluations).
    public var maxIterations: Int
    /// Tolerance on the relative decrease of the cost.
    public var costTolerance: Double
    /// Tolerance on the step relative to the parameters' size.
    public var stepTolerance: Double
    /// Tolerance on the cosine between the residuals and each column of the Jacobian.
    public var gradientTolerance: Double
    /// A pivot of the correlation form of JᵀJ below this marks a parameter as a combination
    /// of the others.
    public var singularityThreshold: Double

    /// Creates a solver with the given limits (the defaults suit problems of a few parameters).
    public init(maxIterations: Int = 300, costTolerance: Double = 1e-12, stepTolerance: Double = 1e-10,
                gradientTolerance: Double = 1e-10, singularityThreshold: Double = 1e-13) {
        self.maxIterations = maxIterations
        self.costTolerance = costTolerance
        self.stepTolerance = stepTolerance
        self.gradientTolerance = gradientTolerance
        self.singularityThreshold = singularityThreshold
    }

    /// Minimises Σ r(θ)² from `start`.
    /// - Parameters:
    ///   - names: A name per parameter, used in failure messages.
    ///   - start: The initial parameters.
    ///   - residuals: r(θ) (model − data), the same length on every call; `nil` outside the
    ///     model's domain.
    /// - Returns: the solution, or why there is none.
    public func minimize(names: [String], start: [Double],
                         residuals: ([Double]) -> [Double]?) -> Result<LeastSquaresSolution, FitFailure> {
        let p = start.count
        guard names.count == p, p > 0 else { return .failure(.nonFiniteModelOutput(detail: "no parameters")) }
        guard start.allSatisfy(\.isFinite) else { return .failure(.nonFiniteModelOutput(detail: "non-finite start")) }
        func evaluate(_ theta: [Double]) -> [Double]? {
            guard let r = residuals(theta), !r.isEmpty, r.allSatisfy(\.isFinite) else { return nil }
            return r
        }
        guard var r = evaluate(start) else {
            return .failure(.nonFiniteModelOutput(detail: "at the starting parameters"))
        }
        let n = r.count
        var theta = start
        var cost = sumOfSquares(r)
        var lambda = 1e-3
        var iterations = 0
        var reason: ConvergenceReason?

        while reason == nil {
            guard iterations < maxIterations else { return .failure(.iterationLimit(iterations: iterations)) }
            iterations += 1
            guard let jac = jacobian(theta, n: n, evaluate) else {
                return .failure(.nonFiniteModelOutput(detail: "near \(describe(names, theta))"))
            }
            let (a, g) = normalEquations(jac, r, n: n, p: p)
            // Marquardt's scaling, floored so that a parameter the model (momentarily) does
            // not depend on neither stalls the solver nor takes a huge step; whether it is
            // determined is decided at the optimum.
            let largest = (0..<p).map { a[$0 * p + $0] }.max() ?? 0
            guard largest > 0 else {
                return .failure(.unidentifiable(parameter: names[0], reason: "the model does not depend on any parameter"))
            }
            let damping = (0..<p).map { max(a[$0 * p + $0], 1e-12 * largest) }
            if cost == 0 { reason = .exactFit; break }
            let gradientCosine = (0..<p).map { abs(g[$0]) / (damping[$0] * cost).squareRoot() }.max() ?? 0
            if gradientCosine <= gradientTolerance { reason = .smallGradient; break }

            var accepted = false
            while !accepted {
                // No damped step lowers the cost (or every one leaves the model's domain):
                // a minimum to rounding, or the edge of the domain.
                guard lambda <= 1e16 else { reason = .noFurtherDecrease; break }
                var m = a
                for j in 0..<p { m[j * p + j] += lambda * damping[j] }
                guard let delta = Dense.choleskySolve(m, p: p, b: g.map { -$0 }) else { lambda *= 10; continue }
                let trial = zip(theta, delta).map(+)
                guard trial.allSatisfy(\.isFinite), let rTrial = evaluate(trial) else { lambda *= 10; continue }
                let costTrial = sumOfSquares(rTrial)
                guard costTrial < cost else { lambda *= 10; continue }
                // Predicted cost of the linearised model: ‖r + J·δ‖².
                var predicted = 0.0
                for i in 0..<n {
                    var v = r[i]
                    for j in 0..<p { v += jac[j * n + i] * delta[j] }
                    predicted += v * v
                }
                let actualDecrease = (cost - costTrial) / cost
                let predictedDecrease = (cost - predicted) / cost
                let stepNorm = delta.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let thetaNorm = theta.reduce(0) { $0 + $1 * $1 }.squareRoot()
                theta = trial
                r = rTrial
                cost = costTrial
                lambda = max(lambda / 10, 1e-12)
                accepted = true
                if cost == 0 { reason = .exactFit }
                else if actualDecrease <= costTolerance && abs(predictedDecrease) <= costTolerance { reason = .costChange }
                else if stepNorm <= stepTolerance * (thetaNorm + stepTolerance) { reason = .smallStep }
            }
        }
        guard let reason else { return .failure(.iterationLimit(iterations: iterations)) }

        // Covariance at the optimum from a fresh Jacobian.
        guard let jac = jacobian(theta, n: n, evaluate) else {
            return .failure(.nonFiniteModelOutput(detail: "near the optimum \(describe(names, theta))"))
        }
        let (a, _) = normalEquations(jac, r, n: n, p: p)
        var scale = [Double](repeating: 0, count: p)
        for j in 0..<p {
            guard a[j * p + j] > 0 else {
                return .failure(.unidentifiable(parameter: names[j], reason: "the model does not depend on it"))
            }
            scale[j] = 1 / a[j * p + j].squareRoot()
        }
        var correlation = a
        for i in 0..<p { for j in 0..<p { correlation[i * p + j] *= scale[i] * scale[j] } }
        switch Dense.inverse(correlation, p: p, pivotThreshold: singularityThreshold) {
        case .failure(let pivot):
            return .failure(.unidentifiable(parameter: names[pivot.column],
                                            reason: "it is a combination of the other parameters (singular Jacobian)"))
        case .success(let inverse):
            let s2 = n > p ? cost / Double(n - p) : .nan
            var covariance = inverse
            for i in 0..<p { for j in 0..<p { covariance[i * p + j] *= s2 * scale[i] * scale[j] } }
            return .success(LeastSquaresSolution(parameters: theta, residuals: r, sumOfSquares: cost,
                                                 covariance: covariance, sensitivities: (0..<p).map { a[$0 * p + $0].squareRoot() },
                                                 iterations: iterations, reason: reason))
        }
    }

    /// Column-major n×p Jacobian by central differences, or nil if the model is not finite nearby.
    func jacobian(_ theta: [Double], n: Int, _ evaluate: ([Double]) -> [Double]?) -> [Double]? {
        let p = theta.count
        var jac = [Double](repeating: 0, count: n * p)
        for j in 0..<p {
            let h = 1e-5 * max(1, abs(theta[j]))
            var up = theta, down = theta
            up[j] += h
            down[j] -= h
            let ru = evaluate(up), rd = evaluate(down)
            switch (ru, rd) {
            case let (u?, d?):
                guard u.count == n, d.count == n else { return nil }
                let width = up[j] - down[j]
                for i in 0..<n { jac[j * n + i] = (u[i] - d[i]) / width }
            case let (u?, nil):
                // One-sided at the edge of the model's domain.
                guard u.count == n, let r0 = evaluate(theta) else { return nil }
                for i in 0..<n { jac[j * n + i] = (u[i] - r0[i]) / (up[j] - theta[j]) }
            case let (nil, d?):
                guard d.count == n, let r0 = evaluate(theta) else { return nil }
                for i in 0..<n { jac[j * n + i] = (r0[i] - d[i]) / (theta[j] - down[j]) }
            case (nil, nil):
                return nil
            }
        }
        return jac
    }

    /// JᵀJ (row-major p×p) and Jᵀr.
    func normalEquations(_ jac: [Double], _ r: [Double], n: Int, p: Int) -> ([Double], [Double]) {
        var a = [Double](repeating: 0, count: p * p)
        var g = [Double](repeating: 0, count: p)
        for i in 0..<p {
            for k in i..<p {
                var s = 0.0
                for row in 0..<n { s += jac[i * n + row] * jac[k * n + row] }
                a[i * p + k] = s
                a[k * p + i] = s
            }
            var s = 0.0
            for row in 0..<n { s += jac[i * n + row] * r[row] }
            g[i] = s
        }
        return (a, g)
    }

    func sumOfSquares(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }

    func describe(_ names: [String], _ theta: [Double]) -> String {
        zip(names, theta).map { "\($0) = \($1)" }.joined(separator: ", ")
    }
}

/// Small dense symmetric linear algebra (internal).
enum Dense {
    /// Cholesky factor L (row-major, lower) of a symmetric positive definite p×p matrix, or the
    /// index of the first pivot that is not above `threshold` times the diagonal entry.
    static func cholesky(_ a: [Double], p: Int, pivotThreshold: Double = 0) -> Result<[Double], SingularPivot> {
        var l = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var d = a[j * p + j]
            for k in 0..<j { d -= l[j * p + k] * l[j * p + k] }
            guard d.isFinite, d > pivotThreshold * max(abs(a[j * p + j]), .leastNormalMagnitude) else {
                return .failure(SingularPivot(column: j))
            }
            let root = d.squareRoot()
            l[j * p + j] = root
            for i in (j + 1)..<max(j + 1, p) {
                var s = a[i * p + j]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = s / root
            }
        }
        return .success(l)
    }

    /// Solves A·x = b for symmetric positive definite A, or nil if it is not.
    static func choleskySolve(_ a: [Double], p: Int, b: [Double]) -> [Double]? {
        guard case .success(let l) = cholesky(a, p: p) else { return nil }
        return solve(l, p: p, b: b)
    }

    static func solve(_ l: [Double], p: Int, b: [Double]) -> [Double] {
        var y = b
        for i in 0..<p {
            for k in 0..<i { y[i] -= l[i * p + k] * y[k] }
            y[i] /= l[i * p + i]
        }
        var x = y
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, p) { x[i] -= l[k * p + i] * x[k] }
            x[i] /= l[i * p + i]
        }
        return x
    }

    /// The inverse of a symmetric positive definite matrix, or the index of a column whose
    /// pivot fell below `pivotThreshold` (relative to its diagonal).
    static func inverse(_ a: [Double], p: Int, pivotThreshold: Double) -> Result<[Double], SingularPivot> {
        switch cholesky(a, p: p, pivotThreshold: pivotThreshold) {
        case .failure(let pivot): return .failure(pivot)
        case .success(let l):
            var inv = [Double](repeating: 0, count: p * p)
            for c in 0..<p {
                var e = [Double](repeating: 0, count: p)
                e[c] = 1
                let x = solve(l, p: p, b: e)
                for r in 0..<p { inv[r * p + c] = x[r] }
            }
            return .success(inv)
        }
    }
}

/// The index of the column at which a Cholesky factorisation broke down (internal).
struct SingularPivot: Error {
    let column: Int
}
