import Foundation

/// The plain baseline the Kalman detector is compared with: a one-sided CUSUM on the new
/// sources per interval. The first ``trainingIntervals`` learn the mean μ (Poisson: σ² = μ);
/// then S(t) = max(0, S(t−1) + (x(t) − μ)/σ − k) and the alarm goes off when S exceeds the
/// threshold h.
public struct CUSUMDetector: Sendable {
    /// Intervals that learn the baseline mean.
    public let trainingIntervals: Int
    /// The allowance k, in standard deviations.
    public let allowance: Double
    /// The threshold h, in standard deviations.
    public let threshold: Double
    /// The statistic S now.
    public private(set) var statistic = 0.0
    /// The highest S so far.
    public private(set) var highest = 0.0
    private var seen = 0
    private var sum = 0.0

    /// Creates a CUSUM detector.
    public init(trainingIntervals: Int = 60, allowance: Double = 0.5, threshold: Double = 10) {
        self.trainingIntervals = trainingIntervals; self.allowance = allowance; self.threshold = threshold
    }

    /// Whether the alarm has gone off.
    public var alarmed: Bool { highest > threshold }

    /// Adds the next interval's new sources; returns whether the alarm is (now or already) on.
    @discardableResult
    public mutating func add(newSources: Int) -> Bool {
        seen += 1
        guard seen > trainingIntervals else {
            sum += Double(newSources)
            return false
        }
        // A quiet training period still has some noise: at least one source per 10 intervals.
        let mean = max(sum / Double(trainingIntervals), 0.1)
        statistic = max(0, statistic + (Double(newSources) - mean) / mean.squareRoot() - allowance)
        highest = max(highest, statistic)
        return alarmed
    }
}
