/// The one error type of the `EpidemicModels` module.
///
/// Every case names the parameter (by its Swift argument label) and carries the offending
/// value, so that a caller can print `wormwatch: error: <where>: <what>` without guessing.
/// Nothing in this module traps on bad input: initialisers and solvers throw one of these.
public enum EpidemicModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A parameter is NaN or infinite.
    case notFinite(parameter: String, value: Double)
    /// A parameter that must be strictly positive is zero or negative.
    case notPositive(parameter: String, value: Double)
    /// A parameter that must be zero or positive is negative.
    case negative(parameter: String, value: Double)
    /// A parameter lies outside its allowed range; `expected` describes the range in words.
    case outOfRange(parameter: String, value: Double, expected: String)
    /// Output times must be non-decreasing and not before the start time.
    case unsortedTimes(index: Int, previous: Double, value: Double)
    /// The requested integration would take more fixed steps than `limit` (e.g. a tiny step
    /// over a long duration); choose a larger step or a shorter duration.
    case tooManySteps(requested: Double, limit: Int)
    /// A derivative function returned a vector of the wrong length.
    case dimensionMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .notFinite(parameter, value):
            return "\(parameter): must be a finite number (got \(value))"
        case let .notPositive(parameter, value):
            return "\(parameter): must be > 0 (got \(value))"
        case let .negative(parameter, value):
            return "\(parameter): must be >= 0 (got \(value))"
        case let .outOfRange(parameter, value, expected):
            return "\(parameter): must be \(expected) (got \(value))"
        case let .unsortedTimes(index, previous, value):
            return "times[\(index)]: output times must be sorted ascending and not before the start "
                + "(got \(value) after \(previous))"
        case let .tooManySteps(requested, limit):
            return "step: the integration would need \(requested) steps, more than the limit of \(limit); "
                + "use a larger step or a shorter duration"
        case let .dimensionMismatch(expected, got):
            return "derivative: returned \(got) components for a state of \(expected)"
        }
    }
}

/// Small validation helpers shared by the models (internal).
enum Check {
    static func finite(_ name: String, _ v: Double) throws(EpidemicModelError) {
        guard v.isFinite else { throw .notFinite(parameter: name, value: v) }
    }

    static func positive(_ name: String, _ v: Double) throws(EpidemicModelError) {
        try finite(name, v)
        guard v > 0 else { throw .notPositive(parameter: name, value: v) }
    }

    static func nonNegative(_ name: String, _ v: Double) throws(EpidemicModelError) {
        try finite(name, v)
        guard v >= 0 else { throw .negative(parameter: name, value: v) }
    }

    /// `initialInfected` must lie in (0, population].
    static func initialInfected(_ i0: Double, population n: Double) throws(EpidemicModelError) {
        try finite("initialInfected", i0)
        guard i0 > 0, i0 <= n else {
            throw .outOfRange(parameter: "initialInfected", value: i0, expected: "in (0, population] = (0, \(n)]")
        }
    }

    /// The scanned address space must hold at least the vulnerable population.
    static func addressSpace(_ omega: Double, population n: Double) throws(EpidemicModelError) {
        try positive("addressSpace", omega)
        guard omega >= n, omega >= 1 else {
            throw .outOfRange(parameter: "addressSpace", value: omega, expected: ">= max(1, population) = \(max(1, n))")
        }
    }

    /// A fraction in [0, 1].
    static func unitInterval(_ name: String, _ v: Double) throws(EpidemicModelError) {
        try finite(name, v)
        guard v >= 0, v <= 1 else { throw .outOfRange(parameter: name, value: v, expected: "in [0, 1]") }
    }
}
