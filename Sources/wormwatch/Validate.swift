import ArgumentParser
import Foundation
import Outbreak
import OutbreakScenarios
import Reports

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
        guard runs >= 2 && runs <= 100_000 else { throw ValidationError("--runs: must be between 2 and 100000 (got \(runs))") }
        guard threads >= 0 && threads <= 1024 else { throw ValidationError("--threads: must be between 0 and 1024 (got \(threads))") }
        if format == .csv { throw ValidationError("--format: validate prints table or json") }
        for name in presets where PublishedRecord.figures(for: name) == nil {
            throw ValidationError("\(name): no published record for this preset (those with one: \(PublishedRecord.presets.joined(separator: ", ")))")
        }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let names = presets.isEmpty ? PublishedRecord.presets : presets
        var reports: [ValidationReport] = []
        for name in names {
            let scenario = try loadScenario(name)
            let engine: ExactEngine
            do { engine = try ExactEngine(scenario: scenario) } catch {
                throw CLIError(location: "preset \(name)", message: "\(error) (a bug: please report it)", status: 70)
            }
            let total = runs, seed = self.seed
            var progress: (@Sendable (Int) -> Void)? = nil
            if !quiet && Terminal.stderrIsTTY {
                progress = { (done: Int) -> Void in Terminal.progress("validate \(name): \(done)/\(total) runs") }
            }
            let ensemble = Ensemble.run(runs: runs, threads: threads, progress: progress) { engine.run(seed: seed, run: $0) }
            if progress != nil { Terminal.progress("") }
            reports.append(ValidationReport(scenario: scenario, ensemble: ensemble, seed: seed,
                                            record: PublishedRecord.figures(for: name) ?? []))
        }
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .json)
        let text = chosen == .json ? ValidationReport.json(reports) : reports.map { $0.table() }.joined(separator: "\n")
        try emit(text, to: nil, what: "results")
        if let report {
            do { try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true) } catch {
                throw CLIError(location: report, message: "cannot create the report folder: \(writeFailure(report))", status: CLIError.cannotCreate)
            }
            let folder = report as NSString
            let command = (["wormwatch", "validate"] + presets + ["--runs", String(runs), "--seed", String(seed)]).joined(separator: " ")
            try emit(ValidationReport.markdown(reports, command: command, generated: "WormWatch presets"),
                     to: folder.appendingPathComponent("README.md"), what: "report")
            for r in reports {
                try emit(r.infectedSVG(), to: folder.appendingPathComponent("\(r.scenario.name)-infected.svg"), what: "figure")
                try emit(r.newInfectionsSVG(), to: folder.appendingPathComponent("\(r.scenario.name)-new-infections.svg"), what: "figure")
            }
        }
    }
}
