/// A problem in a YAML file (a scenario, a rules file): the file, the 1-based line when
/// known, the field path (`worm.scan.local[1].weight`) and what is wrong.
public struct YAMLProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or a label such as `preset codered-v2`).
    public var file: String
    /// The line, when known.
    public var line: Int?
    /// The field path, empty for the file as a whole.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(file: String, line: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line` (or `file` when the line is unknown).
    public var location: String { line.map { "\(file):\($0)" } ?? file }

    /// `field: message` (or the message alone).
    public var reason: String { field.isEmpty ? message : "\(field): \(message)" }

    /// `file:line: field: message`.
    public var description: String { location + ": " + reason }
}
