extension RuleSet {
    /// The default rules, the same as `rules/default.yaml` (``RulesFile/defaultText``) built in
    /// Swift, so that tools compiled without the YAML reader (the fuzzers) have them too. A test
    /// checks that reading the text gives exactly these rules.
    public static let `default` = RuleSet(rules: [
        Rule(
            id: "code-red-i", family: "code-red-i", description: "Code Red I, .ida buffer overflow with N filler", severity: .high,
            condition: .http(HTTPRuleCondition(pathSuffix: [".ida"], queryFiller: .init(byte: UInt8(ascii: "N"), minimumRun: 100)))),
        Rule(
            id: "code-red-ii", family: "code-red-ii", description: "Code Red II, .ida buffer overflow with X filler", severity: .high,
            condition: .http(HTTPRuleCondition(pathSuffix: [".ida"], queryFiller: .init(byte: UInt8(ascii: "X"), minimumRun: 100)))),
        Rule(
            id: "ida-overflow", family: "ida-overflow",
            description: "long query to an .ida or .idq handler, an Indexing Service overflow attempt", severity: .high,
            condition: .http(HTTPRuleCondition(pathSuffix: [".ida", ".idq"], queryMinimumLength: 200))),
        Rule(
            id: "nimda-unicode-traversal", family: "nimda", description: "Nimda, directory traversal to cmd.exe hidden by overlong UTF-8",
            severity: .high, condition: .http(HTTPRuleCondition(pathContains: ["cmd.exe"], evasions: [.overlongUTF8, .traversal]))),
        Rule(
            id: "nimda-double-decode-traversal", family: "nimda", description: "Nimda, directory traversal to cmd.exe hidden by double encoding",
            severity: .high, condition: .http(HTTPRuleCondition(pathContains: ["cmd.exe"], evasions: [.doubleEncoding, .traversal]))),
        Rule(
            id: "nimda-traversal", family: "nimda", description: "Nimda, directory traversal to cmd.exe",
            severity: .high, condition: .http(HTTPRuleCondition(pathContains: ["cmd.exe"], evasions: [.traversal]))),
        Rule(
            id: "nimda-cmd-exe", family: "nimda", description: "Nimda, cmd.exe in the Windows system folder",
            severity: .high, condition: .http(HTTPRuleCondition(pathSuffix: ["/winnt/system32/cmd.exe"]))),
        Rule(
            id: "nimda-root-exe", family: "nimda", description: "Nimda, root.exe back door left by Code Red II",
            severity: .high, condition: .http(HTTPRuleCondition(pathSuffix: ["/root.exe"]))),
        Rule(
            id: "slammer", family: "slammer", description: "SQL Slammer, one 376-byte UDP datagram to port 1434 starting with 0x04",
            severity: .high, condition: .packet(PacketRuleCondition(transport: .udp, destinationPort: 1434, payloadLength: 376, payloadPrefix: [0x04]))),
        Rule(
            id: "address-scan", family: "address-scan", description: "one source probing 25 addresses on one TCP port within 5 minutes",
            severity: .medium,
            condition: .addressScan(AddressScanRuleCondition(transport: .tcp, flags: .syn, port: nil, distinctDestinations: 25, windowSeconds: 300))),
    ])
}
