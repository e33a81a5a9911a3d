import Outbreak

/// The built-in scenarios (`wormwatch scenarios`), each a complete, commented scenario file.
public enum ScenarioPresets {
    /// Preset names, in order.
    public static var names: [String] { texts.map(\.name) }

    /// The commented YAML text of a preset, or `nil` if there is none by that name.
    public static func text(named name: String) -> String? {
        texts.first { $0.name == name }?.text
    }

    /// A preset, parsed and checked.
    public static func scenario(named name: String) throws(ScenarioLoadError) -> Scenario? {
        guard let text = text(named: name) else { return nil }
        return try ScenarioFile.parse(text, file: "preset \(name)")
    }
}
