import WormWatchCore

/// What `wormwatch scan` reads and how: the inputs, how to read them, the rules, and whether
/// to follow growing files.
public struct ScanRequest: Sendable, Hashable {
    /// Logs and captures (`-` is standard input).
    public var paths: [String]
    /// How to read them (`auto` detects each).
    public var inputFormat: InputFormat
    /// An Apache `LogFormat` (a nickname or the format string) for the logs, if not common or combined.
    public var apacheLogFormat: String?
    /// The UTC offset of IIS native logs' local times (`+HH:MM`).
    public var utcOffset: String?
    /// Rules files added to (or, without the defaults, replacing) the built-in rules.
    public var ruleFiles: [String]
    /// Whether the built-in rules are used.
    public var includeDefaultRules: Bool
    /// Follow the files like `tail -F`.
    public var follow: Bool
    /// When following: stop after this many seconds without new data (nil: never).
    public var idleTimeout: Double?
    /// Count new distinct sources per minute and family (``ScanOutcome/series``).
    public var collectSeries: Bool

    /// Creates a request.
    public init(paths: [String], inputFormat: InputFormat = .auto, apacheLogFormat: String? = nil, utcOffset: String? = nil,
                ruleFiles: [String] = [], includeDefaultRules: Bool = true, follow: Bool = false, idleTimeout: Double? = nil,
                collectSeries: Bool = false) {
        self.paths = paths; self.inputFormat = inputFormat; self.apacheLogFormat = apacheLogFormat; self.utcOffset = utcOffset
        self.ruleFiles = ruleFiles; self.includeDefaultRules = includeDefaultRules; self.follow = follow
        self.idleTimeout = idleTimeout; self.collectSeries = collectSeries
    }

    /// The longest idle timeout, in seconds (a day).
    public static let maximumIdleTimeout = 86_400.0

    /// Checks the request's settings against each other (the files themselves are read later).
    /// Settings are named as the request's properties, snake_case, in errors.
    public func check() throws(RequestError) {
        if paths.isEmpty { throw RequestError(setting: "paths", reason: "give at least one log or capture to read (- for standard input)") }
        if follow && paths.contains("-") { throw RequestError(setting: "follow", reason: "needs files, not standard input") }
        if let idleTimeout {
            guard follow else { throw RequestError(setting: "idle_timeout", reason: "only when following files") }
            guard idleTimeout.isFinite && idleTimeout >= 0 && idleTimeout <= Self.maximumIdleTimeout else {
                throw RequestError(setting: "idle_timeout", reason: "must be a number of seconds from 0 to 86400 (got \(idleTimeout))")
            }
        }
        if let apacheLogFormat {
            if inputFormat == .iis || inputFormat == .iisNative || inputFormat == .pcap {
                throw RequestError(setting: "apache_log_format", reason: "reads Apache logs, not input format \(inputFormat)")
            }
            do { _ = try ApacheLogFormat(parsing: apacheLogFormat) } catch {
                throw RequestError(setting: "apache_log_format", reason: error.description)
            }
        }
        if let utcOffset, LocalTimeOffset.seconds(parsing: utcOffset) == nil {
            throw RequestError(setting: "utc_offset", reason: "expected +HH:MM or -HH:MM, at most 14 hours (got '\(utcOffset)')")
        }
        if !includeDefaultRules && ruleFiles.isEmpty {
            throw RequestError(setting: "no_default_rules", reason: "give at least one rules file")
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw RequestError(setting: "paths", reason: "standard input (-) can be read only once") }
    }
}

/// What a scan found: per-family totals, the new-source series when asked for, and what
/// reading each input gave.
public struct ScanOutcome: Sendable {
    /// Per-family totals.
    public var summary: ScanSummary
    /// New distinct sources per minute and family, when the request asked for them.
    public var series: NewSourceSeries?
    /// One report per input, in the request's order.
    public var inputs: [InputReport]
    /// Whether the scan was cancelled before reading everything.
    public var cancelled: Bool

    /// 0 when everything was read; 1 when damaged input was skipped; 66 when an input could
    /// not be read, 65 when one is not a log or capture (the worst of these).
    public var exitStatus: ExitStatus {
        var status = ExitStatus.success
        for r in inputs {
            if let error = r.error {
                if error.exitStatus.rawValue > status.rawValue { status = error.exitStatus }
            } else if !r.skipped.isEmpty && status == .success {
                status = .findings
            }
        }
        return status
    }
}

extension SensorScan {
    /// Runs the scan (reading or following, as the request says), calling `onEvent` with every
    /// event as it is found and tallying the summary (and the series when asked for). Stops
    /// early, as if the inputs ended, once `cancellation` is set.
    public mutating func run(_ request: ScanRequest, cancellation: CancellationFlag? = nil,
                             onEvent: (SensorEvent) -> Void) -> ScanOutcome {
        var summary = ScanSummary()
        var series: NewSourceSeries? = request.collectSeries ? NewSourceSeries() : nil
        let tally: (SensorEvent) -> Void = { event in
            summary.add(event)
            series?.add(event)
            onEvent(event)
        }
        let inputs = request.follow
            ? follow(idleLimit: request.idleTimeout, cancellation: cancellation, onEvent: tally)
            : run(cancellation: cancellation, onEvent: tally)
        return ScanOutcome(summary: summary, series: series, inputs: inputs, cancelled: cancellation?.isCancelled == true)
    }
}

// Reading rules files needs Yams (see RulesFile+YAML.swift); the fuzzers build without it.
#if canImport(Yams)
extension SensorScan {
    /// Prepares the scan a request describes: checks it, reads the rules and the log format.
    public init(_ request: ScanRequest) throws(SensorError) {
        let rules = try RuleSet.load(files: request.ruleFiles, includeDefault: request.includeDefaultRules)
        let custom = try request.apacheLogFormat.map { text throws(SensorError) in try ApacheLogFormat(parsing: text) }
        try self.init(paths: request.paths, format: request.inputFormat, apacheFormat: custom, rules: rules)
        localTimeOffset = request.utcOffset.flatMap(LocalTimeOffset.seconds(parsing:)) ?? 0
    }

    /// Runs a scan from async code without blocking the caller's threads; cancelling the task
    /// stops it (the outcome then says `cancelled`). `onEvent` is called on the scan's thread.
    public static func run(_ request: ScanRequest, onEvent: @escaping @Sendable (SensorEvent) -> Void) async throws(SensorError) -> ScanOutcome {
        let result = await BlockingWork.run { flag in
            Result { () throws(SensorError) -> ScanOutcome in
                var scan = try SensorScan(request)
                return scan.run(request, cancellation: flag, onEvent: onEvent)
            }
        }
        return try result.get()
    }
}
#endif
