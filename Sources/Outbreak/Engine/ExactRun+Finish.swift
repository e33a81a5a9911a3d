/// The end of a run: monitors settle and the record is assembled.
extension ExactRun {
    /// Ends the run at the scenario's duration and returns its record: sequence walkers and
    /// monitors settle the hosts still scanning, explicit monitors count their probes, and
    /// the summary is drawn up.
    mutating func finish(rng: inout Xoshiro256StarStar) -> OutbreakRecord {
        let scenario = plan.scenario
        settleSequenceWalkers(at: scenario.duration, rng: &rng)
        settleMonitors(at: scenario.duration, rng: &rng)
        let (firstSeen, probes) = closeMonitors()
        return OutbreakRecord(
            scenario: scenario.name, seed: 0, run: 0, startTime: scenario.startTime,
            monitorNames: scenario.monitors.map(\.name), rows: series.rows, summary: summary(),
            infectionTimes: infectionTimes, firstSeenTimes: firstSeen, probes: probes,
            trafficPerSlash8: series.trafficPerSlash8)
    }

    /// The hosts still scanning at `end` are seen by the monitors that need them: all of
    /// them when first-seen times are kept, explicit ones (which emit the probes) otherwise.
    mutating func settleMonitors(at end: Double, rng: inout Xoshiro256StarStar) {
        guard scanning && (options.keepFirstSeen || monitors.contains(where: \.explicit)) else { return }
        for b in 0..<blockCount {
            let start = segmentStart(2, b)
            for p in start..<start + Int(count[b * 5 + 2]) {
                let h = Int(order[p])
                let r = classRate[Int(host[h].rateClass)]
                for m in monitors.indices { monitors[m].finish(h, address: host[h].address, rate: r, at: end, rng: &rng) }
            }
        }
    }

    /// Each monitor's results: its first-seen times and probes (when kept). Explicit
    /// monitors' per-interval counts, derived from their probes, replace their columns in
    /// the series.
    mutating func closeMonitors() -> (firstSeen: [[Double]], probes: [[MonitorProbe]]) {
        var firstSeen: [[Double]] = []
        var probes: [[MonitorProbe]] = []
        for m in monitors.indices {
            if options.keepFirstSeen {
                firstSeen.append(monitors[m].explicit ? firstProbeTimes(monitors[m].probes) : monitors[m].firstSeen.sorted())
            }
            if monitors[m].explicit {
                let counts = monitors[m].explicitCounts()
                for k in series.rows.indices { series.rows[k].monitors[m] = counts[k] }
                monitors[m].totalNew = counts.reduce(0) { $0 + $1.newSources }
            }
            probes.append(options.keepProbes ? monitors[m].probes : [])
        }
        return (firstSeen, probes)
    }

    /// The run's headline figures.
    func summary() -> OutbreakSummary {
        OutbreakSummary(
            population: n, finalInfected: infectedCount, everInfected: ever,
            peakNewInfectionsPerMinute: series.peakNewPerMinute, peakTime: series.peakTime,
            timeTo10Percent: thresholdTimes[0], timeTo50Percent: thresholdTimes[1], timeTo90Percent: thresholdTimes[2],
            totalProbes: series.totalProbes, peakTrafficBitsPerSecond: series.peakTraffic,
            monitorSources: monitors.map(\.totalNew), events: events)
    }

    /// Each source's first probe time, from a monitor's probes.
    func firstProbeTimes(_ probes: [MonitorProbe]) -> [Double] {
        var first: [UInt32: Double] = [:]
        for p in probes where first[p.source] == nil || p.time < first[p.source] ?? .infinity { first[p.source] = p.time }
        return first.values.sorted()
    }
}
