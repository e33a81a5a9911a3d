import ArgumentParser
import EpidemicModels
import Foundation
import Reports
import WormWatchCore

/// Output formats of `wormwatch fit`.
enum FitFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension FitModelKind: ExpressibleByArgument {}
extension CountKind: ExpressibleByArgument {}

/// A count given as a number (`4294967296`, `1e6`) or a power of two (`2^32`).
struct HostCount: ExpressibleByArgument {
    let value: Double
    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("2^"), let bits = Int(text.dropFirst(2)), (0...64).contains(bits) {
            value = pow(2, Double(bits))
        } else if let v = Double(text), v.isFinite {
            value = v
        } else {
            return nil
        }
    }
}

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a worm model to an observed time series, with 95 % confidence intervals.",
        discussion: """
        FILE is a CSV file with a header row. Times are plain seconds or ISO 8601
        UTC times; counts are cumulative (hosts ever infected) or per interval
        (--counts per-interval). Least squares (Levenberg-Marquardt), t = 0 at the
        first point. The CSV of 'wormwatch simulate --format csv' works as is.

        Models:
          logistic    K, N, I0: I(t) = N / (1 + ((N - I0)/I0) e^(-K t))
          two-factor  K0 = beta0 N, eta, gamma, mu (Zou); needs --population
          aawp        s, N, d, p (Chen); one tick per data interval

        Exit status: 0 fitted; 1 the fit did not converge (the reason is
        printed); 64 bad options; 65 bad data (file:line); 66 unreadable file;
        73 cannot write an output file.

        Examples:
          wormwatch simulate small-uniform --format csv --output su.csv
          wormwatch fit su.csv
          wormwatch fit su.csv --format json --plot fit.svg
          wormwatch fit cr.csv --model two-factor --population 360000
          wormwatch fit t.csv --model aawp --address-space 2^26
          wormwatch fit su.csv --count-column new_infections \\
              --counts per-interval
        """
    )

    @Argument(help: ArgumentHelp("The observed series (CSV with a header row).", valueName: "file.csv"))
    var file: String

    @Option(help: "logistic, two-factor or aawp.")
    var model: FitModelKind = .logistic

    @Option(name: .customLong("time-column"), help: "The column of times: seconds, or ISO 8601 UTC like 2001-07-19T10:00:00Z.")
    var timeColumn = "time"

    @Option(name: .customLong("count-column"), help: "The column of counts (hosts).")
    var countColumn = "ever_infected"

    @Option(help: "cumulative, or per-interval (summed into a cumulative series before fitting).")
    var counts: CountKind = .cumulative

    @Option(help: ArgumentHelp("N, the vulnerable population (required by two-factor).", valueName: "n"))
    var population: HostCount?

    @Option(name: .customLong("address-space"), help: ArgumentHelp("Omega for aawp: addresses scanned, a number or 2^bits (default 2^32).", valueName: "n"))
    var addressSpace: HostCount?

    @Option(help: "table or json (default: table on a terminal, json otherwise).")
    var format: FitFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write results to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write an SVG chart of the data and the fitted curve.", valueName: "file.svg"))
    var plot: String?

    func validate() throws {
        switch model {
        case .twoFactor:
            guard let population else { throw ValidationError("--population: required with --model two-factor") }
            guard population.value > 0 else { throw ValidationError("--population: must be more than 0 (got \(population.value))") }
        case .logistic, .aawp:
            if population != nil { throw ValidationError("--population: only used with --model two-factor (the \(model.rawValue) model fits N)") }
        }
        if let addressSpace {
            guard model == .aawp else { throw ValidationError("--address-space: only used with --model aawp") }
            guard addressSpace.value >= 1 else { throw ValidationError("--address-space: must be at least 1 (got \(addressSpace.value))") }
        }
    }

    func run() throws { try reporting { try execute() } }

    func execute() throws {
        let request = SeriesFitRequest(path: file, model: model, timeColumn: timeColumn, countColumn: countColumn,
                                       counts: counts, population: population?.value, addressSpace: addressSpace?.value)
        let outcome: SeriesFitOutcome
        do { outcome = try SeriesFit.run(request) } catch {
            guard case .badData(let location, let reason, let column?) = error else { throw error }
            throw ReportedError(location: location, reason: reason + "; choose one with --\(column.rawValue)-column", exitStatus: .dataError)
        }
        let report = FitReport(outcome)
        switch format ?? defaultFormat() {
        case .json: try emit(report.json(), to: output, what: "results")
        case .table: if outcome.fit != nil { try emit(report.table(), to: output, what: "results") }
        }
        if let plot { try emit(report.svg(), to: plot, what: "plot") }
        if case .failure(let failure) = outcome.result {
            throw ReportedError(location: file, reason: "the \(model.rawValue) fit did not converge: \(failure)", exitStatus: .findings,
                                hint: failure.hint)
        }
    }

    func defaultFormat() -> FitFormat {
        if let output { return output.hasSuffix(".json") ? .json : .table }
        return Terminal.stdoutIsTTY ? .table : .json
    }
}
