import ArgumentParser
import EarlyWarning
import Foundation
import OutbreakStudies
import Reports
import WormWatchCore

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the early warning: detection time, infected share at the alarm, false alarms, estimate error.",
        discussion: """
        Runs the replay → estimate → alarm loop without HTTP, --runs times per scenario: the worms
        codered-v2 and slammer, seen by one telescope (--monitor, default 131.243.0.0/16), and four
        kinds of scanners that do not spread (noise-steady, noise-diurnal, noise-loud: one scanner
        at 1,000 probes/s over a steady background, noise-ramp: a slow linear rise), where any alarm
        is a false alarm. Two detectors: Zou et al.'s Kalman filter on the discrete logistic
        ("active" when the growth rate settles), and a CUSUM on new sources per interval whose
        threshold is calibrated on noise runs of other seeds to the same false-alarm rate (none).
        The estimate error is the infected-host estimate's relative error from 1 % infected on.

        Examples:
          wormwatch evaluate --runs 50
          wormwatch evaluate --runs 20 --monitor 44.0.0.0/8 --format json
          wormwatch evaluate --worm codered-v2 --noise steady --noise ramp
        """
    )

    @Option(help: "Runs per scenario.") var runs: Int = 50
    @Option(help: "Seed of the random streams.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("A monitored block (repeat for several; they act as one telescope).", valueName: "prefix"))
    var monitor: [String] = []
    @Option(help: ArgumentHelp("A worm preset to evaluate (repeat; default codered-v2 and slammer).", valueName: "preset"))
    var worm: [String] = []
    @Option(help: ArgumentHelp("A noise kind: \(ScannerNoise.Shape.allCases.map(\.rawValue).joined(separator: ", ")) (repeat; default all).", valueName: "kind"))
    var noise: [String] = []
    @Option(help: "Worker threads (0: one per core).") var threads: Int = 0
    @Option(help: "table or json (default: table on a terminal, json otherwise).") var format: OutputFormat?
    @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false

    func validate() throws {
        if format == .csv { throw ValidationError("--format: evaluate prints table or json") }
        _ = try request()
    }

    func request() throws -> EvaluationRequest {
        var prefixes: [IPv4Prefix] = []
        for text in monitor {
            guard let prefix = IPv4Prefix(text) else { throw ValidationError("--monitor \(text): not a prefix like 131.243.0.0/16") }
            prefixes.append(prefix)
        }
        var shapes: [ScannerNoise.Shape] = []
        for text in noise {
            guard let shape = ScannerNoise.Shape(rawValue: text) else {
                throw ValidationError("--noise \(text): unknown (one of \(ScannerNoise.Shape.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            shapes.append(shape)
        }
        let request = EvaluationRequest(runs: runs, seed: seed, monitors: prefixes.isEmpty ? [EvaluationRequest.defaultMonitor] : prefixes,
                                        worms: worm.isEmpty ? ["codered-v2", "slammer"] : worm,
                                        noise: noise.isEmpty ? ScannerNoise.Shape.allCases : shapes, threads: threads)
        try checking { try request.check() }
        return request
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let request = try request()
        let total = runs
        var progress: (@Sendable (String, Int) -> Void)?
        if !quiet && Terminal.stderrIsTTY { progress = { name, done in Terminal.progress("evaluate \(name): \(done)/\(total) runs") } }
        guard let evaluation = try Evaluation.run(request, progress: progress, cancellation: nil) else { return }
        if progress != nil { Terminal.progress("") }
        let report = EvaluationReport(evaluation)
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .json)
        try emit(chosen == .json ? report.json() : report.table() + "\n", to: nil, what: "results")
    }
}
