/// One input the matcher's observations come from: ``Observation/input`` indexes a list of these.
public struct InputDescriptor: Sendable, Hashable {
    /// The name events report (the path as the user gave it, `-` for standard input).
    public var name: String
    /// Whether the input's record numbers are lines (logs) or packets (captures). HTTP
    /// requests parsed out of a capture's TCP payloads carry packet numbers.
    public var records: RecordKind

    /// An input named `name` whose records are `records`.
    public init(name: String, records: RecordKind) {
        self.name = name
        self.records = records
    }
}
