// Reading rules files needs Yams. Builds of the sensor without it (the fuzzers, compiled with
// swiftc from the sources) leave this file out and use RuleSet.default.
#if canImport(Yams)
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
            guard let node = try Yams.compose(yaml: text) else {
                throw SensorError.invalidRules(location: "\(file):1", reason: "the file is empty; the first line should be 'format: \(formatVersion)'")
            }
            root = node
        } catch let error as SensorError {
            throw error
        } catch let error as YamlError {
            throw yamlProblem(error, file: file)
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

    static func yamlProblem(_ error: YamlError, file: String) -> SensorError {
        func at(_ line: Int?) -> String { line.map { "\(file):\($0)" } ?? file }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .invalidRules(location: at(mark.line), reason: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .invalidRules(location: at(context.mark.line > 0 ? context.mark.line : nil),
                                 reason: "not valid YAML: the key \(keys) appears more than once in the same mapping (first on this line)")
        case .reader(let problem, let offset, _, let yaml):
            let line = offset.map { offset in 1 + yaml.utf8.prefix(max(0, offset)).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }
            return .invalidRules(location: at(line), reason: "not valid YAML: \(problem)")
        default:
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "not valid YAML"
            return .invalidRules(location: file, reason: "not valid YAML: \(first)")
        }
    }
}
#endif
