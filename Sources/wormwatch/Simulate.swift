import ArgumentParser
import Emitters
import Foundation
import OutbreakStudies
import Reports
import Sensor
import WormWatchCore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a worm outbreak with the exact event-driven engine.",
        discussion: """
        SCENARIO is a built-in preset (see 'wormwatch scenarios') or a scenario file.
        Results go to stdout (or --output); progress and errors go to stderr.
        The same --seed gives the same output whatever --threads is.

        Examples:
          wormwatch simulate codered-v2
          wormwatch simulate codered-v2 --runs 200 --format csv --output cr.csv --plot cr.svg
          wormwatch simulate my-worm.yaml --hours 48 --seed 7 --format json
          wormwatch simulate examples/telescope-16.yaml --emit-pcap day.pcap --format json -o day.json

        On a cluster, --shard I/N runs only the I-th of N parts of the --runs (with the same
        random streams) and writes a partial result (JSON) instead; 'wormwatch merge' turns
        the N parts into exactly the output the unsharded command gives:
          wormwatch simulate codered-v2 --runs 1000 --shard 3/8 -o part-3.json
          wormwatch merge part-*.json --format csv -o cr.csv

        --emit-pcap and --emit-log write what a monitor with record_probes: true saw in run 0
        as real-format files for 'wormwatch scan': a capture of the probes (TCP SYNs to port 80,
        or Slammer's UDP datagrams to port 1434) and a honeypot's web server log of the worm's
        requests. Nothing is sent anywhere.
        """
    )

    @Argument(help: ArgumentHelp("A preset name or a scenario file (.yaml).", valueName: "scenario"))
    var scenario: String

    @Option(help: "Seed of the random streams; run r uses stream (seed, r).")
    var seed: UInt64 = 1

    @Option(help: "Simulated hours (overrides the scenario's duration_hours).")
    var hours: Double?

    @Option(help: "Independent runs; several give the median and 5-95 % band.")
    var runs: Int = 1

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(help: "table, json or csv (default: from --output's extension, table on a terminal, json otherwise).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write results to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write an SVG chart of the outbreak.", valueName: "file.svg"))
    var plot: String?

    @Option(help: ArgumentHelp("Write every probe that reached a monitor with record_probes: true (run 0) as CSV.", valueName: "file.csv"))
    var probes: String?

    @Option(name: .customLong("traffic-per-8"), help: ArgumentHelp("Write run 0's probe traffic into every /8 per interval as CSV.", valueName: "file.csv"))
    var trafficPer8: String?

    @Option(help: ArgumentHelp("Write the probes a recording monitor saw (run 0) as a pcap capture.", valueName: "file.pcap"))
    var emitPcap: String?

    @Option(help: ArgumentHelp("Write the probes a recording monitor saw (run 0) as a honeypot's web server log.", valueName: "file.log"))
    var emitLog: String?

    @Option(help: "The log format of --emit-log: apache (combined), iis (W3C extended) or iis-native (IIS's comma-separated format, times in UTC).")
    var logFormat: EmitLogFormat = .apache

    @Option(help: ArgumentHelp("The recording monitor to emit (default: the first with record_probes: true).", valueName: "name"))
    var emitMonitor: String?

    @Option(help: "What the probes look like: code-red-i, code-red-ii or slammer (default: from the scenario's name).")
    var signature: ProbeSignature?

    @Option(help: ArgumentHelp("Run only part I of N of the runs and write a partial result for 'wormwatch merge'.", valueName: "I/N"))
    var shard: String?

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try checking { try SimulationStudy.check(request) }
        if shard != nil {
            try checking { _ = try parsedShard() }
            let extras: [(String, Bool)] = [("--format", format != nil && format != .json), ("--plot", plot != nil), ("--probes", probes != nil),
                                            ("--traffic-per-8", trafficPer8 != nil), ("--emit-pcap", emitPcap != nil), ("--emit-log", emitLog != nil)]
            if let (name, _) = extras.first(where: \.1) {
                throw ValidationError("\(name): not with --shard (a shard writes a partial result; give --format and --plot to 'wormwatch merge', run 0's files come from an unsharded run)")
            }
        }
        if emitMonitor != nil && emitPcap == nil && emitLog == nil { throw ValidationError("--emit-monitor: needs --emit-pcap or --emit-log") }
    }

    var request: SimulationRequest {
        SimulationRequest(scenario: scenario, hours: hours, seed: seed, runs: runs, threads: threads,
                          keepProbes: probes != nil || emitPcap != nil || emitLog != nil, keepTrafficPerSlash8: trafficPer8 != nil)
    }

    func run() throws { try reporting { try execute() } }

    func parsedShard() throws(RequestError) -> Shard? {
        guard let shard else { return nil }
        return try Shard.parse(shard)
    }

    func execute() throws {
        let study = try SimulationStudy(request)
        if let shard = try parsedShard() {
            let range = shard.runs(of: runs)
            let showProgress = !quiet && Terminal.stderrIsTTY
            let total = range.count
            var progress: (@Sendable (Int) -> Void)?
            if showProgress {
                let label = "simulate: shard \(shard)"
                progress = { done in Terminal.progress("\(label): \(done)/\(total) runs") }
            }
            guard let partial = study.run(shard: shard, progress: progress, cancellation: nil) else { return }
            if showProgress { Terminal.progress("") }
            try emit(partial.json(), to: output, what: "partial result")
            return
        }
        if probes != nil { _ = try study.scenario.recordingMonitors(neededBy: "probes") }
        let emission = try ProbeEmission(scenario: study.scenario, monitor: emitMonitor, signature: signature,
                                         capture: emitPcap, log: emitLog, logFormat: logFormat.format)
        let started = Date()
        let simulation = study.run(progress: progressReporter(hours: study.scenario.duration / 3600), cancellation: nil)
        guard let simulation else { return }
        if !quiet && Terminal.stderrIsTTY {
            Terminal.progress("")
            let seconds = Date().timeIntervalSince(started)
            Terminal.printError(String(format: "simulate: %d run%@ in %.2f s, %.3g events/s", runs, runs == 1 ? "" : "s", seconds,
                                       Double(simulation.events) / max(seconds, 1e-9)))
        }
        let report = SimulationReport(simulation)
        switch format ?? OutputFormat.default(for: output) {
        case .table: try emit(report.table(), to: output, what: "results")
        case .json: try emit(report.json(), to: output, what: "results")
        case .csv: try emit(report.csv(), to: output, what: "results")
        }
        if let plot { try emit(report.svg(), to: plot, what: "plot") }
        if let probes { try emit(report.probesCSV(), to: probes, what: "probes") }
        if let trafficPer8 { try emit(report.trafficPerSlash8CSV(), to: trafficPer8, what: "traffic per /8") }
        if let emission, let record = simulation.ensemble.records.first { try emission.write(record) }
    }

    /// Progress on stderr when it is a terminal: runs done, or one run's simulated hours.
    func progressReporter(hours: Double) -> SimulationProgress? {
        guard !quiet && Terminal.stderrIsTTY else { return nil }
        let total = runs
        return { step in
            switch step {
            case .runs(let done): Terminal.progress("simulate: \(done)/\(total) runs")
            case .simulated(let fraction):
                Terminal.progress(String(format: "simulate: %.0f %% (%.1f of %.1f simulated hours)", fraction * 100, fraction * hours, hours))
            }
        }
    }
}

/// The web server log formats `--emit-log` writes.
enum EmitLogFormat: String, ExpressibleByArgument, CaseIterable {
    case apache, iis
    case iisNative = "iis-native"
    var format: LogFormat {
        switch self {
        case .apache: .apache
        case .iis: .iisW3C
        case .iisNative: .iisNative
        }
    }
}

extension ProbeSignature: ExpressibleByArgument {}
