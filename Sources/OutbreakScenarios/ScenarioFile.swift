import Foundation
import Outbreak
import WormWatchCore
import Yams

/// Why a scenario could not be loaded.
public enum ScenarioLoadError: UserFacingError, Sendable, Hashable {
    /// The file (or a file it names) could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not a valid scenario.
    case invalid(ScenarioError)
    /// The reference names neither a preset nor a file.
    case unknownPreset(name: String)
    /// A built-in preset does not load: a bug.
    case brokenPreset(name: String, ScenarioError)

    /// The file and line (`my-worm.yaml:12`), the path, or the preset.
    public var location: String {
        switch self {
        case .unreadable(let path, _): return path
        case .invalid(let error): return [error.file, error.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        case .unknownPreset(let name): return name
        case .brokenPreset(let name, _): return "preset \(name)"
        }
    }

    /// What is wrong (with the field first, for invalid scenarios).
    public var reason: String {
        switch self {
        case .unreadable(_, let reason): return "cannot read: \(reason)"
        case .invalid(let error): return (error.field.isEmpty ? "" : error.field + ": ") + error.message
        case .unknownPreset: return "no such preset or file"
        case .brokenPreset(_, let error): return "\(error) (a bug: please report it)"
        }
    }

    /// The list of presets, for an unknown one.
    public var hint: String? {
        if case .unknownPreset = self { return "presets: \(ScenarioPresets.names.joined(separator: ", "))" }
        return nil
    }

    /// 66 for unreadable files and unknown presets, 65 for invalid scenarios, 70 for a broken preset.
    public var exitStatus: ExitStatus {
        switch self {
        case .unreadable, .unknownPreset: return .noInput
        case .invalid: return .dataError
        case .brokenPreset: return .software
        }
    }

    /// One line: where and what.
    public var description: String {
        switch self {
        case .invalid(let error): return error.description
        default: return location + ": " + reason
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
