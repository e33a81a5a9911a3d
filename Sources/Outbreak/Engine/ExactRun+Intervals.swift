/// Closing intervals into the time series.
extension ExactRun {
    /// Closes the interval ending at `clock.now` into a row of the series: the state now,
    /// the interval's infections (random events and sequence hits), its mean probe rate and
    /// traffic, each monitor's counts and, when kept, the traffic into each /8.
    mutating func closeInterval(_ clock: RunClock, _ interval: IntervalAccumulator, rng: inout Xoshiro256StarStar) {
        let newInfections = interval.newInfections + pendingNew
        pendingNew = 0
        let length = clock.intervalLength(plan)
        var counts: [MonitorCounts] = []
        counts.reserveCapacity(monitors.count)
        for m in monitors.indices { counts.append(monitors[m].close(interval: clock.interval, length: length, rng: &rng)) }
        if slash8 != nil {
            let rates = slash8?.close(at: clock.now, length: length, probeIntegral: interval.probeIntegral, scanning: scanning)
            series.trafficPerSlash8.append(rates ?? [])
        }
        let probesPerSecond = interval.probeIntegral / length
        let probeBits = Double(plan.scenario.worm.probeBytes * 8)
        let traffic = probesPerSecond * probeBits + interval.floodIntegral / length
        let row = OutbreakRow(
            time: clock.intervalEnd, susceptible: s + offSusceptible, infected: infectedCount, removed: patched + cleaned,
            newInfections: newInfections, everInfected: ever, probesPerSecond: probesPerSecond,
            trafficBitsPerSecond: traffic, monitors: counts)
        series.append(row, length: length, probes: interval.probeIntegral)
    }
}
