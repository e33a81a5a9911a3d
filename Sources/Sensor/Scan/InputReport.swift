/// What reading one input gave: its kind, how much was read, and what was skipped.
public struct InputReport: Sendable {
    /// The input's name as given (`-` for standard input).
    public var name: String
    /// What it was read as: `apache`, `iis-w3c`, `pcap`, `pcapng` (with `+gzip` when
    /// compressed), or empty when it could not be opened.
    public var kind: String
    /// Lines (logs) or packets (captures) read.
    public var records: Int
    /// Observations handed to the rules (requests, TCP and UDP packets).
    public var observations: Int
    /// Events the rules raised from this input.
    public var events: Int
    /// Damaged records skipped, with the first few locations.
    public var skipped: SkippedInput
    /// Why reading stopped early or never started, if it did.
    public var error: SensorError?

    public init(name: String) {
        self.name = name
        kind = ""
        records = 0
        observations = 0
        events = 0
        skipped = SkippedInput()
        error = nil
    }
}
