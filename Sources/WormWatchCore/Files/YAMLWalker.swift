// Reading YAML needs Yams. Builds without it (the fuzzers, compiled with swiftc from the
// sources) leave this file out.
#if canImport(Yams)
import Yams

/// Walks a YAML document into typed values for a file format with a fixed set of keys
/// (scenarios, rules), remembering the line of every field, so that each problem names its
/// file, line and field path, and an unknown key gets a "did you mean".
///
/// `Failure` is the reading module's own error type: problems become `Failure`s through
/// the function given at creation, so that readers throw their module's errors.
public final class YAMLWalker<Failure: Error> {
    /// The file as the user named it.
    public let file: String
    /// Field path → line of every key and list item met so far.
    public private(set) var lines: [String: Int] = [:]
    let makeError: (YAMLProblem) -> Failure

    /// A walker for `file` whose problems become errors through `makeError`.
    public init(file: String, makeError: @escaping (YAMLProblem) -> Failure) {
        self.file = file
        self.makeError = makeError
    }

    // MARK: Documents

    /// Parses YAML text into its root node; `nil` for a document with no content.
    /// Syntax errors become problems at the line YAML reports.
    public static func compose(_ text: String, file: String) throws(YAMLProblem) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxProblem(error, file: file)
        } catch {
            throw YAMLProblem(file: file, line: nil, field: "", message: "not valid YAML")
        }
    }

    static func syntaxProblem(_ error: YamlError, file: String) -> YAMLProblem {
        func problem(_ line: Int?, _ message: String) -> YAMLProblem {
            YAMLProblem(file: file, line: line, field: "", message: "not valid YAML: " + message)
        }
        switch error {
        case .scanner(_, let problemText, let mark, _), .parser(_, let problemText, let mark, _), .composer(_, let problemText, let mark, _):
            return problem(mark.line, problemText)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams reports the first occurrence of the key, and refuses duplicates before any
            // reader sees them.
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return problem(context.mark.line > 0 ? context.mark.line : nil,
                           "the key \(keys) appears more than once in the same mapping (first on this line)")
        case .reader(let problemText, let offset, _, let yaml):
            let line = offset.map { offset in 1 + yaml.utf8.prefix(Swift.max(0, offset)).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }
            return problem(line, problemText)
        default:
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "not valid YAML"
            return problem(nil, first)
        }
    }

    // MARK: Problems

    /// A problem at `node`'s line (or, without a node, at the nearest known line of `field`).
    public func fail(_ node: Node?, _ field: String, _ message: String) -> Failure {
        makeError(problem(node, field, message))
    }

    /// The problem ``fail(_:_:_:)`` reports, before it becomes a `Failure`.
    public func problem(_ node: Node?, _ field: String, _ message: String) -> YAMLProblem {
        YAMLProblem(file: file, line: node?.mark?.line ?? nearestLine(field), field: field, message: message)
    }

    /// The line of the longest known prefix of a field path (`a.b[2].c`, then `a.b[2]`, …).
    public func nearestLine(_ field: String) -> Int? {
        var path = Substring(field)
        while !path.isEmpty {
            if let line = lines[String(path)] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return nil
    }

    /// Records the line of a field that a reader derives itself.
    public func remember(_ field: String, line: Int?) { lines[field] = line }

    // MARK: Structure

    /// A mapping's values by key. Every key must be one of `keys`; an unknown key is named
    /// with the nearest of `known` (default: `keys`) as a suggestion, and the list of `known`.
    public func mapping(_ node: Node, _ field: String, keys: [String], known: [String]? = nil) throws(Failure) -> [String: Node] {
        guard let map = node.mapping else { throw fail(node, field, "expected a mapping of keys (\(keys.joined(separator: ", ")))") }
        var result: [String: Node] = [:]
        for (keyNode, value) in map {
            guard let key = keyNode.scalar?.string else { throw fail(keyNode, field, "keys must be plain names") }
            let path = field.isEmpty ? key : "\(field).\(key)"
            guard keys.contains(key) else {
                let list = known ?? keys
                let hint = Self.suggestion(for: key, among: list).map { " (did you mean '\($0)'?)" } ?? ""
                throw fail(keyNode, path, "unknown key\(hint); known keys here: \(list.joined(separator: ", "))")
            }
            result[key] = value
            lines[path] = keyNode.mark?.line
        }
        return result
    }

    /// A list's items, remembering the line of each (`field[i]`).
    public func sequence(_ node: Node, _ field: String) throws(Failure) -> [Node] {
        guard let seq = node.sequence else { throw fail(node, field, "expected a list") }
        var items: [Node] = []
        for (i, item) in seq.enumerated() {
            items.append(item)
            lines["\(field)[\(i)]"] = item.mark?.line
        }
        return items
    }

    // MARK: Scalars

    /// A scalar's text and whether it was written plain (unquoted); `what` names the
    /// expected value in the message when the node is not a scalar.
    public func scalar(_ node: Node, _ field: String, what: String) throws(Failure) -> (text: String, plain: Bool) {
        guard let scalar = node.scalar else { throw fail(node, field, "expected \(what)") }
        return (scalar.string, scalar.style == .plain)
    }

    /// Text.
    public func string(_ node: Node, _ field: String) throws(Failure) -> String {
        try scalar(node, field, what: "text").text
    }

    /// One of `allowed`.
    public func choice(_ node: Node, _ field: String, _ allowed: [String]) throws(Failure) -> String {
        let text = try string(node, field)
        guard allowed.contains(text) else { throw fail(node, field, "'\(text)' is not one of \(allowed.joined(separator: ", "))") }
        return text
    }

    /// A finite number, written plain (`1e6`, `1_000`); quoted numbers are refused.
    public func number(_ node: Node, _ field: String) throws(Failure) -> Double {
        let (text, plain) = try scalar(node, field, what: "a number")
        guard let value = Double(text.filter { $0 != "_" }), value.isFinite else {
            throw fail(node, field, "expected a number, got '\(text)'")
        }
        guard plain else { throw fail(node, field, "expected a number, got the quoted text '\(text)' (leave out the quotes)") }
        return value
    }

    /// A whole number (magnitude below 9·10^15, where doubles stop being exact).
    public func integer(_ node: Node, _ field: String) throws(Failure) -> Int {
        let value = try number(node, field)
        guard value.rounded() == value, Swift.abs(value) < 9e15 else { throw fail(node, field, "expected a whole number, got \(value)") }
        return Int(value)
    }

    /// A whole number in `range`; `what` describes the range in the message (`a port number
    /// (0 to 65535)`).
    public func whole(_ node: Node, _ field: String, in range: ClosedRange<Int>, _ what: String) throws(Failure) -> Int {
        let value = try number(node, field)
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            let shown = value.rounded() == value && Swift.abs(value) < 9e15 ? String(Int(value)) : "\(value)"
            throw fail(node, field, "must be \(what) (got \(shown))")
        }
        return Int(value)
    }

    /// `true` or `false`, written plain.
    public func bool(_ node: Node, _ field: String) throws(Failure) -> Bool {
        let (text, plain) = try scalar(node, field, what: "true or false")
        guard plain, text == "true" || text == "false" else { throw fail(node, field, "expected true or false, got '\(text)'") }
        return text == "true"
    }

    /// An IPv4 address in dotted-quad form.
    public func address(_ node: Node, _ field: String) throws(Failure) -> IPv4Address {
        let text = try string(node, field)
        guard let a = IPv4Address(text) else { throw fail(node, field, "'\(text)' is not an IPv4 address") }
        return a
    }

    /// A CIDR prefix with no host bits set (`44.0.0.0/8`; a bare address is a /32).
    public func prefix(_ node: Node, _ field: String) throws(Failure) -> IPv4Prefix {
        let text = try string(node, field)
        switch IPv4Prefix.parseExact(text) {
        case .prefix(let p): return p
        case .hostBitsSet(let p): throw fail(node, field, "'\(text)' has host bits set; did you mean \(p)?")
        case .invalid: throw fail(node, field, "'\(text)' is not a CIDR prefix such as 44.0.0.0/8")
        }
    }

    /// A list of CIDR prefixes.
    public func prefixList(_ node: Node, _ field: String) throws(Failure) -> [IPv4Prefix] {
        var list: [IPv4Prefix] = []
        for (i, item) in try sequence(node, field).enumerated() { list.append(try prefix(item, "\(field)[\(i)]")) }
        return list
    }

    // MARK: Suggestions

    /// The known key nearest to `key` when it is within three edits, for "did you mean".
    public static func suggestion(for key: String, among known: [String]) -> String? {
        guard let nearest = known.min(by: { editDistance($0, key) < editDistance($1, key) }),
              editDistance(nearest, key) <= 3 else { return nil }
        return nearest
    }

    /// Levenshtein distance between two strings' UTF-8 bytes.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var row = Array(0...y.count)
        for i in 1...x.count {
            var previous = row[0]
            row[0] = i
            for j in 1...y.count {
                let current = row[j]
                row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[y.count]
    }
}
#endif
