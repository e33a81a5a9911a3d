import ArgumentParser
import Foundation
import Sensor

/// What `wormwatch scan` prints on stdout.
enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, ndjson
}

extension InputFormat: ExpressibleByArgument {}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find worm probes in web server logs and packet captures.",
        discussion: """
        Reads each FILE (- is standard input): Apache/NCSA common or combined logs, IIS W3C
        extended logs, pcap or pcapng captures, each optionally gzip-compressed; the kind is
        detected from the first bytes unless --input-format says. Every request and packet is
        matched against the rules (the built-in ones, see docs/rules-format.md, plus any
        --rules files) on the decoded URI, so encodings do not hide a probe.

        stdout: a summary table per worm family (table, the default on a terminal), the same
        as json or csv, or every event as NDJSON (ndjson, the default otherwise). --events also
        writes the NDJSON events to a file, --series the new distinct sources per minute and
        family (CSV, or JSON for a .json file). Damaged lines and packets are skipped and
        counted; the first few are named on stderr.

        Exit status: 0 everything was read; 1 finished but skipped damaged input; 65 an input
        is not a log or capture, or a rules file is invalid; 66 an input cannot be read;
        64 bad options; 73 an output cannot be written.

        Examples:
          wormwatch scan /var/log/apache2/access.log
          wormwatch scan access.log.1.gz u_ex010719.log --format ndjson > events.ndjson
          wormwatch scan telescope.pcap --rules rules/telescope.yaml --series new-sources.csv
          wormwatch scan other_vhosts_access.log --apache-log-format vhost_combined
          wormwatch scan proxy.log --apache-log-format '%a %t "%m %U%q %H" %>s "%{User-Agent}i"'
          wormwatch scan --follow /var/log/apache2/access.log /var/log/iis/u_ex*.log --format ndjson
        """
    )

    @Argument(help: ArgumentHelp("Logs and captures to read (- for standard input).", valueName: "file"))
    var files: [String] = []

    @Option(help: "auto, apache, iis (W3C extended), iis-native (IIS's comma-separated format) or pcap (pcap covers pcapng).")
    var inputFormat: InputFormat = .auto

    @Option(help: ArgumentHelp(
        "Read the logs as Apache logs written with this LogFormat: a nickname (common, combined, vhost_combined, combinedio) or the format string as in Apache's configuration.",
        valueName: "format"))
    var apacheLogFormat: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The UTC offset of the local times IIS native logs record, as +HH:MM or -HH:MM (default +00:00).",
        valueName: "offset"))
    var utcOffset: String?

    @Option(help: ArgumentHelp("A rules file (wormwatch.rules/1) whose rules are added to the built-in ones; repeatable.", valueName: "file"))
    var rules: [String] = []

    @Flag(help: "Use only the --rules files, not the built-in rules.")
    var noDefaultRules = false

    @Option(help: "table, json, csv or ndjson (default: table on a terminal, ndjson otherwise).")
    var format: ScanOutputFormat?

    @Option(help: ArgumentHelp("Also write every event as NDJSON to this file.", valueName: "file.ndjson"))
    var events: String?

    @Option(help: ArgumentHelp("Write new distinct sources per minute and family (CSV, or JSON for .json).", valueName: "file"))
    var series: String?

    @Flag(help: "Follow the growing files like tail -F (surviving rotation), taking them in turn; events are printed as found.")
    var follow = false

    @Option(help: ArgumentHelp("With --follow: stop after this many seconds without new data.", valueName: "seconds"))
    var idleTimeout: Double?

    @Flag(name: .shortAndLong, help: "No warnings about skipped input on stderr.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one log or capture to read (- for standard input)") }
        if follow && files.contains("-") { throw ValidationError("--follow: needs files, not standard input") }
        if let idleTimeout {
            guard follow else { throw ValidationError("--idle-timeout: only with --follow") }
            guard idleTimeout.isFinite && idleTimeout >= 0 else { throw ValidationError("--idle-timeout: must be a number of seconds ≥ 0 (got \(idleTimeout))") }
        }
        if let apacheLogFormat {
            if inputFormat == .iis || inputFormat == .iisNative || inputFormat == .pcap {
                throw ValidationError("--apache-log-format: reads Apache logs, not --input-format \(inputFormat)")
            }
            do { _ = try ApacheLogFormat(parsing: apacheLogFormat) } catch {
                throw ValidationError("--apache-log-format: \(error.description)")
            }
        }
        if let utcOffset, Self.offsetSeconds(utcOffset) == nil {
            throw ValidationError("--utc-offset: expected +HH:MM or -HH:MM, at most 14 hours (got '\(utcOffset)')")
        }
        if noDefaultRules && rules.isEmpty { throw ValidationError("--no-default-rules: give at least one --rules file") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let ruleSet = try loadRules()
        var scan: SensorScan
        do {
            let custom = try apacheLogFormat.map { text throws(SensorError) in try ApacheLogFormat(parsing: text) }
            scan = try SensorScan(paths: files, format: inputFormat, apacheFormat: custom, rules: ruleSet)
            scan.localTimeOffset = utcOffset.flatMap(Self.offsetSeconds) ?? 0
        } catch {
            throw CLIError(location: "", message: error.description, status: CLIError.badData)
        }
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .ndjson)
        var eventFile: EventFile?
        if let events { eventFile = try EventFile(path: events) }
        var summary = ScanSummary()
        var newSources = NewSourceSeries()
        var stdoutBuffer: [UInt8] = []
        stdoutBuffer.reserveCapacity(1 << 16)
        let streaming = chosen == .ndjson
        let flushEach = follow
        var writeFailure: String?
        let onEvent: (SensorEvent) -> Void = { event in
            summary.add(event)
            if series != nil { newSources.add(event) }
            if streaming {
                EventNDJSON.append(event, to: &stdoutBuffer)
                if flushEach || stdoutBuffer.count >= 1 << 16 {
                    if !writeAll(1, stdoutBuffer) { writeFailure = writeFailure ?? "standard output" }
                    stdoutBuffer.removeAll(keepingCapacity: true)
                }
            }
            if eventFile != nil { eventFile?.append(event, flush: flushEach) }
        }
        let reports = follow ? scan.follow(idleLimit: idleTimeout, onEvent: onEvent) : scan.run(onEvent: onEvent)
        if streaming, !stdoutBuffer.isEmpty, !writeAll(1, stdoutBuffer) { writeFailure = writeFailure ?? "standard output" }
        try eventFile?.close()
        if let writeFailure {
            throw CLIError(location: writeFailure, message: "cannot write the events (closed pipe or disk full)", status: CLIError.ioError)
        }
        switch chosen {
        case .ndjson: break
        case .table: try emit(summary.table() + inputsTable(reports), to: nil, what: "summary")
        case .json: try emit(lineEnded(summary.json()), to: nil, what: "summary")
        case .csv: try emit(lineEnded(summary.csv()), to: nil, what: "summary")
        }
        if let series {
            try emit(lineEnded(series.hasSuffix(".json") ? newSources.json() : newSources.csv()), to: series, what: "series")
        }
        try finish(reports)
    }

    /// `+HH:MM`, `-HH:MM` (or without the colon) as seconds east of UTC; `nil` if malformed.
    static func offsetSeconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 4, bytes.count == 5 || (bytes.count == 6 && bytes[3] == UInt8(ascii: ":")),
              digits.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = values[2] * 10 + values[3]
        guard minutes < 60, hours * 60 + minutes <= 14 * 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// The built-in rules plus the --rules files, or only the files.
    func loadRules() throws -> RuleSet {
        var set = RuleSet(rules: [])
        do {
            if !noDefaultRules { set.rules += try RulesFile.parseDefault().rules }
            for path in rules { set.rules += try RulesFile.load(path: path).rules }
            try set.validate()
        } catch {
            let status: Int32 = if case .unreadable = error { CLIError.noInput } else { CLIError.badData }
            throw CLIError(location: "", message: error.description, status: status)
        }
        return set
    }

    /// One line per input: what it was read as, how much, what was skipped.
    func inputsTable(_ reports: [InputReport]) -> String {
        var out = "\ninput  kind  records  observations  events  skipped\n"
        var rows: [[String]] = [["input", "kind", "records", "observations", "events", "skipped"]]
        for r in reports {
            rows.append([r.name, r.error == nil ? r.kind : "error", String(r.records), String(r.observations), String(r.events), String(r.skipped.count)])
        }
        let widths = (0..<6).map { c in rows.map { $0[c].count }.max() ?? 0 }
        out = "\n"
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in c <= 1 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[c] - cell.count) + cell }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    /// Warnings for skipped input and errors on stderr, then the exit status.
    func finish(_ reports: [InputReport]) throws {
        var status: Int32 = 0
        for r in reports {
            if let error = r.error {
                Terminal.printError("wormwatch: error: \(error.description)")
                let code: Int32 = if case .unreadable = error { CLIError.noInput } else { CLIError.badData }
                status = max(status, code)
            }
            if !r.skipped.isEmpty && r.error == nil {
                if !quiet {
                    let unit = r.kind.hasPrefix("pcap") ? "packets or blocks" : "lines"
                    Terminal.printError("wormwatch: warning: \(r.name): skipped \(r.skipped.count) damaged \(unit) of \(r.records)")
                    for example in r.skipped.examples { Terminal.printError("  \(example.description)") }
                }
                status = max(status, 1)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `text` ending with exactly one newline.
func lineEnded(_ text: String) -> String { text.hasSuffix("\n") ? text : text + "\n" }

/// Writes `bytes` to a file descriptor, retrying short writes; false on failure.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 { if errno == EINTR { continue }; return false }
            done += n
        }
        return true
    }
}

/// The --events file: NDJSON events, buffered.
struct EventFile {
    let path: String
    let fd: Int32
    var buffer: [UInt8] = []
    var failed = false

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CLIError(location: path, message: "cannot write the events: \(String(cString: strerror(errno)))", status: CLIError.cannotCreate) }
        buffer.reserveCapacity(1 << 16)
    }

    mutating func append(_ event: SensorEvent, flush: Bool) {
        EventNDJSON.append(event, to: &buffer)
        if flush || buffer.count >= 1 << 16 {
            if !writeAll(fd, buffer) { failed = true }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func close() throws {
        if !buffer.isEmpty, !writeAll(fd, buffer) { failed = true }
        buffer.removeAll()
        if Glibc.close(fd) != 0 { failed = true }
        if failed { throw CLIError(location: path, message: "cannot write the events (disk full?)", status: CLIError.ioError) }
    }
}
