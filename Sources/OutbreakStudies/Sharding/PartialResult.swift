import Foundation
import Outbreak
import WormWatchCore

/// What one shard of a study wrote (`wormwatch.partial/1`): which study, which shard, and its
/// runs' records (the summary, and for a simulation the time series), exactly as computed.
/// `wormwatch merge` checks that the parts are the shards 1…N of one study and rebuilds the
/// study's result from them.
public struct PartialResult: Sendable, Hashable, Codable {
    /// The document's `format` value.
    public static let format = "wormwatch.partial/1"

    /// Which command wrote it.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `wormwatch simulate --runs R --shard I/N`.
        case simulate
        /// `wormwatch sweep --shard I/N`.
        case sweep
    }

    /// What identifies the study: every part of one study has the same.
    public struct Study: Sendable, Hashable, Codable {
        /// The scenario as given (a preset's name or a file's path).
        public var scenario: String
        /// The loaded scenario's name.
        public var scenarioName: String
        /// A fingerprint of the loaded scenario (``ScenarioFingerprint``).
        public var fingerprint: String
        /// `--hours`, if given.
        public var hours: Double?
        /// The seed, in decimal.
        public var seed: String
        /// Runs in all (simulate) or per grid point (sweep).
        public var runs: Int
        /// Runs over all shards: `runs`, or points × runs for a sweep.
        public var totalRuns: Int
        /// A sweep's `--vary` texts.
        public var vary: [String]?
        /// A sweep's outcome.
        public var outcome: String?

        enum CodingKeys: String, CodingKey {
            case scenario, fingerprint, hours, seed, runs, vary, outcome
            case scenarioName = "scenario_name"
            case totalRuns = "total_runs"
        }

        /// Creates a study's key.
        public init(scenario: String, scenarioName: String, fingerprint: String, hours: Double?, seed: UInt64, runs: Int,
                    totalRuns: Int, vary: [String]? = nil, outcome: String? = nil) {
            self.scenario = scenario; self.scenarioName = scenarioName; self.fingerprint = fingerprint; self.hours = hours
            self.seed = String(seed); self.runs = runs; self.totalRuns = totalRuns; self.vary = vary; self.outcome = outcome
        }
    }

    /// One run's record.
    public struct Run: Sendable, Hashable, Codable {
        /// Its index in the study (the random stream it used).
        public var run: Int
        /// Its headline figures.
        public var summary: OutbreakSummary
        /// Its time series (simulations only).
        public var rows: [OutbreakRow]?

        /// Creates a run's entry.
        public init(run: Int, summary: OutbreakSummary, rows: [OutbreakRow]?) {
            self.run = run; self.summary = summary; self.rows = rows
        }
    }

    /// Always ``format``.
    public var format: String
    /// Which command wrote it.
    public var kind: Kind
    /// The study.
    public var study: Study
    /// Which shard.
    public var shard: Shard
    /// The shard's runs, in index order.
    public var runs: [Run]

    /// Creates a partial result.
    public init(kind: Kind, study: Study, shard: Shard, runs: [Run]) {
        self.format = Self.format; self.kind = kind; self.study = study; self.shard = shard; self.runs = runs
    }

    /// The document as one line of JSON with sorted keys, ending in a newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain values with finite or named non-finite numbers cannot fail.
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a partial result from a file; `file` names it in errors.
    public static func read(path: String) throws(MergeError) -> PartialResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MergeError(file: path, reason: "cannot read: " + (FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"),
                             status: .noInput)
        }
        return try decode(data, file: path)
    }

    /// Decodes a partial result; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(MergeError) -> PartialResult {
        struct Header: Decodable { var format: String? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw MergeError(file: file, reason: "not a JSON object", hint: "give the files that 'simulate --shard' or 'sweep --shard' wrote")
        }
        guard header.format == Self.format else {
            throw MergeError(file: file, reason: "format is \(header.format.map { "'\($0)'" } ?? "missing"), not '\(Self.format)'",
                             hint: "give the files that 'simulate --shard' or 'sweep --shard' wrote")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(PartialResult.self, from: data)
        } catch let error as DecodingError {
            throw MergeError(file: file, reason: Self.explain(error))
        } catch {
            throw MergeError(file: file, reason: "not a partial result: \(error)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return (context.codingPath.isEmpty ? "" : path(context) + ": ") + context.debugDescription
        @unknown default: return "not a partial result"
        }
    }
}

/// Why partial results cannot be merged: which file, and what is wrong with it.
public struct MergeError: UserFacingError, Sendable, Hashable {
    /// The file at fault (or the first of those that disagree).
    public var file: String
    public var reason: String
    public var hint: String?
    /// Data error (65) unless a file cannot be read (66).
    public var status: ExitStatus

    /// Creates an error.
    public init(file: String, reason: String, hint: String? = nil, status: ExitStatus = .dataError) {
        self.file = file; self.reason = reason; self.hint = hint; self.status = status
    }

    public var location: String { file }
    public var exitStatus: ExitStatus { status }
}

/// A short, stable fingerprint of a scenario as the engine runs it: FNV-1a (64 bits) of its
/// full description, so that a merge can tell that the file it reloads is the one the shards ran.
public enum ScenarioFingerprint {
    /// The fingerprint, 16 hexadecimal digits.
    public static func of(_ scenario: Scenario) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in String(reflecting: scenario).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
