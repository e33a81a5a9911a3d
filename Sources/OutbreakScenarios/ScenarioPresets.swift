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
