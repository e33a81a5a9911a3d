import Foundation
import Outbreak
import WormWatchCore
import Yams

/// Why a scenario could not be loaded.
public enum ScenarioLoadError: Error, CustomStringConvertible, Sendable {
    /// The file (or a file it names) could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not a valid scenario.
    case invalid(ScenarioError)

    /// One line: where and what.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .invalid(let error): return error.description
        }
    }
}

/// The scenario file format, `wormwatch.scenario/1`: YAML with a fixed set of keys.
///
/// Unknown keys are errors, every number is checked, and every error names the file,
/// the line and the field. The format is documented in `docs/scenario-format.md`; the
/// presets (`wormwatch scenarios show NAME`) are complete, commented examples.
public enum ScenarioFile {
    /// The value of the `format` key this version reads.
    public static let formatVersion = "wormwatch.scenario/1"

    /// Reads and checks a scenario file. Relative `*_file` paths inside it are
    /// resolved against the file's folder.
    public static func load(path: String) throws(ScenarioLoadError) -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: readFailure(path))
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try parse(text, file: path, baseDirectory: folder.isEmpty ? "." : folder)
    }

    /// Parses and checks scenario text. `file` names it in errors.
    public static func parse(_ text: String, file: String = "<scenario>", baseDirectory: String = ".") throws(ScenarioLoadError) -> Scenario {
        let root: Node
        do {
            guard let node = try YAMLWalker<ScenarioLoadError>.compose(text, file: file) else {
                throw ScenarioLoadError.invalid(ScenarioError(field: "", message: "the file is empty", file: file, line: 1))
            }
            root = node
        } catch let error as ScenarioLoadError {
            throw error
        } catch let problem as YAMLProblem {
            throw .invalid(ScenarioError(problem))
        } catch {
            throw .invalid(ScenarioError(field: "", message: "not valid YAML", file: file))
        }
        let reader = ScenarioReader(file: file, baseDirectory: baseDirectory)
        let scenario: Scenario
        scenario = try reader.scenario(root)
        do { try scenario.validate() } catch {
            throw .invalid(reader.locate(error))
        }
        return scenario
    }

    static func readFailure(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "not UTF-8 text"
    }
}

extension ScenarioError {
    /// The scenario error for a problem found while walking a scenario file.
    public init(_ problem: YAMLProblem) {
        self.init(field: problem.field, message: problem.message, file: problem.file, line: problem.line)
    }
}
