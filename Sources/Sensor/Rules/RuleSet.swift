/// An ordered list of rules, as read from one rules file.
///
/// Order matters: HTTP rules are tried in order and the first that matches reports the
/// request; packet rules likewise. Address-scan rules are each tracked on their own. So a
/// specific rule (Code Red I's `.ida` with `N` filler) goes before a general one (any long
/// `.ida` query).
public struct RuleSet: Sendable, Hashable {
    /// The rules, in the order they are tried.
    public var rules: [Rule]

    /// A rule set of `rules`, not yet checked (see ``validate()``).
    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// Checks what a rules file cannot express wrongly but Swift code can: ids unique and
    /// well-formed, family names, at least one HTTP condition, no empty strings, positive
    /// counts and windows. The error's location is the field path (`rules[3].id`).
    public func validate() throws(SensorError) {
        if let problem = firstProblem() {
            throw .invalidRules(location: problem.field, reason: problem.message)
        }
    }

    /// The most distinct destinations an address-scan rule may ask for (memory per tracked source).
    public static let maximumDistinctDestinations = 10_000
    /// The longest address-scan window, in seconds (one day).
    public static let maximumWindowSeconds = 86_400.0

    /// A problem found by ``validate()``: the field path and what is wrong.
    struct Problem: Equatable {
        var field: String
        var message: String
    }

    func firstProblem() -> Problem? {
        var seen: [String: Int] = [:]
        for (i, rule) in rules.enumerated() {
            let f = "rules[\(i)]"
            if rule.id.isEmpty { return Problem(field: f + ".id", message: "must not be empty") }
            if !rule.id.utf8.allSatisfy(Self.isIDByte) {
                return Problem(field: f + ".id", message: "'\(rule.id)' is not an id: use letters, digits, '.', '_' and '-'")
            }
            if let other = seen[rule.id] {
                return Problem(field: f + ".id", message: "'\(rule.id)' is already the id of rules[\(other)]")
            }
            seen[rule.id] = i
            if rule.family.isEmpty { return Problem(field: f + ".family", message: "must not be empty") }
            if !rule.family.utf8.allSatisfy(Self.isFamilyByte) {
                return Problem(field: f + ".family", message: "'\(rule.family)' is not a family name: use lower-case letters, digits and '-' (code-red-i)")
            }
            switch rule.condition {
            case .http(let c):
                if c.isEmpty {
                    return Problem(field: f, message: "an http rule needs at least one of path_suffix, path_contains, decoded_contains, query_filler, query_min_length, evasion")
                }
                for (key, list) in [("path_suffix", c.pathSuffix), ("path_contains", c.pathContains), ("decoded_contains", c.decodedContains)] {
                    if let k = list.firstIndex(where: \.isEmpty) { return Problem(field: "\(f).\(key)[\(k)]", message: "must not be empty") }
                }
                if let filler = c.queryFiller, filler.minimumRun < 1 {
                    return Problem(field: f + ".query_filler.min_run", message: "must be a positive integer (got \(filler.minimumRun))")
                }
                if let n = c.queryMinimumLength, n < 1 {
                    return Problem(field: f + ".query_min_length", message: "must be a positive integer (got \(n))")
                }
            case .packet(let c):
                if let n = c.payloadLength, !(0...65535).contains(n) {
                    return Problem(field: f + ".payload_length", message: "must be 0 to 65535 (got \(n))")
                }
                if c.payloadPrefix.count > 65535 {
                    return Problem(field: f + ".payload_prefix_hex", message: "longer than any payload")
                }
            case .addressScan(let c):
                if !(1...Self.maximumDistinctDestinations).contains(c.distinctDestinations) {
                    return Problem(field: f + ".distinct_destinations", message: "must be 1 to \(Self.maximumDistinctDestinations) (got \(c.distinctDestinations))")
                }
                if !(c.windowSeconds > 0 && c.windowSeconds <= Self.maximumWindowSeconds) {
                    return Problem(field: f + ".window_seconds", message: "must be greater than 0 and at most 86400 (got \(c.windowSeconds))")
                }
            }
        }
        return nil
    }

    static func isIDByte(_ b: UInt8) -> Bool {
        isFamilyByte(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }

    static func isFamilyByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
    }
}
