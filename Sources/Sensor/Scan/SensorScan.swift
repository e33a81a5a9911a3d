#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WormWatchCore

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
    /// The `LogFormat` of the Apache logs, when they are not common or combined: every input
    /// that is not a capture is read as an Apache log written with it.
    public let apacheFormat: ApacheLogFormat?
    /// Seconds east of UTC of the local times in IIS native logs (which do not say).
    public var localTimeOffset = 0
    /// The matcher, with its rules and state (address scans span inputs).
    public private(set) var matcher: Matcher

    /// Prepares a scan of `paths` with `rules`; `apacheFormat` reads the logs with a custom
    /// Apache `LogFormat`.
    public init(
        paths: [String], format: InputFormat = .auto, apacheFormat: ApacheLogFormat? = nil, rules: RuleSet,
        limits: Matcher.Limits = Matcher.Limits()
    ) throws(SensorError) {
        self.paths = paths
        self.format = format
        self.apacheFormat = apacheFormat
        let descriptors = paths.map { path in
            InputDescriptor(name: path, records: format == .pcap ? .packet : .line)
        }
        matcher = try Matcher(rules: rules, inputs: descriptors, limits: limits)
    }

    /// Reads every input in order and calls `onEvent` with each event; returns one report per
    /// input. Once `cancellation` is set, reading stops as if the inputs had ended.
    public mutating func run(cancellation: CancellationFlag? = nil, onEvent: (SensorEvent) -> Void) -> [InputReport] {
        var reports: [InputReport] = []
        for (index, path) in paths.enumerated() {
            var report = InputReport(name: path)
            if cancellation?.isCancelled == true {
                reports.append(report)
                continue
            }
            do {
                let source = try openInput(path: path, cancellation: cancellation)
                try read(source, index: index, report: &report, onEvent: onEvent)
            } catch {
                report.error = error
            }
            reports.append(report)
        }
        return reports
    }

    /// The log format `format` forces, if it forces one.
    var forcedLogFormat: LogFormat? {
        switch format {
        case .apache: .apache
        case .iis: .iisW3C
        case .iisNative: .iisNative
        case .auto, .pcap: nil
        }
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
        case .apache, .iis, .iisNative, .auto:
            if capture != nil && format != .auto {
                throw .unrecognizedFormat(path: path, reason: "is a packet capture, not a \(format) log")
            }
            matcher.setRecords(.line, ofInput: index)
            var reader = LogReader(
                source: source, path: path, format: forcedLogFormat, apacheFormat: apacheFormat,
                localTimeOffset: localTimeOffset, input: index)
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
    /// Follows every input like `tail -F` (see ``FollowByteSource``): reads each file from its
    /// start, then what is appended to it, surviving rotation and truncation, taking the files
    /// in turn, until `idleLimit` seconds pass without new data in any of them (or for ever, or
    /// until `cancellation` is set).
    /// Returns one report per input. Compressed files cannot be followed.
    ///
    /// Each file is read as a capture if it starts with a capture's magic number when the
    /// follow begins, as a log otherwise (a file that does not exist yet is waited for, as a
    /// log). A file is read until it has nothing new before the next one gets its turn.
    public mutating func follow(
        idleLimit: Double?, pollInterval: Double = 0.2, cancellation: CancellationFlag? = nil, onEvent: (SensorEvent) -> Void
    ) -> [InputReport] {
        var inputs: [any FollowedInput] = []
        var reports: [InputReport] = []
        for (index, path) in paths.enumerated() {
            do {
                let source = try FollowByteSource(path: path)
                var kind = format
                if kind == .auto { kind = Self.peekIsCapture(path) ? .pcap : .apache }
                if kind == .pcap {
                    matcher.setRecords(.packet, ofInput: index)
                    inputs.append(FollowedCapture(source: source, path: path, index: index))
                } else {
                    matcher.setRecords(.line, ofInput: index)
                    inputs.append(FollowedLog(
                        source: source, path: path, index: index, format: forcedLogFormat, apacheFormat: apacheFormat,
                        localTimeOffset: localTimeOffset))
                }
                reports.append(InputReport(name: path))
            } catch {
                var report = InputReport(name: path)
                report.error = error
                reports.append(report)
            }
        }
        var idle = 0.0
        while inputs.contains(where: { !$0.ended }) && cancellation?.isCancelled != true {
            var progressed = false
            for input in inputs where !input.ended {
                let before = input.source.bytesRead
                input.pump(&matcher, onEvent)
                if input.source.bytesRead != before { progressed = true }
            }
            if progressed {
                idle = 0
                continue
            }
            if let idleLimit, idle >= idleLimit {
                // Quiet for long enough: each file's last bytes (a line without its line end)
                // are read as its end.
                for input in inputs where !input.ended {
                    input.source.finish()
                    input.pump(&matcher, onEvent)
                }
                break
            }
            POSIX.sleep(seconds: pollInterval)
            idle += pollInterval
        }
        for input in inputs { reports[input.index] = input.report }
        return reports
    }

    /// Whether the file at `path` starts with a capture's magic number (false if unreadable).
    static func peekIsCapture(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: CaptureFormat.detectionLength)
        let n = head.withUnsafeMutableBytes { POSIX.read(fd, $0.baseAddress, $0.count) }
        return n == head.count && CaptureFormat.detect(head) != nil
    }
}
