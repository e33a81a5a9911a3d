import Testing
@testable import Sensor

#if canImport(Glibc)
import Glibc
#endif

/// The shipped rules, and every bad rules file giving one exact `file:line: field: message`.
@Suite("Rules files")
struct RuleFileTests {
    static let tiny = """
        format: wormwatch.rules/1
        rules:
          - id: r1
            family: code-red-i
            kind: http
            description: test
            path_suffix: .ida
            query_filler: {byte: N, min_run: 100}
          - id: r2
            family: slammer
            kind: packet
            description: test
            protocol: udp
            destination_port: 1434
            payload_length: 376
            payload_prefix_hex: "04"
          - id: r3
            family: address-scan
            kind: address-scan
            description: test
            protocol: tcp
        """

    static let httpKeys = "id, family, kind, description, severity, path_suffix, path_contains, decoded_contains, query_filler, query_min_length, evasion"

    static func tiny(replacing old: String, with new: String) -> String {
        precondition(tiny.contains(old), "fixture has no '\(old)'")
        return tiny.replacing(old, with: new, maxReplacements: 1)
    }

    /// The error message for `text`, or "no error".
    static func error(_ text: String) -> String {
        do {
            _ = try RulesFile.parse(text, file: "bad.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    static var repositoryRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    // MARK: The shipped rules

    @Test("the embedded default rules are rules/default.yaml byte for byte")
    func embeddedTextMatchesTheFile() throws {
        let file = try #require(Self.readFile(Self.repositoryRoot + "/rules/default.yaml"))
        #expect(Array(RulesFile.defaultText.utf8) == file, "run scripts/embed-rules")
    }

    @Test("reading the default rules gives RuleSet.default exactly")
    func defaultTextIsTheSwiftRuleSet() throws {
        let parsed = try RulesFile.parseDefault()
        #expect(parsed.rules.map(\.id) == RuleSet.default.rules.map(\.id))
        for (a, b) in zip(parsed.rules, RuleSet.default.rules) { #expect(a == b) }
        #expect(parsed == RuleSet.default)
        try RuleSet.default.validate()
    }

    @Test("the default rules cover the families the sensor promises")
    func defaultFamilies() {
        let families = Set(RuleSet.default.rules.map(\.family))
        #expect(families == ["code-red-i", "code-red-ii", "ida-overflow", "nimda", "slammer", "address-scan"])
    }

    @Test("loading a file from disk, and a missing one")
    func load() throws {
        let rules = try RulesFile.load(path: Self.repositoryRoot + "/rules/default.yaml")
        #expect(rules == RuleSet.default)
        #expect(throws: SensorError.unreadable(path: "/nonexistent/rules.yaml", reason: "No such file or directory")) {
            try RulesFile.load(path: "/nonexistent/rules.yaml")
        }
    }

    @Test("the tiny fixture is valid, with defaults filled in")
    func tinyIsValid() throws {
        let rules = try RulesFile.parse(Self.tiny, file: "tiny.yaml")
        #expect(rules.rules.count == 3)
        #expect(rules.rules[0].severity == .medium)
        #expect(rules.rules[0].condition == .http(HTTPRuleCondition(pathSuffix: [".ida"], queryFiller: .init(byte: 78, minimumRun: 100))))
        #expect(rules.rules[1].condition == .packet(PacketRuleCondition(transport: .udp, destinationPort: 1434, payloadLength: 376, payloadPrefix: [4])))
        #expect(rules.rules[2].condition == .addressScan(AddressScanRuleCondition(transport: .tcp, flags: .syn, port: nil, distinctDestinations: 25, windowSeconds: 300)))
    }

    @Test("lists, single strings, hex with spaces, any")
    func forms() throws {
        let text = Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: [.IDA, .idq]\n    evasion: percent-u")
            .replacing("payload_prefix_hex: \"04\"", with: "payload_prefix_hex: 04 01 0a")
            .replacing("destination_port: 1434", with: "destination_port: any")
            .replacing("protocol: tcp", with: "protocol: tcp\n    flags: any\n    port: 80\n    distinct_destinations: 1_000\n    window_seconds: 0.5")
        let rules = try RulesFile.parse(text)
        #expect(rules.rules[0].condition == .http(HTTPRuleCondition(pathSuffix: [".IDA", ".idq"], queryFiller: .init(byte: 78, minimumRun: 100), evasions: .percentU)))
        #expect(rules.rules[1].condition == .packet(PacketRuleCondition(transport: .udp, destinationPort: nil, payloadLength: 376, payloadPrefix: [4, 1, 10])))
        #expect(rules.rules[2].condition == .addressScan(AddressScanRuleCondition(transport: .tcp, flags: .any, port: 80, distinctDestinations: 1000, windowSeconds: 0.5)))
    }

    // MARK: Structure

    @Test("an unknown key in a rule names the key it resembles and the keys of the rule's kind")
    func unknownRuleKey() {
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_sufix: .ida"))
            == "bad.yaml:7: rules[0].path_sufix: unknown key (did you mean 'path_suffix'?); known keys here: \(Self.httpKeys)")
    }

    @Test("an unknown top-level key")
    func unknownTopKey() {
        #expect(Self.error(Self.tiny + "\ncolour: red") == "bad.yaml:22: colour: unknown key; known keys here: format, rules")
    }

    @Test("a key of another kind of rule")
    func keyOfAnotherKind() {
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: .ida\n    destination_port: 80"))
            == "bad.yaml:8: rules[0].destination_port: does not apply to kind 'http' (it is a key of packet rules)")
        #expect(Self.error(Self.tiny(replacing: "destination_port: 1434", with: "port: 1434"))
            == "bad.yaml:14: rules[1].port: does not apply to kind 'packet' (it is a key of address-scan rules)")
    }

    @Test("the format line: missing, wrong, empty file")
    func format() {
        #expect(Self.error(Self.tiny(replacing: "format: wormwatch.rules/1\n", with: ""))
            == "bad.yaml:1: format: missing; the first line should be 'format: wormwatch.rules/1'")
        #expect(Self.error(Self.tiny(replacing: "rules/1", with: "rules/2"))
            == "bad.yaml:1: format: 'wormwatch.rules/2' is not a format this version reads (wormwatch.rules/1)")
        #expect(Self.error("") == "bad.yaml:1: the file is empty; the first line should be 'format: wormwatch.rules/1'")
        #expect(Self.error("# only a comment\n") == "bad.yaml:1: the file is empty; the first line should be 'format: wormwatch.rules/1'")
    }

    @Test("missing required keys")
    func missing() {
        #expect(Self.error("format: wormwatch.rules/1\n") == "bad.yaml:1: rules: missing (a list of rules)")
        #expect(Self.error(Self.tiny(replacing: "    kind: http\n", with: ""))
            == "bad.yaml:3: rules[0].kind: missing (http, packet or address-scan)")
        #expect(Self.error(Self.tiny(replacing: "    description: test\n", with: "")) == "bad.yaml:3: rules[0].description: missing")
        #expect(Self.error(Self.tiny(replacing: "  - id: r1\n    family: code-red-i", with: "  - family: code-red-i")) == "bad.yaml:3: rules[0].id: missing")
        #expect(Self.error(Self.tiny(replacing: "    protocol: udp\n", with: "")) == "bad.yaml:9: rules[1].protocol: missing (tcp or udp)")
        #expect(Self.error(Self.tiny(replacing: "{byte: N, min_run: 100}", with: "{byte: N}"))
            == "bad.yaml:8: rules[0].query_filler: needs byte and min_run")
    }

    // MARK: Types and values

    @Test("wrong types")
    func wrongTypes() {
        #expect(Self.error("format: wormwatch.rules/1\nrules: all") == "bad.yaml:2: rules: expected a list")
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: {a: 1}"))
            == "bad.yaml:7: rules[0].path_suffix: expected text or a list of text")
        #expect(Self.error(Self.tiny(replacing: "  - id: r1\n", with: "  - id: [r1]\n")) == "bad.yaml:3: rules[0].id: expected text")
        #expect(Self.error(Self.tiny(replacing: "{byte: N, min_run: 100}", with: "[N, 100]"))
            == "bad.yaml:8: rules[0].query_filler: expected a mapping of keys (byte, min_run)")
        #expect(Self.error("format: wormwatch.rules/1\nrules:\n  - just text") == "bad.yaml:3: rules[0]: expected a mapping of keys (id, family, kind, description, severity, path_suffix, path_contains, decoded_contains, query_filler, query_min_length, evasion, protocol, destination_port, payload_length, payload_prefix_hex, flags, port, distinct_destinations, window_seconds)")
    }

    @Test("numbers: positive, whole, in range, not quoted")
    func numbers() {
        #expect(Self.error(Self.tiny(replacing: "min_run: 100", with: "min_run: 0"))
            == "bad.yaml:8: rules[0].query_filler.min_run: must be a positive integer (got 0)")
        #expect(Self.error(Self.tiny(replacing: "min_run: 100", with: "min_run: -3"))
            == "bad.yaml:8: rules[0].query_filler.min_run: must be a positive integer (got -3)")
        #expect(Self.error(Self.tiny(replacing: "min_run: 100", with: "min_run: 2.5"))
            == "bad.yaml:8: rules[0].query_filler.min_run: must be a positive integer (got 2.5)")
        #expect(Self.error(Self.tiny(replacing: "min_run: 100", with: "min_run: lots"))
            == "bad.yaml:8: rules[0].query_filler.min_run: expected a number, got 'lots'")
        #expect(Self.error(Self.tiny(replacing: "payload_length: 376", with: "payload_length: \"376\""))
            == "bad.yaml:15: rules[1].payload_length: expected a number, got the quoted text '376' (leave out the quotes)")
        #expect(Self.error(Self.tiny(replacing: "payload_length: 376", with: "payload_length: 70000"))
            == "bad.yaml:15: rules[1].payload_length: must be 0 to 65535 (got 70000)")
        #expect(Self.error(Self.tiny(replacing: "destination_port: 1434", with: "destination_port: 65536"))
            == "bad.yaml:14: rules[1].destination_port: must be a port number (0 to 65535) or any (got 65536)")
        #expect(Self.error(Self.tiny(replacing: "destination_port: 1434", with: "destination_port: ms-sql"))
            == "bad.yaml:14: rules[1].destination_port: expected a port number (0 to 65535) or any, got 'ms-sql'")
        #expect(Self.error(Self.tiny(replacing: "protocol: tcp", with: "protocol: tcp\n    distinct_destinations: 0"))
            == "bad.yaml:22: rules[2].distinct_destinations: must be a whole number from 1 to 10000 (got 0)")
        #expect(Self.error(Self.tiny(replacing: "protocol: tcp", with: "protocol: tcp\n    window_seconds: 0"))
            == "bad.yaml:22: rules[2].window_seconds: must be greater than 0 and at most 86400 (got 0.0)")
    }

    @Test("bad hex")
    func badHex() {
        let hint = "(pairs of 0-9 and a-f, such as \"04\" or \"04 01 01\")"
        #expect(Self.error(Self.tiny(replacing: "\"04\"", with: "\"0z\""))
            == "bad.yaml:16: rules[1].payload_prefix_hex: '0z' is not hexadecimal bytes \(hint)")
        #expect(Self.error(Self.tiny(replacing: "\"04\"", with: "\"040\""))
            == "bad.yaml:16: rules[1].payload_prefix_hex: '040' is not hexadecimal bytes \(hint)")
        #expect(Self.error(Self.tiny(replacing: "\"04\"", with: "\"\""))
            == "bad.yaml:16: rules[1].payload_prefix_hex: must not be empty")
    }

    @Test("names: kinds, protocols, flags, severities, evasions, filler bytes")
    func names() {
        #expect(Self.error(Self.tiny(replacing: "kind: http", with: "kind: web"))
            == "bad.yaml:5: rules[0].kind: 'web' is not one of http, packet, address-scan")
        #expect(Self.error(Self.tiny(replacing: "protocol: udp", with: "protocol: icmp"))
            == "bad.yaml:13: rules[1].protocol: 'icmp' is not one of tcp, udp")
        #expect(Self.error(Self.tiny(replacing: "protocol: tcp", with: "protocol: tcp\n    flags: fin"))
            == "bad.yaml:22: rules[2].flags: 'fin' is not one of syn, any")
        #expect(Self.error(Self.tiny(replacing: "protocol: tcp", with: "protocol: udp\n    flags: syn"))
            == "bad.yaml:22: rules[2].flags: applies to tcp only")
        #expect(Self.error(Self.tiny(replacing: "description: test\n    path", with: "description: test\n    severity: critical\n    path"))
            == "bad.yaml:7: rules[0].severity: 'critical' is not one of low, medium, high")
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: .ida\n    evasion: [traversal, unicode]"))
            == "bad.yaml:8: rules[0].evasion[1]: 'unicode' is not one of double-encoding, overlong-utf8, percent-u, backslash, traversal")
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: .ida\n    evasion: unicode"))
            == "bad.yaml:8: rules[0].evasion: 'unicode' is not one of double-encoding, overlong-utf8, percent-u, backslash, traversal")
        #expect(Self.error(Self.tiny(replacing: "byte: N", with: "byte: NN"))
            == "bad.yaml:8: rules[0].query_filler.byte: must be one printable ASCII character such as N (got 'NN')")
    }

    @Test("empty strings and lists")
    func empties() {
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: []"))
            == "bad.yaml:7: rules[0].path_suffix: must not be an empty list")
        #expect(Self.error(Self.tiny(replacing: "path_suffix: .ida", with: "path_suffix: [.ida, \"\"]"))
            == "bad.yaml:7: rules[0].path_suffix[1]: must not be empty")
    }

    // MARK: Checks across the file

    @Test("ids unique and well formed, family names, at least one http condition")
    func validation() {
        #expect(Self.error(Self.tiny(replacing: "id: r2", with: "id: r1")) == "bad.yaml:9: rules[1].id: 'r1' is already the id of rules[0]")
        #expect(Self.error(Self.tiny(replacing: "id: r2", with: "id: \"r 2\"")) == "bad.yaml:9: rules[1].id: 'r 2' is not an id: use letters, digits, '.', '_' and '-'")
        #expect(Self.error(Self.tiny(replacing: "family: slammer", with: "family: SQL Slammer"))
            == "bad.yaml:10: rules[1].family: 'SQL Slammer' is not a family name: use lower-case letters, digits and '-' (code-red-i)")
        #expect(Self.error(Self.tiny(replacing: "    path_suffix: .ida\n    query_filler: {byte: N, min_run: 100}\n", with: ""))
            == "bad.yaml:3: rules[0]: an http rule needs at least one of path_suffix, path_contains, decoded_contains, query_filler, query_min_length, evasion")
    }

    @Test("YAML syntax errors name the line")
    func yamlSyntax() {
        let message = Self.error("format: wormwatch.rules/1\nrules: [\n")
        #expect(message == "bad.yaml:3: not valid YAML: did not find expected node content")
        let duplicate = Self.error("format: wormwatch.rules/1\nformat: wormwatch.rules/1\nrules: []\n")
        #expect(duplicate.hasPrefix("bad.yaml:") && duplicate.contains("'format' appears more than once"), "\(duplicate)")
    }

    @Test("rule sets built in Swift are checked too, with field paths")
    func swiftValidation() {
        let empty = RuleSet(rules: [Rule(id: "x", family: "f", description: "", condition: .http(HTTPRuleCondition()))])
        #expect(throws: SensorError.invalidRules(location: "rules[0]", reason: "an http rule needs at least one of path_suffix, path_contains, decoded_contains, query_filler, query_min_length, evasion")) {
            try empty.validate()
        }
        let blank = RuleSet(rules: [Rule(id: "x", family: "f", description: "", condition: .http(HTTPRuleCondition(pathContains: ["a", ""])))])
        #expect(throws: SensorError.invalidRules(location: "rules[0].path_contains[1]", reason: "must not be empty")) {
            try blank.validate()
        }
        let scan = RuleSet(rules: [Rule(id: "x", family: "f", description: "", condition: .addressScan(.init(transport: .tcp, windowSeconds: .nan)))])
        #expect(throws: SensorError.invalidRules(location: "rules[0].window_seconds", reason: "must be greater than 0 and at most 86400 (got nan)")) {
            try scan.validate()
        }
        #expect(throws: SensorError.self) { try Matcher(rules: empty, inputs: []) }
    }
}
