import Foundation
import Outbreak

/// The built-in scenarios (`wormwatch scenarios`), each a complete, commented scenario file.
public enum ScenarioPresets {
    /// Preset names, sorted.
    public static var names: [String] { texts.map(\.name).sorted() }

    /// The commented YAML text of a preset, or `nil` if there is none by that name: the
    /// bytes of `scenarios/NAME.yaml`.
    public static func text(named name: String) -> String? {
        // A Swift multi-line literal drops the line break before its closing delimiter, so
        // the embedded text lacks the file's final newline (scripts/embed-presets only
        // compiles for files that end with one); put it back.
        texts.first { $0.name == name }.map { $0.text + "\n" }
    }

    /// A preset, parsed and checked.
    public static func scenario(named name: String) throws(ScenarioLoadError) -> Scenario? {
        guard let text = text(named: name) else { return nil }
        return try ScenarioFile.parse(text, file: "preset \(name)")
    }
}

/// Scenarios by reference, as users give them: a preset's name or a scenario file's path.
public enum ScenarioCatalog {
    /// The preset named `reference` (unless a file of that name exists), else the scenario
    /// file at that path. A name that is neither, with no `/` and no `.yaml`/`.yml` ending,
    /// is an unknown preset.
    public static func load(_ reference: String) throws(ScenarioLoadError) -> Scenario {
        let isFile = FileManager.default.fileExists(atPath: reference)
        if !isFile, let text = ScenarioPresets.text(named: reference) {
            do { return try ScenarioFile.parse(text, file: "preset \(reference)") } catch {
                switch error {
                case .invalid(let problem): throw .brokenPreset(name: reference, problem)
                default: throw error
                }
            }
        }
        if !isFile && !reference.contains("/") && !reference.hasSuffix(".yaml") && !reference.hasSuffix(".yml") {
            throw .unknownPreset(name: reference)
        }
        return try ScenarioFile.load(path: reference)
    }
}
