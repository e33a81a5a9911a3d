/// Where a run stands in time: now, the open interval, and the next lifecycle change,
/// diurnal switch and patch-schedule change still to come.
///
/// A plain value kept in a local of the event loop, so that it lives in registers.
struct RunClock {
    /// Seconds since the start of the run.
    var now = 0.0
    /// Index of the open interval.
    var interval = 0
    /// When the open interval closes.
    var intervalEnd: Double
    /// Index in the plan's `phaseChanges` of the next lifecycle change.
    var nextPhaseChange = 0
    /// Index in the plan's `switches` of the next diurnal switch.
    var nextSwitch = 0
    /// The patch schedule's rate now, per susceptible host per second.
    var patchRate: Double
    /// When the patch schedule next changes its rate.
    var nextPatchChange: Double

    /// The clock at the start of a run of `plan`.
    init(plan: ScenarioPlan) {
        intervalEnd = plan.intervalEnd(0)
        patchRate = plan.scenario.hostEvents.patchRate(at: 0)
        nextPatchChange = plan.nextPatchChange(after: 0)
    }

    /// The length of the open interval (the last one may be cut short by the duration).
    func intervalLength(_ plan: ScenarioPlan) -> Double {
        intervalEnd - Double(interval) * plan.scenario.interval
    }

    /// Opens the interval after the one just closed; false when that was the run's last.
    mutating func startNextInterval(_ plan: ScenarioPlan) -> Bool {
        interval += 1
        if interval >= plan.intervals || intervalEnd >= plan.scenario.duration { return false }
        intervalEnd = plan.intervalEnd(interval)
        return true
    }
}
