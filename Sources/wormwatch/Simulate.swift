import ArgumentParser
import Foundation
import Outbreak
import OutbreakScenarios
import Reports
import Sensor

/// Output formats of commands that print data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv

    /// Without --format: from --output's extension, else table on a terminal and json otherwise.
    static func `default`(for output: String?) -> OutputFormat {
        if let output {
            if output.hasSuffix(".json") { return .json }
            if output.hasSuffix(".csv") { return .csv }
            return .table
        }
        return Terminal.stdoutIsTTY ? .table : .json
    }
}

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

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard runs >= 1 && runs <= 1_000_000 else { throw ValidationError("--runs: must be between 1 and 1000000 (got \(runs))") }
        guard threads >= 0 && threads <= 1024 else { throw ValidationError("--threads: must be between 0 and 1024 (got \(threads))") }
        if let hours { guard hours.isFinite && hours > 0 && hours <= 8784 else { throw ValidationError("--hours: must be more than 0 and at most 8784 (got \(hours))") } }
    }

    func run() throws {
        try reporting { try execute() }
    }

    func execute() throws {
        do {
            var scenario = try loadScenario(self.scenario)
            if let hours {
                scenario.duration = hours * 3600
                do { try scenario.validate() } catch {
                    throw CLIError(location: "--hours", message: error.message, status: 64)
                }
            }
            let showProgress = !quiet && Terminal.stderrIsTTY && runs > 1
            let total = runs
            let started = Date()
            if probes != nil && !scenario.monitors.contains(where: \.recordProbes) {
                throw CLIError(location: "--probes", message: "no monitor of scenario '\(scenario.name)' has record_probes: true", status: 64)
            }
            let emitIndex = try emittedMonitor(scenario)
            let emitSignature = signature ?? ProbeSignature.forScenario(named: scenario.name)
            if emitLog != nil && !emitSignature.isTCP {
                throw CLIError(location: "--emit-log", message: "\(emitSignature) probes are UDP datagrams: no web server logs them (use --emit-pcap)", status: 64)
            }
            let engine: ExactEngine
            do { engine = try ExactEngine(scenario: scenario) } catch {
                throw CLIError(location: error.field, message: error.message, status: CLIError.badData)
            }
            var progress: (@Sendable (Int) -> Void)? = nil
            if showProgress {
                progress = { (done: Int) -> Void in Terminal.progress("simulate: \(done)/\(total) runs") }
            }
            let seed = self.seed
            if trafficPer8 != nil && scenario.worm.strategy.isSequential {
                throw CLIError(location: "--traffic-per-8", message: "is not available for sequence-walking strategies (permutation, static-seed, sequential)", status: 64)
            }
            let keepProbes = probes != nil || emitIndex != nil, keepTraffic = trafficPer8 != nil
            // One run reports its own progress (a 10^8-host run takes minutes); several report runs done.
            let single = runs == 1 && !quiet && Terminal.stderrIsTTY
            let hoursTotal = scenario.duration / 3600
            let ensemble = Ensemble.run(runs: runs, threads: threads, progress: progress) {
                engine.run(seed: seed, run: $0, options: EngineOptions(keepProbes: keepProbes && $0 == 0, keepTrafficPerSlash8: keepTraffic && $0 == 0),
                           progress: single ? { fraction in
                               Terminal.progress(String(format: "simulate: %.0f %% (%.1f of %.1f simulated hours)", fraction * 100, fraction * hoursTotal, hoursTotal))
                           } : nil)
            }
            if single { Terminal.progress("") }
            if showProgress { Terminal.progress("") }
            if !quiet && Terminal.stderrIsTTY {
                let seconds = Date().timeIntervalSince(started)
                let events = ensemble.records.reduce(0) { $0 + $1.summary.events }
                Terminal.printError(String(format: "simulate: %d run%@ in %.2f s, %.3g events/s", runs, runs == 1 ? "" : "s", seconds, Double(events) / max(seconds, 1e-9)))
            }
            let report = SimulationReport(scenario: scenario, ensemble: ensemble, seed: seed)
            let chosen = format ?? OutputFormat.default(for: output)
            let text: String
            switch chosen {
            case .table: text = report.table()
            case .json: text = report.json()
            case .csv: text = report.csv()
            }
            try emit(text, to: output, what: "results")
            if let plot { try emit(report.svg(), to: plot, what: "plot") }
            if let probes { try emit(report.probesCSV(), to: probes, what: "probes") }
            if let trafficPer8 { try emit(report.trafficPerSlash8CSV(), to: trafficPer8, what: "traffic per /8") }
            if let emitIndex, let record = ensemble.records.first {
                let seen = record.probes.indices.contains(emitIndex) ? record.probes[emitIndex] : []
                do {
                    if let emitPcap {
                        try ProbeEmitter.writeCapture(seen, startTime: scenario.startTime, signature: emitSignature, to: emitPcap)
                    }
                    if let emitLog {
                        try ProbeEmitter.writeLog(seen, startTime: scenario.startTime, signature: emitSignature,
                                                  format: logFormat.format, to: emitLog)
                    }
                } catch {
                    throw CLIError(location: "", message: error.description, status: CLIError.cannotCreate)
                }
            }
        }
    }

    /// The monitor --emit-pcap / --emit-log write, or nil when neither is asked for.
    func emittedMonitor(_ scenario: Scenario) throws -> Int? {
        guard emitPcap != nil || emitLog != nil else {
            if emitMonitor != nil { throw CLIError(location: "--emit-monitor", message: "needs --emit-pcap or --emit-log", status: 64) }
            return nil
        }
        let option = emitPcap != nil ? "--emit-pcap" : "--emit-log"
        if let emitMonitor {
            guard let i = scenario.monitors.firstIndex(where: { $0.name == emitMonitor }) else {
                throw CLIError(location: "--emit-monitor", message: "scenario '\(scenario.name)' has no monitor named '\(emitMonitor)'", status: 64)
            }
            guard scenario.monitors[i].recordProbes else {
                throw CLIError(location: "--emit-monitor", message: "monitor '\(emitMonitor)' does not have record_probes: true", status: 64)
            }
            return i
        }
        guard let i = scenario.monitors.firstIndex(where: \.recordProbes) else {
            throw CLIError(location: option, message: "no monitor of scenario '\(scenario.name)' has record_probes: true", status: 64)
        }
        return i
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

/// A preset by name, or a scenario file by path.
func loadScenario(_ reference: String) throws -> Scenario {
    let isFile = FileManager.default.fileExists(atPath: reference)
    if !isFile, let text = ScenarioPresets.text(named: reference) {
        do { return try ScenarioFile.parse(text, file: "preset \(reference)") } catch {
            throw CLIError(location: "preset \(reference)", message: "\(error) (a bug: please report it)", status: 70)
        }
    }
    if !isFile && !reference.contains("/") && !reference.hasSuffix(".yaml") && !reference.hasSuffix(".yml") {
        throw CLIError(location: reference, message: "no such preset or file", status: CLIError.noInput,
                       hint: "presets: \(ScenarioPresets.names.joined(separator: ", "))")
    }
    do { return try ScenarioFile.load(path: reference) } catch {
        switch error {
        case .unreadable(let path, let reason): throw CLIError(location: path, message: "cannot read: \(reason)", status: CLIError.noInput)
        case .invalid(let problem):
            let location = [problem.file, problem.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
            let message = (problem.field.isEmpty ? "" : problem.field + ": ") + problem.message
            throw CLIError(location: location, message: message, status: CLIError.badData)
        }
    }
}
