/// The time series a run builds, one row per closed interval, with the peaks and totals
/// its summary reports.
struct OutbreakSeries {
    /// One row per closed interval.
    var rows: [OutbreakRow] = []
    /// Per closed interval, the probe rate into each /8 (when asked for).
    var trafficPerSlash8: [[Double]] = []
    /// Probes sent over the run.
    var totalProbes = 0.0
    /// The largest new infections per minute in an interval, and that interval's end.
    var peakNewPerMinute = 0.0, peakTime = 0.0
    /// The largest mean traffic of an interval, bits per second.
    var peakTraffic = 0.0

    /// Adds the row of an interval of `length` seconds in which `probes` probes were sent.
    mutating func append(_ row: OutbreakRow, length: Double, probes: Double) {
        rows.append(row)
        let perMinute = Double(row.newInfections) * 60 / length
        if perMinute > peakNewPerMinute { peakNewPerMinute = perMinute; peakTime = row.time }
        peakTraffic = Swift.max(peakTraffic, row.trafficBitsPerSecond)
        totalProbes += probes
    }
}
