import Outbreak
import Sensor
import WormWatchCore

/// What to write of a simulation for a sensor: which recording monitor's probes (run 0), what
/// they look like, and the capture and web server log to write them to.
public struct ProbeEmission: Sendable, Hashable {
    /// The monitor whose probes are written (index into the scenario's monitors).
    public var monitorIndex: Int
    /// What the probes look like on the wire and in a log.
    public var signature: ProbeSignature
    /// The capture to write (pcap), if any.
    public var capturePath: String?
    /// The web server log to write, if any.
    public var logPath: String?
    /// The log's format.
    public var logFormat: LogFormat

    /// Checks what is asked against the scenario: the monitor (by name, or the first with
    /// `record_probes: true`) must record probes, and a log needs probes a web server sees.
    /// `nil` when neither a capture nor a log is asked for. Settings are named
    /// `emit_monitor`, `emit_pcap`, `emit_log` in errors.
    public init?(scenario: Scenario, monitor name: String?, signature: ProbeSignature?, capture: String?, log: String?,
                 logFormat: LogFormat = .apache) throws(RequestError) {
        guard capture != nil || log != nil else { return nil }
        let setting = capture != nil ? "emit_pcap" : "emit_log"
        if let name {
            guard let i = scenario.monitors.firstIndex(where: { $0.name == name }) else {
                throw RequestError(setting: "emit_monitor", reason: "scenario '\(scenario.name)' has no monitor named '\(name)'")
            }
            guard scenario.monitors[i].recordProbes else {
                throw RequestError(setting: "emit_monitor", reason: "monitor '\(name)' does not have record_probes: true")
            }
            monitorIndex = i
        } else {
            monitorIndex = try scenario.recordingMonitors(neededBy: setting)[0]
        }
        let chosen = signature ?? ProbeSignature.forScenario(named: scenario.name)
        if log != nil && !chosen.isTCP {
            throw RequestError(setting: "emit_log", reason: "\(chosen) probes are UDP datagrams: no web server logs them (write a capture instead)")
        }
        self.signature = chosen
        capturePath = capture
        logPath = log
        self.logFormat = logFormat
    }

    /// Writes the monitor's probes of `record` (run 0 of a simulation that kept its probes).
    public func write(_ record: OutbreakRecord) throws(SensorError) {
        let probes = record.probes.indices.contains(monitorIndex) ? record.probes[monitorIndex] : []
        if let capturePath {
            try ProbeEmitter.writeCapture(probes, startTime: record.startTime, signature: signature, to: capturePath)
        }
        if let logPath {
            try ProbeEmitter.writeLog(probes, startTime: record.startTime, signature: signature, format: logFormat, to: logPath)
        }
    }
}
