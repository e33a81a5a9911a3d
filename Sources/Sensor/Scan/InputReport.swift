import WormWatchCore

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

extension InputReport {
    /// One line per input: what it was read as, how much, what was skipped, as a text table.
    public static func table(_ reports: [InputReport]) -> String {
        var table = TextTable(header: ["input", "kind", "records", "observations", "events", "skipped"],
                              alignments: [.left, .left, .right, .right, .right, .right])
        for r in reports {
            table.add([r.name, r.error == nil ? r.kind : "error", String(r.records), String(r.observations), String(r.events),
                       String(r.skipped.count)])
        }
        return table.render()
    }

    /// What was skipped, for a warning: `NAME: skipped N damaged lines of M` (or packets or
    /// blocks), then the first few places skipped; empty when nothing was (or the input failed).
    public var skipWarning: [String] {
        guard !skipped.isEmpty && error == nil else { return [] }
        let unit = kind.hasPrefix("pcap") ? "packets or blocks" : "lines"
        return ["\(name): skipped \(skipped.count) damaged \(unit) of \(records)"] + skipped.examples.map(\.description)
    }
}
