// Reading rules files needs Yams. Builds of the sensor without it (the fuzzers, compiled with
// swiftc from the sources) leave this file out and use RuleSet.default.
#if canImport(Yams)
import WormWatchCore
import Yams

extension RulesFile {
    /// Reads and checks a rules file (`-` is standard input).
    ///
    /// Errors are ``SensorError/unreadable(path:reason:)`` when the file cannot be read, and
    /// ``SensorError/invalidRules(location:reason:)`` with location `file:line` and reason
    /// `field: what is wrong` (`rules.yaml:12`, `rules[3].query_filler.min_run: must be a
    /// positive integer (got 0)`) when it is not a valid rules file.
    public static func load(path: String) throws(SensorError) -> RuleSet {
        let source = try FileByteSource(path: path)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 16 << 20 { throw .unreadable(path: path, reason: "larger than 16 MiB; not a rules file") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidRules(location: path, reason: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses and checks rules text; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<rules>") throws(SensorError) -> RuleSet {
        let root: Node
        do {
            guard let node = try YAMLWalker<SensorError>.compose(text, file: file) else {
                throw SensorError.invalidRules(location: "\(file):1", reason: "the file is empty; the first line should be 'format: \(formatVersion)'")
            }
            root = node
        } catch let error as SensorError {
            throw error
        } catch let problem as YAMLProblem {
            throw .invalidRules(location: problem.location, reason: problem.reason)
        } catch {
            throw .invalidRules(location: file, reason: "not valid YAML")
        }
        let reader = RulesReader(file: file)
        let rules = try reader.ruleSet(root)
        if let problem = rules.firstProblem() {
            throw reader.located(problem)
        }
        return rules
    }

    /// The rules of ``defaultText``: the same as ``RuleSet/default`` (a test checks it).
    public static func parseDefault() throws(SensorError) -> RuleSet {
        try parse(defaultText, file: "rules/default.yaml")
    }
}
#endif
