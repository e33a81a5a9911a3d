/// One detection rule: what it is called, which worm family it reports, and what it matches.
///
/// Rules are read from a `wormwatch.rules/1` file (``RulesFile``) or built in Swift; the format
/// is documented in `docs/rules-format.md`.
public struct Rule: Sendable, Hashable {
    /// How serious a match is; shown in events, not used by the matcher.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case low
        case medium
        case high
    }

    /// What the rule looks at and the conditions that must all hold.
    public enum Condition: Sendable, Hashable {
        /// A web request (from a log, or parsed out of a TCP payload).
        case http(HTTPRuleCondition)
        /// A single UDP datagram or TCP segment.
        case packet(PacketRuleCondition)
        /// A source that probes many addresses on one port within a time window.
        case addressScan(AddressScanRuleCondition)

        /// The rules-file name of the kind: `http`, `packet` or `address-scan`.
        public var kind: String {
            switch self {
            case .http: "http"
            case .packet: "packet"
            case .addressScan: "address-scan"
            }
        }
    }

    /// A unique name, reported in every event (`code-red-i`, `nimda-cmd-exe`).
    public var id: String
    /// The worm family events are counted under (`code-red-i`, `nimda`, `address-scan`).
    public var family: String
    /// One line for people.
    public var description: String
    /// How serious a match is (`medium` unless given).
    public var severity: Severity
    /// What the rule looks at, and the conditions that must hold.
    public var condition: Condition

    /// A rule with every field given.
    public init(id: String, family: String, description: String, severity: Severity = .medium, condition: Condition) {
        self.id = id
        self.family = family
        self.description = description
        self.severity = severity
        self.condition = condition
    }
}
