/// A problem with a scenario: which field, what is wrong, and (from a file) where.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field path, e.g. `population.size` or `monitors[1].prefixes[0]`.
    public var field: String
    /// What is wrong, in words a user can act on.
    public var message: String
    /// The file the scenario came from, if any.
    public var file: String?
    /// The 1-based line in that file, if known.
    public var line: Int?

    /// Creates an error.
    public init(field: String, message: String, file: String? = nil, line: Int? = nil) {
        self.field = field; self.message = message; self.file = file; self.line = line
    }

    /// `file:line: field: message`, leaving out what is unknown.
    public var description: String {
        var location = ""
        if let file { location = file + (line.map { ":\($0)" } ?? "") + ": " }
        return location + (field.isEmpty ? "" : field + ": ") + message
    }
}
