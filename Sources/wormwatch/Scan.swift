import ArgumentParser
import Foundation
import Sensor
import WatchCenter
import WormWatchCore

/// What `wormwatch scan` prints on stdout.
enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, ndjson
}

extension InputFormat: ExpressibleByArgument {}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find worm probes in web server logs and packet captures.",
        discussion: """
        Reads each FILE (- is standard input): Apache/NCSA common or combined logs,
        IIS W3C extended logs, pcap or pcapng captures, each optionally
        gzip-compressed; the kind is detected from the first bytes unless
        --input-format says. Every request and packet is matched against the rules
        (the built-in ones, see docs/rules-format.md, plus any --rules files) on the
        decoded URI, so encodings do not hide a probe.

        stdout: a summary table per worm family (table, the default on a terminal),
        the same as json or csv, or every event as NDJSON (ndjson, the default
        otherwise). --events also writes the NDJSON events to a file, --series the
        new distinct sources per minute and family (CSV, or JSON for a .json file).
        Damaged lines and packets are skipped and counted; the first few are named
        on stderr.

        Exit status: 0 everything was read; 1 finished but skipped damaged input; 65
        an input is not a log or capture, or a rules file is invalid; 66 an input
        cannot be read; 64 bad options; 73 an output cannot be written.

        Examples:
          wormwatch scan /var/log/apache2/access.log
          wormwatch scan access.log.1.gz u_ex010719.log --format ndjson > events.ndjson
          wormwatch scan telescope.pcap --rules rules/telescope.yaml \\
            --series new-sources.csv
          wormwatch scan other_vhosts_access.log --apache-log-format vhost_combined
          wormwatch scan proxy.log \\
            --apache-log-format '%a %t "%m %U%q %H" %>s "%{User-Agent}i"'
          wormwatch scan --follow /var/log/apache2/access.log \\
            /var/log/iis/u_ex*.log --format ndjson
          wormwatch scan --follow access.log \\
            --push http://center:8080 --token-file isc.token

        Pushing (--push URL): events go to a Watch Center in batches of
        --batch-lines, each first written to a spool folder and deleted only once
        the center has it; while the center is unreachable they wait there and are
        retried, oldest first, also by a later run. The token comes from
        --token-file or WORMWATCH_TOKEN, never the command line. Exit status 69 if
        batches were left in the spool.
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

    @Option(help: ArgumentHelp("Also push every event to this Watch Center (http://host:port).", valueName: "url"))
    var push: String?

    @Option(help: ArgumentHelp("With --push: the file holding the sensor's token (else WORMWATCH_TOKEN).", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("With --push: where batches wait for the center (a folder per sensor inside).", valueName: "dir"))
    var spool = "wormwatch-spool"

    @Option(help: ArgumentHelp("With --push: events per batch.", valueName: "lines"))
    var batchLines = 1_000

    @Option(help: ArgumentHelp("With --push: seconds to wait at the end for the center to take what is left.", valueName: "seconds"))
    var pushTimeout = 60.0

    var request: ScanRequest {
        ScanRequest(paths: files, inputFormat: inputFormat, apacheLogFormat: apacheLogFormat, utcOffset: utcOffset, ruleFiles: rules,
                    includeDefaultRules: !noDefaultRules, follow: follow, idleTimeout: idleTimeout, collectSeries: series != nil)
    }

    func validate() throws {
        try checking { try request.check() }
        if push != nil { try checking { _ = try pushConfiguration() } }
        guard pushTimeout >= 0 && pushTimeout.isFinite else { throw ValidationError("--push-timeout: \(pushTimeout) is not a number of seconds") }
    }

    func pushConfiguration() throws -> PushConfiguration? {
        guard let push else { return nil }
        let token = try PushConfiguration.token(file: tokenFile, environment: ProcessInfo.processInfo.environment)
        return try PushConfiguration(push: push, token: token, spoolRoot: spool, batchLines: batchLines)
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let request = self.request
        var scan = try SensorScan(request)
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .ndjson)
        var eventFile = try events.map { path throws(SensorError) in try EventStreamWriter(path: path, flushEach: follow) }
        var stream = chosen == .ndjson ? try EventStreamWriter(path: "-", flushEach: follow) : nil
        let session = try pushConfiguration().map { configuration throws(ReportedError) in try PushSession(configuration: configuration) }
        // Pushing: SIGINT/SIGTERM stop the scan cleanly, so the last events still reach the spool.
        let stop = CancellationFlag()
        let watch = session == nil ? nil : SignalWatch { stop.cancel() }
        let outcome = scan.run(request, cancellation: stop) { event in
            stream?.append(event)
            eventFile?.append(event)
            session?.pusher.append(event)
        }
        _ = watch
        try stream.take()?.finish()
        try eventFile.take()?.finish()
        switch chosen {
        case .ndjson: break
        case .table: try emit(outcome.summary.table() + "\n" + InputReport.table(outcome.inputs), to: nil, what: "summary")
        case .json: try emit(lineEnded(outcome.summary.json()), to: nil, what: "summary")
        case .csv: try emit(lineEnded(outcome.summary.csv()), to: nil, what: "summary")
        }
        if let series, let found = outcome.series {
            try emit(lineEnded(series.hasSuffix(".json") ? found.json() : found.csv()), to: series, what: "series")
        }
        for input in outcome.inputs {
            if let error = input.error { Terminal.printError("wormwatch: error: \(error.description)") }
            if !quiet, let first = input.skipWarning.first {
                Terminal.printError("wormwatch: warning: \(first)")
                for example in input.skipWarning.dropFirst() { Terminal.printError("  \(example)") }
            }
        }
        if let session, let push {
            let summary = session.finish(waiting: pushTimeout)
            if summary.batchesSent > 0 || summary.batchesPending == 0 {
                Terminal.printError("wormwatch: pushed \(summary.linesSent) events in \(summary.batchesSent) batches to \(push)")
            }
            if summary.batchesRejected > 0, let problem = summary.lastProblem {
                Terminal.printError("wormwatch: error: \(push): \(summary.batchesRejected) batches refused, kept in \(session.pusher.configuration.spoolFolder)/rejected; last: \(problem)")
            }
            if let fatal = summary.fatal {
                Terminal.printError("wormwatch: error: \(push): \(fatal); \(summary.batchesPending) batches kept in \(session.pusher.configuration.spoolFolder)")
                throw ExitCode(ExitStatus.unavailable.rawValue)
            }
            if summary.batchesPending > 0 {
                Terminal.printError("wormwatch: error: \(push): \(summary.lastProblem ?? "the center did not answer in time"); \(summary.batchesPending) batches kept in \(session.pusher.configuration.spoolFolder), sent by the next run")
                throw ExitCode(ExitStatus.unavailable.rawValue)
            }
        }
        if outcome.exitStatus != .success { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}
