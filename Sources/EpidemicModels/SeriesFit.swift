import Foundation
import WormWatchCore

/// What to fit to which observed series: the file, its columns, the model and the settings
/// the model needs.
public struct SeriesFitRequest: Sendable, Hashable {
    /// The CSV file (a header row; see ``SeriesCSV``).
    public var path: String
    /// The model.
    public var model: FitModelKind
    /// The column of times.
    public var timeColumn: String
    /// The column of counts.
    public var countColumn: String
    /// Whether the counts are cumulative or per interval.
    public var counts: CountKind
    /// N, for the two-factor model.
    public var population: Double?
    /// Ω for AAWP (default: all of IPv4).
    public var addressSpace: Double?

    /// Creates a request; the defaults read the CSV that `wormwatch simulate --format csv` writes.
    public init(path: String, model: FitModelKind = .logistic, timeColumn: String = "time", countColumn: String = "ever_infected",
                counts: CountKind = .cumulative, population: Double? = nil, addressSpace: Double? = nil) {
        self.path = path; self.model = model; self.timeColumn = timeColumn; self.countColumn = countColumn
        self.counts = counts; self.population = population; self.addressSpace = addressSpace
    }
}

/// A fit of a model to an observed series: the series, and the fit or why it did not converge.
public struct SeriesFitOutcome: Sendable {
    /// What was asked.
    public var request: SeriesFitRequest
    /// The series read.
    public var series: ObservedSeries
    /// The fit, or why the solver did not converge to one the data determine.
    public var result: Result<ModelFit, FitFailure>

    /// The fit, when it converged.
    public var fit: ModelFit? { try? result.get() }

    /// Creates an outcome.
    public init(request: SeriesFitRequest, series: ObservedSeries, result: Result<ModelFit, FitFailure>) {
        self.request = request; self.series = series; self.result = result
    }
}

/// Why a series could not be fitted at all (a fit that does not converge is an outcome).
public enum SeriesFitError: UserFacingError, Sendable, Hashable {
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// The file or one of its points is not usable data; `location` is `file` or `file:line`;
    /// `missingColumn` says which column the header lacks, when that is the problem.
    case badData(location: String, reason: String, missingColumn: SeriesColumn? = nil)
    /// A setting (population, address space) is not usable for these data.
    case badSetting(RequestError)

    public var location: String {
        switch self {
        case .unreadable(let path, _): path
        case .badData(let location, _, _): location
        case .badSetting(let error): error.location
        }
    }

    public var reason: String {
        switch self {
        case .unreadable(_, let reason): "cannot read: \(reason)"
        case .badData(_, let reason, _): reason
        case .badSetting(let error): error.reason
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .unreadable: .noInput
        case .badData: .dataError
        case .badSetting: .usage
        }
    }

    public var requestError: RequestError? {
        if case .badSetting(let e) = self { return e }
        return nil
    }
}

/// `wormwatch fit`: reads an observed series and fits a model to it.
public enum SeriesFit {
    /// Reads the request's file and fits its model. A fit that does not converge is returned
    /// as the outcome's failure; unreadable files, bad data and unusable settings throw.
    public static func run(_ request: SeriesFitRequest) throws(SeriesFitError) -> SeriesFitOutcome {
        let path = request.path
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .badData(location: path, reason: "not UTF-8 text") }
        let series: ObservedSeries
        do {
            series = try SeriesCSV.parse(text, timeColumn: request.timeColumn, countColumn: request.countColumn, counts: request.counts)
        } catch {
            throw .badData(location: error.line.map { "\(path):\($0)" } ?? path, reason: error.message, missingColumn: error.missingColumn)
        }
        do {
            let fit = try ModelFitter.fit(request.model, times: series.times, counts: series.counts, population: request.population,
                                          addressSpace: request.addressSpace ?? ModelFitter.ipv4AddressSpace)
            return SeriesFitOutcome(request: request, series: series, result: .success(fit))
        } catch {
            switch error {
            case let .tooFewPoints(model, points, needed):
                throw .badData(location: path, reason: "\(points) data row\(points == 1 ? "" : "s"); the \(model.rawValue) model fits "
                               + "\(model.fittedParameterCount) parameters and needs at least \(needed)")
            case let .invalidData(index, message):
                let line = index < series.lines.count ? ":\(series.lines[index])" : ""
                throw .badData(location: path + line, reason: message)
            case let .invalidSetting(name, message):
                throw .badSetting(RequestError(setting: name.replacingOccurrences(of: " ", with: "_"), reason: message))
            case let .notConverged(_, failure):
                return SeriesFitOutcome(request: request, series: series, result: .failure(failure))
            }
        }
    }
}

extension FitFailure {
    /// One line of advice for a user whose fit did not converge.
    public var hint: String {
        switch self {
        case .iterationLimit: "the data may not show the model's shape (e.g. no saturation yet); try a simpler model or more data"
        case .unidentifiable: "these data cannot pin this parameter down; try a simpler model or a longer series"
        case .nonFiniteModelOutput: "check the counts, and the population or address space given"
        }
    }
}
