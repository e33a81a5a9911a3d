import Synchronization

/// The true course of a replayed outbreak, known only when the center runs the replay itself
/// (`wormwatch serve --demo`): the dashboard draws it beside the sources seen and the estimate,
/// up to the latest minute the center has data for, so that a viewer sees how the estimate and
/// the forecast converge on the truth. A replay pushed from another process sends counts only.
public final class ReplayTruth: Sendable {
    /// A family's true curve.
    public struct Curve: Sendable, Hashable {
        /// Times, in seconds since 1970.
        public var times: [Double]
        /// Hosts infected at least once by then.
        public var everInfected: [Double]
    }

    private let curves = Mutex<[String: Curve]>([:])

    /// No curves yet.
    public init() {}

    /// Sets a family's true curve: hosts ever infected at each time (seconds since 1970).
    public func set(family: String, times: [Double], everInfected: [Double]) {
        let n = min(times.count, everInfected.count)
        let curve = Curve(times: Array(times.prefix(n)), everInfected: Array(everInfected.prefix(n)))
        curves.withLock { $0[family] = curve }
    }

    /// A family's true curve, if a replay set one.
    public func curve(family: String) -> Curve? {
        curves.withLock { $0[family] }
    }
}
