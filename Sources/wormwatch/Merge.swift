import ArgumentParser
import Foundation
import OutbreakStudies
import Reports
import WormWatchCore

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the partial results of a sharded simulate or sweep.",
        discussion: """
        PARTS are the files that 'simulate --shard I/N' or 'sweep --shard I/N' wrote, every
        shard 1 … N of one study once, in any order. The output is byte for byte what the
        unsharded command would have written with the same --format (the same runs use the
        same random streams whatever N is).

        The merge checks that the parts belong together (same scenario, seed, runs and, for a
        sweep, parameters and outcome) and that none is missing or given twice. A simulation's
        scenario is loaded again, by the name or path the shards were given, and must be the
        one they ran.

        Examples:
          for i in 1 2 3 4; do wormwatch simulate codered-v2 --runs 40 --shard $i/4 -o part-$i.json; done
          wormwatch merge part-*.json --format csv -o codered.csv --plot codered.svg
          wormwatch merge sweep-part-*.json --format json
        """
    )

    @Argument(help: ArgumentHelp("The shards' partial results.", valueName: "parts"))
    var parts: [String] = []

    @Option(help: "table, json or csv (default: from --output's extension, table on a terminal, json otherwise).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write results to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write the SVG chart the unsharded command would.", valueName: "file.svg"))
    var plot: String?

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give the partial results to merge (e.g. part-*.json)") }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let merged = try PartialMerge.merge(files: parts)
        // The report the unsharded command would have made, by its formats.
        let report: (table: () -> String, json: () -> String, csv: () -> String, svg: () -> String)
        switch merged {
        case .simulation(let simulation):
            let r = SimulationReport(simulation)
            report = (r.table, r.json, r.csv, r.svg)
        case .sweep(let result):
            let r = SweepReport(result)
            report = (r.table, r.json, r.csv, r.svg)
        }
        switch format ?? OutputFormat.default(for: output) {
        case .table: try emit(report.table(), to: output, what: "results")
        case .json: try emit(report.json(), to: output, what: "results")
        case .csv: try emit(report.csv(), to: output, what: "results")
        }
        if let plot { try emit(report.svg(), to: plot, what: "plot") }
    }
}
