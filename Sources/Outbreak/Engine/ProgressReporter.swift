/// Tells an optional observer how far a run has got: the simulated fraction (0…1), once
/// per whole per cent.
struct ProgressReporter {
    /// The observer, if any.
    let progress: ((Double) -> Void)?
    /// The run's simulated duration, seconds.
    let duration: Double
    /// The last whole per cent reported.
    var lastPercent = -1

    /// Reports time `t` if it starts a new whole per cent.
    mutating func report(at t: Double) {
        if let progress, Int(t / duration * 100) != lastPercent {
            lastPercent = Int(t / duration * 100)
            progress(t / duration)
        }
    }
}
