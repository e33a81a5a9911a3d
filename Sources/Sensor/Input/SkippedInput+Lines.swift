extension SkippedInput {
    /// Counts line `line` of `path` as skipped for being longer than `limit` bytes.
    mutating func recordTooLong(path: String, line: Int, limit: Int) {
        record("\(path):\(line)", "line longer than \(limit) bytes")
    }
}
