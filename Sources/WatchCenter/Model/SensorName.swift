/// What a sensor's name may be: 1 to 64 letters, digits, `.`, `_` and `-`.
public enum SensorName {
    /// The rule in words.
    public static let rule = "a sensor name is 1 to 64 letters, digits, '.', '_' or '-'"

    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool { FamilyName.isValid(name) }
}
