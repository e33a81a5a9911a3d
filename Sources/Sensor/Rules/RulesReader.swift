// Reading rules files needs Yams; see RulesFile+YAML.swift.
#if canImport(Yams)
import WormWatchCore
import Yams

/// Walks a rules file's YAML tree into a ``RuleSet`` (the generic walking, with lines and
/// "did you mean", is ``YAMLWalker``).
final class RulesReader {
    let yaml: YAMLWalker<SensorError>

    static let commonKeys = ["id", "family", "kind", "description", "severity"]
    static let kindKeys: [(kind: String, keys: [String])] = [
        ("http", ["path_suffix", "path_contains", "decoded_contains", "query_filler", "query_min_length", "evasion"]),
        ("packet", ["protocol", "destination_port", "payload_length", "payload_prefix_hex"]),
        ("address-scan", ["protocol", "flags", "port", "distinct_destinations", "window_seconds"]),
    ]

    init(file: String) {
        yaml = YAMLWalker(file: file) { .invalidRules(location: $0.location, reason: $0.reason) }
    }

    // MARK: Errors

    func fail(_ node: Node?, _ field: String, _ message: String) -> SensorError { yaml.fail(node, field, message) }

    /// A problem found by validation, at the line of its field.
    func located(_ problem: RuleSet.Problem) -> SensorError { fail(nil, problem.field, problem.message) }

    // MARK: Typed readers

    /// One string or a list of strings, none of them empty.
    func stringList(_ node: Node, _ field: String) throws(SensorError) -> [String] {
        if node.scalar != nil {
            let text = try yaml.string(node, field)
            guard !text.isEmpty else { throw fail(node, field, "must not be empty") }
            return [text]
        }
        guard node.sequence != nil else { throw fail(node, field, "expected text or a list of text") }
        let items = try yaml.sequence(node, field)
        guard !items.isEmpty else { throw fail(node, field, "must not be an empty list") }
        var list: [String] = []
        for (i, item) in items.enumerated() {
            let text = try yaml.string(item, "\(field)[\(i)]")
            guard !text.isEmpty else { throw fail(item, "\(field)[\(i)]", "must not be empty") }
            list.append(text)
        }
        return list
    }

    func positive(_ node: Node, _ field: String) throws(SensorError) -> Int {
        try yaml.whole(node, field, in: 1...Int(Int32.max), "a positive integer")
    }

    /// A port number, or `any` (nil).
    func port(_ node: Node, _ field: String) throws(SensorError) -> UInt16? {
        if let scalar = node.scalar, scalar.style == .plain, scalar.string == "any" { return nil }
        if let scalar = node.scalar, Double(scalar.string) == nil {
            throw fail(node, field, "expected a port number (0 to 65535) or any, got '\(scalar.string)'")
        }
        return UInt16(try yaml.whole(node, field, in: 0...65535, "a port number (0 to 65535) or any"))
    }

    /// Hex bytes: pairs of hex digits, optionally separated by spaces.
    func hexBytes(_ node: Node, _ field: String) throws(SensorError) -> [UInt8] {
        let text = try yaml.string(node, field)
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        guard !digits.isEmpty else { throw fail(node, field, "must not be empty") }
        var bytes: [UInt8] = []
        var valid = digits.count % 2 == 0
        var i = 0
        while valid && i < digits.count {
            let high = URIDecoder.hexValue(digits[i]), low = URIDecoder.hexValue(digits[i + 1])
            valid = high | low < 16
            bytes.append(high &<< 4 | low)
            i += 2
        }
        guard valid else {
            throw fail(node, field, "'\(text)' is not hexadecimal bytes (pairs of 0-9 and a-f, such as \"04\" or \"04 01 01\")")
        }
        return bytes
    }

    // MARK: The file

    func ruleSet(_ root: Node) throws(SensorError) -> RuleSet {
        let top = try yaml.mapping(root, "", keys: ["format", "rules"])
        guard let formatNode = top["format"] else {
            throw fail(root, "format", "missing; the first line should be 'format: \(RulesFile.formatVersion)'")
        }
        let format = try yaml.string(formatNode, "format")
        guard format == RulesFile.formatVersion else {
            throw fail(formatNode, "format", "'\(format)' is not a format this version reads (\(RulesFile.formatVersion))")
        }
        guard let rulesNode = top["rules"] else { throw fail(root, "rules", "missing (a list of rules)") }
        var rules: [Rule] = []
        for (i, item) in try yaml.sequence(rulesNode, "rules").enumerated() {
            rules.append(try rule(item, "rules[\(i)]"))
        }
        return RuleSet(rules: rules)
    }

    func rule(_ node: Node, _ f: String) throws(SensorError) -> Rule {
        let allKeys = Self.commonKeys + Self.kindKeys.flatMap(\.keys).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        // The kind first, so an unknown key can be reported with the keys of that kind.
        let kindName = node.mapping?.first { $0.key.scalar?.string == "kind" }?.value.scalar?.string
        let kindKeys = Self.kindKeys.first { $0.kind == kindName }?.keys
        let m = try yaml.mapping(node, f, keys: allKeys, known: kindKeys.map { Self.commonKeys + $0 })
        func need(_ key: String, _ what: String = "") throws(SensorError) -> Node {
            guard let n = m[key] else { throw fail(node, "\(f).\(key)", "missing" + what) }
            return n
        }
        let id = try yaml.string(try need("id"), f + ".id")
        let family = try yaml.string(try need("family"), f + ".family")
        let kindNode = try need("kind", " (http, packet or address-scan)")
        let kind = try yaml.choice(kindNode, f + ".kind", Self.kindKeys.map(\.kind))
        let description = try yaml.string(try need("description"), f + ".description")
        let severity = try m["severity"].map { n throws(SensorError) in
            Rule.Severity(rawValue: try yaml.choice(n, f + ".severity", Rule.Severity.allCases.map(\.rawValue))) ?? .medium
        } ?? .medium
        let applicable = Self.commonKeys + (Self.kindKeys.first { $0.kind == kind }?.keys ?? [])
        for key in m.keys.sorted(by: { (yaml.lines["\(f).\($0)"] ?? 0) < (yaml.lines["\(f).\($1)"] ?? 0) }) where !applicable.contains(key) {
            let owners = Self.kindKeys.filter { $0.keys.contains(key) }.map(\.kind).joined(separator: " and ")
            throw fail(nil, "\(f).\(key)", "does not apply to kind '\(kind)' (it is a key of \(owners) rules)")
        }
        let condition: Rule.Condition
        switch kind {
        case "http": condition = .http(try http(m, f))
        case "packet": condition = .packet(try packet(m, node, f))
        default: condition = .addressScan(try addressScan(m, node, f))
        }
        return Rule(id: id, family: family, description: description, severity: severity, condition: condition)
    }

    func http(_ m: [String: Node], _ f: String) throws(SensorError) -> HTTPRuleCondition {
        var c = HTTPRuleCondition()
        if let n = m["path_suffix"] { c.pathSuffix = try stringList(n, f + ".path_suffix") }
        if let n = m["path_contains"] { c.pathContains = try stringList(n, f + ".path_contains") }
        if let n = m["decoded_contains"] { c.decodedContains = try stringList(n, f + ".decoded_contains") }
        if let n = m["query_min_length"] { c.queryMinimumLength = try positive(n, f + ".query_min_length") }
        if let n = m["query_filler"] {
            let g = f + ".query_filler"
            let q = try yaml.mapping(n, g, keys: ["byte", "min_run"])
            guard let byteNode = q["byte"], let runNode = q["min_run"] else { throw fail(n, g, "needs byte and min_run") }
            let text = try yaml.string(byteNode, g + ".byte")
            let utf8 = Array(text.utf8)
            guard utf8.count == 1, utf8[0] > 0x20, utf8[0] < 0x7F else {
                throw fail(byteNode, g + ".byte", "must be one printable ASCII character such as N (got '\(text)')")
            }
            c.queryFiller = .init(byte: utf8[0], minimumRun: try positive(runNode, g + ".min_run"))
        }
        if let n = m["evasion"] {
            let names = URIEvasions.named.map(\.name)
            for (i, name) in try stringList(n, f + ".evasion").enumerated() {
                guard let flag = URIEvasions.named.first(where: { $0.name == name })?.flag else {
                    let field = n.sequence == nil ? f + ".evasion" : "\(f).evasion[\(i)]"
                    throw fail(n.sequence == nil ? n : nil, field, "'\(name)' is not one of \(names.joined(separator: ", "))")
                }
                c.evasions.insert(flag)
            }
        }
        return c
    }

    func transport(_ m: [String: Node], _ node: Node, _ f: String) throws(SensorError) -> TransportProtocol {
        guard let n = m["protocol"] else { throw fail(node, f + ".protocol", "missing (tcp or udp)") }
        return TransportProtocol(rawValue: try yaml.choice(n, f + ".protocol", TransportProtocol.allCases.map(\.rawValue))) ?? .tcp
    }

    func packet(_ m: [String: Node], _ node: Node, _ f: String) throws(SensorError) -> PacketRuleCondition {
        var c = PacketRuleCondition(transport: try transport(m, node, f))
        if let n = m["destination_port"] { c.destinationPort = try port(n, f + ".destination_port") }
        if let n = m["payload_length"] { c.payloadLength = try yaml.whole(n, f + ".payload_length", in: 0...65535, "0 to 65535") }
        if let n = m["payload_prefix_hex"] { c.payloadPrefix = try hexBytes(n, f + ".payload_prefix_hex") }
        return c
    }

    func addressScan(_ m: [String: Node], _ node: Node, _ f: String) throws(SensorError) -> AddressScanRuleCondition {
        var c = AddressScanRuleCondition(transport: try transport(m, node, f))
        if let n = m["flags"] {
            guard c.transport == .tcp else { throw fail(n, f + ".flags", "applies to tcp only") }
            c.flags = AddressScanRuleCondition.Flags(rawValue: try yaml.choice(n, f + ".flags", AddressScanRuleCondition.Flags.allCases.map(\.rawValue))) ?? .syn
        }
        if let n = m["port"] { c.port = try port(n, f + ".port") }
        if let n = m["distinct_destinations"] {
            c.distinctDestinations = try yaml.whole(n, f + ".distinct_destinations", in: 1...RuleSet.maximumDistinctDestinations,
                                               "a whole number from 1 to \(RuleSet.maximumDistinctDestinations)")
        }
        if let n = m["window_seconds"] {
            let value = try yaml.number(n, f + ".window_seconds")
            guard value > 0, value <= RuleSet.maximumWindowSeconds else {
                throw fail(n, f + ".window_seconds", "must be greater than 0 and at most 86400 (got \(value))")
            }
            c.windowSeconds = value
        }
        return c
    }
}
#endif
