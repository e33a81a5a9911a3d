import ArgumentParser
import Foundation
import OutbreakStudies
import Reports
import WormWatchCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the presets with the published record of 2001 (and Slammer's of 2003).",
        discussion: """
        Runs each preset that has a published record --runs times and prints, for each published
        figure, the simulated median and 5-95 % band and whether the published value agrees.
        Presets with a record: \(PublishedRecord.presets.joined(separator: ", ")) (all by default).
        --report DIR also writes a Markdown report with SVG figures into DIR.
        Exit status 0 whatever the agreement: disagreements are results, explained in the report.

        Examples:
          wormwatch validate
          wormwatch validate codered-v2 --runs 20
          wormwatch validate --runs 100 --report docs/validation
        """
    )

    @Argument(help: ArgumentHelp("Presets to validate (default: all that have a published record).", valueName: "preset"))
    var presets: [String] = []
    @Option(help: "Independent runs per preset.") var runs: Int = 100
    @Option(help: "Seed of the random streams.") var seed: UInt64 = 1
    @Option(help: "Worker threads (0: one per core).") var threads: Int = 0
    @Option(help: "table or json (default: table on a terminal, json otherwise).") var format: OutputFormat?
    @Option(help: ArgumentHelp("Write a Markdown report with SVG figures into this folder.", valueName: "dir")) var report: String?
    @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false

    func validate() throws {
        try checking { try request.check() }
        if format == .csv { throw ValidationError("--format: validate prints table or json") }
    }

    var request: ValidationRequest { ValidationRequest(presets: presets, runs: runs, seed: seed, threads: threads) }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let total = runs
        var progress: (@Sendable (String, Int) -> Void)?
        if !quiet && Terminal.stderrIsTTY { progress = { name, done in Terminal.progress("validate \(name): \(done)/\(total) runs") } }
        guard let results = try Validation.run(request, progress: progress, cancellation: nil) else { return }
        if progress != nil { Terminal.progress("") }
        let reports = results.map(ValidationReport.init)
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .json)
        try emit(chosen == .json ? ValidationReport.json(reports) : reports.map { $0.table() }.joined(separator: "\n"), to: nil, what: "results")
        if let report {
            let command = (["wormwatch", "validate"] + presets + ["--runs", String(runs), "--seed", String(seed)]).joined(separator: " ")
            try emit(files: ValidationReport.files(reports, command: command), into: report, what: "report")
        }
    }
}
