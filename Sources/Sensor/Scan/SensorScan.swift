#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wormwatch scan`'s pipeline: read each input (log or capture, plain or gzip), hand every
/// observation to the rules, and pass each event on as it is found.
///
/// Inputs are read one after another with one reusable buffer each, so memory stays flat
/// whatever their size. An input that cannot be opened or recognised is reported in its
/// ``InputReport`` and the others are still read.
public struct SensorScan {
    /// The input paths (`-` is standard input).
    public let paths: [String]
    /// How to read them.
    public let format: InputFormat
    /// The matcher, with its rules and state (address scans span inputs).
    public private(set) var matcher: Matcher

    /// Prepares a scan of `paths` with `rules`.
    public init(paths: [String], format: InputFormat = .auto, rules: RuleSet, limits: Matcher.Limits = Matcher.Limits()) throws(SensorError) {
        self.paths = paths
        self.format = format
        let descriptors = paths.map { path in
            InputDescriptor(name: path, records: format == .pcap ? .packet : .line)
        }
        matcher = try Matcher(rules: rules, inputs: descriptors, limits: limits)
    }

    /// Reads every input in order and calls `onEvent` with each event; returns one report per input.
    public mutating func run(onEvent: (SensorEvent) -> Void) -> [InputReport] {
        var reports: [InputReport] = []
        for (index, path) in paths.enumerated() {
            var report = InputReport(name: path)
            do {
                let source = try openInput(path: path)
                try read(source, index: index, report: &report, onEvent: onEvent)
            } catch {
                report.error = error
            }
            reports.append(report)
        }
        return reports
    }

    /// Reads one opened input.
    mutating func read<Source: ByteSource>(
        _ source: InputSource<Source>, index: Int, report: inout InputReport, onEvent: (SensorEvent) -> Void
    ) throws(SensorError) {
        let path = source.path
        let gzip = source.isGzip ? "+gzip" : ""
        let capture = CaptureFormat.detect(source.prefix)
        var kind = format
        if kind == .auto { kind = capture != nil ? .pcap : .apache }
        switch kind {
        case .pcap:
            guard capture != nil else {
                throw .unrecognizedFormat(path: path, reason: "not a pcap or pcapng capture (no capture magic number)")
            }
            matcher.setRecords(.packet, ofInput: index)
            var reader = CaptureReader(source: source, path: path, input: index)
            report.kind = (capture.map { "\($0)" } ?? "pcap") + gzip
            var events = 0
            defer {
                report.records = reader.statistics.packets
                report.skipped = reader.statistics.skipped
                report.events = events
            }
            try reader.forEach { observation throws(SensorError) in
                report.observations += 1
                matcher.observe(observation) { event in
                    events += 1
                    onEvent(event)
                }
            }
        case .apache, .iis, .auto:
            if capture != nil && format != .auto {
                throw .unrecognizedFormat(path: path, reason: "is a packet capture, not a \(format) log")
            }
            let forced: LogFormat? = format == .apache ? .apache : format == .iis ? .iisW3C : nil
            matcher.setRecords(.line, ofInput: index)
            var reader = LogReader(source: source, path: path, format: forced, input: index)
            var events = 0
            defer {
                report.kind = (reader.format.map { "\($0)" } ?? "log") + gzip
                report.records = reader.statistics.lines
                report.skipped = reader.skipped
                report.events = events
            }
            try reader.classify(with: &matcher, observed: &report.observations) { event in
                events += 1
                onEvent(event)
            }
        }
    }
}

extension SensorScan {
    /// Follows the first input like `tail -F` (see ``FollowByteSource``), reading what is
    /// appended and surviving rotation, until `idleLimit` seconds pass without new data (or
    /// for ever). Compressed files cannot be followed.
    public mutating func follow(idleLimit: Double?, onEvent: (SensorEvent) -> Void) -> InputReport {
        let path = paths.first ?? "-"
        var report = InputReport(name: path)
        do {
            let source = try FollowByteSource(path: path, idleLimit: idleLimit)
            var kind = format
            if kind == .auto { kind = Self.peekIsCapture(path) ? .pcap : .apache }
            var events = 0
            if kind == .pcap {
                matcher.setRecords(.packet, ofInput: 0)
                var reader = CaptureReader(source: source, path: path, input: 0)
                defer {
                    report.kind = reader.format.map { "\($0)" } ?? "pcap"
                    report.records = reader.statistics.packets
                    report.skipped = reader.statistics.skipped
                    report.events = events
                }
                try reader.forEach { observation throws(SensorError) in
                    report.observations += 1
                    matcher.observe(observation) { event in events += 1; onEvent(event) }
                }
            } else {
                let forced: LogFormat? = format == .apache ? .apache : format == .iis ? .iisW3C : nil
                matcher.setRecords(.line, ofInput: 0)
                var reader = LogReader(source: source, path: path, format: forced, input: 0)
                defer {
                    report.kind = reader.format.map { "\($0)" } ?? "log"
                    report.records = reader.statistics.lines
                    report.skipped = reader.skipped
                    report.events = events
                }
                try reader.classify(with: &matcher, observed: &report.observations) { event in events += 1; onEvent(event) }
            }
        } catch {
            report.error = error
        }
        return report
    }

    /// Whether the file at `path` starts with a capture's magic number (false if unreadable).
    static func peekIsCapture(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: CaptureFormat.detectionLength)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return n == head.count && CaptureFormat.detect(head) != nil
    }
}
