/// A problem with one field of one ingest line, before the line number is known.
struct IngestProblem: Error, Sendable {
    var field: String
    var reason: String
}
