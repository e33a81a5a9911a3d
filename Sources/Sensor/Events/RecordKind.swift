/// What an input's record numbers count: lines of a log, or packets of a capture.
public enum RecordKind: String, Sendable, Hashable {
    /// Lines of a text log, 1-based.
    case line
    /// Packets (records) of a capture, 1-based.
    case packet
}
