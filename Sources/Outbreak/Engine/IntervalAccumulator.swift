/// What the open interval has gathered so far: the infections by random events and the
/// integrals over time of the probe rate and of the flood traffic.
///
/// A plain value kept in a local of the event loop, so that it lives in registers.
/// (Infections by sequence hits wait in ``ExactRun``'s `pendingNew` until the interval closes.)
struct IntervalAccumulator {
    /// Infections by random events.
    var newInfections = 0
    /// ∫ probes per second dt.
    var probeIntegral = 0.0
    /// ∫ flood bits per second dt.
    var floodIntegral = 0.0

    /// Adds `span` seconds of the traffic at `rates`.
    @inline(__always) mutating func integrate(_ rates: EventRates, over span: Double) {
        probeIntegral += rates.probe * span
        floodIntegral += rates.flood * span
    }
}
