import ArgumentParser
import Foundation
import OutbreakStudies
import Reports
import WormWatchCore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario over a grid of one or two parameters.",
        discussion: """
        SCENARIO is a built-in preset (see 'wormwatch scenarios') or a scenario file.
        Each --vary NAME=V1,V2,... (or NAME=A:B:N, N evenly spaced values from A to B) sweeps one
        parameter, in scenario-file units; give one or two (at most 10000 grid points).
        Every point runs --runs times on every core; run r of point p uses the random stream
        (seed, p*runs + r), so the output does not depend on --threads.

        On a cluster, --shard I/N runs only the I-th of N parts of the sweep's runs and writes
        a partial result (JSON); 'wormwatch merge' turns the parts into the unsharded output.

        Parameters: \(SweepParameter.knownNames.joined(separator: ", ")).

        Examples:
          wormwatch sweep small-uniform --vary worm.probe_rate=5,10,20 --runs 20
          wormwatch sweep codered-v2 --vary host_events.patch_rate_per_hour=0:0.1:5 \\
            --vary worm.probe_rate=5,11,20 --outcome ever_infected --plot sweep.svg
        """
    )

    @Argument(help: ArgumentHelp("A preset name or a scenario file (.yaml).", valueName: "scenario"))
    var scenario: String

    @Option(help: ArgumentHelp("A parameter and its values: NAME=V1,V2,... or NAME=A:B:N (once or twice).", valueName: "name=values"))
    var vary: [String] = []

    @Option(help: "Runs per grid point.")
    var runs: Int = 10

    @Option(help: "Seed of the random streams.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(help: ArgumentHelp("The figure summarised at each point: \(SweepOutcome.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var outcome: String = SweepOutcome.timeTo50PercentHours.rawValue

    @Option(help: "table, json or csv (default: from --output's extension, table on a terminal, json otherwise).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write results to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write an SVG line chart (one parameter) or heat map (two).", valueName: "file.svg"))
    var plot: String?

    @Option(help: ArgumentHelp("Run only part I of N of the runs and write a partial result for 'wormwatch merge'.", valueName: "I/N"))
    var shard: String?

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try checking { try SweepRequest.check(runs: runs, threads: threads, varyCount: vary.count) }
        if let shard {
            try checking { _ = try Shard.parse(shard) }
            if format != nil && format != .json { throw ValidationError("--format: not with --shard (a shard writes a partial result; give --format to 'wormwatch merge')") }
            if plot != nil { throw ValidationError("--plot: not with --shard (give it to 'wormwatch merge')") }
        }
        guard SweepOutcome(rawValue: outcome) != nil else {
            throw ValidationError("--outcome: must be one of \(SweepOutcome.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(outcome)')")
        }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let request = SweepRequest(scenario: scenario, vary: vary, runs: runs, seed: seed, threads: threads,
                                   outcome: SweepOutcome(rawValue: outcome) ?? .timeTo50PercentHours)
        let study = try SweepStudy(request)
        let showProgress = !quiet && Terminal.stderrIsTTY
        if let text = shard {
            let shard = try Shard.parse(text)
            let total = shard.runs(of: study.totalRuns).count
            var progress: (@Sendable (Int) -> Void)?
            if showProgress {
                let label = "sweep: shard \(shard)"
                progress = { done in Terminal.progress("\(label): \(done)/\(total) runs") }
            }
            guard let partial = study.run(shard: shard, progress: progress, cancellation: nil) else { return }
            if showProgress { Terminal.progress("") }
            try emit(partial.json(), to: output, what: "partial result")
            return
        }
        let total = study.totalRuns
        var progress: (@Sendable (Int) -> Void)?
        if showProgress { progress = { done in Terminal.progress("sweep: \(done)/\(total) runs") } }
        let started = Date()
        guard let result = study.run(progress: progress, cancellation: nil) else { return }
        if showProgress {
            Terminal.progress("")
            Terminal.printError(String(format: "sweep: %d points × %d runs in %.2f s", study.sweep.points.count, runs, Date().timeIntervalSince(started)))
        }
        let report = SweepReport(result)
        switch format ?? OutputFormat.default(for: output) {
        case .table: try emit(report.table(), to: output, what: "results")
        case .json: try emit(report.json(), to: output, what: "results")
        case .csv: try emit(report.csv(), to: output, what: "results")
        }
        if let plot { try emit(report.svg(), to: plot, what: "plot") }
    }
}
