import WormWatchCore

extension Scenario {
    /// The indices of the monitors with `record_probes: true`; a request that needs them (its
    /// `setting`: a probes file, an emitted capture) is refused when there are none.
    public func recordingMonitors(neededBy setting: String) throws(RequestError) -> [Int] {
        let indices = monitors.indices.filter { monitors[$0].recordProbes }
        guard !indices.isEmpty else {
            throw RequestError(setting: setting, reason: "no monitor of scenario '\(name)' has record_probes: true")
        }
        return indices
    }
}
