/// One input of ``SensorScan/follow(idleLimit:pollInterval:onEvent:)``: a followed file and
/// the reader that is part way through it.
protocol FollowedInput: AnyObject {
    /// The file, which does not wait for new data.
    var source: FollowByteSource { get }
    /// The input's index in the scan's paths.
    var index: Int { get }
    /// What has been read so far.
    var report: InputReport { get }
    /// Whether the input has ended (or failed); it is not pumped again.
    var ended: Bool { get }
    /// Reads what the file has now, handing it to `matcher`; a failure is kept in ``report``.
    func pump(_ matcher: inout Matcher, _ onEvent: (SensorEvent) -> Void)
}

/// A followed web server log.
final class FollowedLog: FollowedInput {
    let source: FollowByteSource
    let index: Int
    private(set) var report: InputReport
    private(set) var ended = false
    private var reader: LogReader<FollowByteSource>

    init(
        source: FollowByteSource, path: String, index: Int, format: LogFormat?, apacheFormat: ApacheLogFormat?,
        localTimeOffset: Int
    ) {
        self.source = source
        self.index = index
        report = InputReport(name: path)
        reader = LogReader(
            source: source, path: path, format: format, apacheFormat: apacheFormat, localTimeOffset: localTimeOffset,
            input: index)
    }

    func pump(_ matcher: inout Matcher, _ onEvent: (SensorEvent) -> Void) {
        var events = 0
        defer {
            report.kind = reader.format.map { "\($0)" } ?? "log"
            report.records = reader.statistics.lines
            report.skipped = reader.skipped
            report.events += events
        }
        do {
            ended = try reader.classify(with: &matcher, observed: &report.observations) { event in
                events += 1
                onEvent(event)
            }
        } catch {
            report.error = error
            ended = true
        }
    }
}

/// A followed packet capture (one that tcpdump -w is still writing, say).
final class FollowedCapture: FollowedInput {
    let source: FollowByteSource
    let index: Int
    private(set) var report: InputReport
    private(set) var ended = false
    private var reader: CaptureReader<FollowByteSource>

    init(source: FollowByteSource, path: String, index: Int) {
        self.source = source
        self.index = index
        report = InputReport(name: path)
        reader = CaptureReader(source: source, path: path, input: index)
    }

    func pump(_ matcher: inout Matcher, _ onEvent: (SensorEvent) -> Void) {
        var events = 0
        var observations = 0
        defer {
            report.kind = reader.format.map { "\($0)" } ?? "pcap"
            report.records = reader.statistics.packets
            report.skipped = reader.statistics.skipped
            report.observations += observations
            report.events += events
        }
        do {
            while let observation = try reader.next() {
                observations += 1
                matcher.observe(observation) { event in
                    events += 1
                    onEvent(event)
                }
            }
            ended = !reader.isWaiting
        } catch {
            report.error = error
            ended = true
        }
    }
}
