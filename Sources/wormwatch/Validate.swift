import ArgumentParser
import Foundation
import Outbreak
import OutbreakScenarios
import Reports

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the codered-v2 preset with the published record of 19 July 2001.",
        discussion: """
        Runs the codered-v2 preset --runs times and prints, for each published figure, the
        simulated median and 5-95 % band and whether the published value agrees with it.
        --report DIR also writes a Markdown report with SVG figures into DIR.
        Exit status 0 whatever the agreement: disagreements are results, explained in the report.

        Examples:
          wormwatch validate
          wormwatch validate --runs 100 --report docs/validation
        """
    )

    @Option(help: "Independent runs.") var runs: Int = 100
    @Option(help: "Seed of the random streams.") var seed: UInt64 = 1
    @Option(help: "Worker threads (0: one per core).") var threads: Int = 0
    @Option(help: "table or json (default: table on a terminal, json otherwise).") var format: OutputFormat?
    @Option(help: ArgumentHelp("Write a Markdown report with SVG figures into this folder.", valueName: "dir")) var report: String?
    @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false

    func validate() throws {
        guard runs >= 2 && runs <= 100_000 else { throw ValidationError("--runs: must be between 2 and 100000 (got \(runs))") }
        guard threads >= 0 && threads <= 1024 else { throw ValidationError("--threads: must be between 0 and 1024 (got \(threads))") }
        if format == .csv { throw ValidationError("--format: validate prints table or json") }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let scenario = try loadScenario("codered-v2")
        let engine: ExactEngine
        do { engine = try ExactEngine(scenario: scenario) } catch {
            throw CLIError(location: "preset codered-v2", message: "\(error) (a bug: please report it)", status: 70)
        }
        let total = runs, seed = self.seed
        var progress: (@Sendable (Int) -> Void)? = nil
        if !quiet && Terminal.stderrIsTTY {
            progress = { (done: Int) -> Void in Terminal.progress("validate: \(done)/\(total) runs") }
        }
        let ensemble = Ensemble.run(runs: runs, threads: threads, progress: progress) { engine.run(seed: seed, run: $0) }
        if progress != nil { Terminal.progress("") }
        let result = ValidationReport(scenario: scenario, ensemble: ensemble, seed: seed, record: ValidationReport.codeRedV2Record())
        let chosen = format ?? (Terminal.stdoutIsTTY ? .table : .json)
        try emit(chosen == .json ? result.json() : result.table(), to: nil, what: "results")
        if let report {
            do { try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true) } catch {
                throw CLIError(location: report, message: "cannot create the report folder: \(writeFailure(report))", status: CLIError.cannotCreate)
            }
            let folder = (report as NSString)
            try emit(result.markdown(generated: "WormWatch, codered-v2 preset"), to: folder.appendingPathComponent("README.md"), what: "report")
            try emit(result.infectedSVG(), to: folder.appendingPathComponent("infected.svg"), what: "figure")
            try emit(result.newInfectionsSVG(), to: folder.appendingPathComponent("new-infections.svg"), what: "figure")
        }
    }
}
