/// The rules file format, `wormwatch.rules/1`: YAML with a fixed set of keys, documented in
/// `docs/rules-format.md`.
///
/// Reading files (`load(path:)`, `parse(_:file:)`) needs the YAML library and lives in
/// `RulesFile+YAML.swift`; the rest of the sensor (decoder, matcher) does not.
public enum RulesFile {
    /// The value of the `format` key this version reads.
    public static let formatVersion = "wormwatch.rules/1"

    /// The text of `rules/default.yaml`, byte for byte, so the binary works without the
    /// repository. ``RuleSet/default`` is the same rules built in Swift.
    public static var defaultText: String { embeddedDefaultText }
}
