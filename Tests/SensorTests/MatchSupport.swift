import WormWatchCore
@testable import Sensor

/// Builds observations from byte arrays and collects what the matcher emits.
enum MatchSupport {
    static let inputs = [InputDescriptor(name: "access.log", records: .line), InputDescriptor(name: "day.pcap", records: .packet)]

    static func matcher(_ rules: RuleSet = .default, limits: Matcher.Limits = Matcher.Limits()) -> Matcher {
        do {
            return try Matcher(rules: rules, inputs: inputs, limits: limits)
        } catch {
            preconditionFailure("test rules are invalid: \(error)")
        }
    }

    static func address(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }

    /// One web request from input 0 (a log).
    static func request(
        _ matcher: inout Matcher, _ target: [UInt8], source: UInt32 = address(192, 0, 2, 7), time: Int64 = 0, record: Int = 1, input: Int = 0
    ) -> [SensorEvent] {
        var events: [SensorEvent] = []
        let method = Array("GET".utf8)
        method.withUnsafeBytes { m in
            target.withUnsafeBytes { t in
                let o = Observation(kind: .httpRequest, timeNanoseconds: time, source: source, destination: 0, destinationPort: 80,
                                    method: m, target: t, input: input, record: record)
                matcher.observe(o) { events.append($0) }
            }
        }
        return events
    }

    static func request(_ matcher: inout Matcher, _ target: String, time: Int64 = 0) -> [SensorEvent] {
        request(&matcher, Array(target.utf8), time: time)
    }

    /// The rule ids a request is reported under.
    static func ids(_ matcher: inout Matcher, _ target: String) -> [String] {
        request(&matcher, Array(target.utf8)).map(\.ruleID)
    }

    /// One packet from input 1 (a capture).
    static func packet(
        _ matcher: inout Matcher, _ kind: Observation.Kind, source: UInt32, destination: UInt32, port: UInt16,
        flags: UInt8 = 0x02, payloadLength: Int = 0, payload: [UInt8] = [], seconds: Double, record: Int = 1
    ) -> [SensorEvent] {
        var events: [SensorEvent] = []
        payload.withUnsafeBytes { p in
            let o = Observation(kind: kind, timeNanoseconds: Int64((seconds * 1e9).rounded()), source: source, destination: destination,
                                sourcePort: 1025, destinationPort: port, tcpFlags: kind == .tcpPacket ? flags : 0,
                                payloadLength: payloadLength, payload: p, input: 1, record: record)
            matcher.observe(o) { events.append($0) }
        }
        return events
    }

    // MARK: Worm requests

    static let codeRedTail = "%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a"
    static let codeRedI = "/default.ida?" + String(repeating: "N", count: 224) + codeRedTail
    static let codeRedII = "/default.ida?" + String(repeating: "X", count: 224) + codeRedTail

    /// Nimda's probes (CERT CA-2001-26), with the rule each must be reported under.
    static let nimda: [(target: String, rule: String)] = [
        ("/scripts/root.exe?/c+dir", "nimda-root-exe"),
        ("/MSADC/root.exe?/c+dir", "nimda-root-exe"),
        ("/c/winnt/system32/cmd.exe?/c+dir", "nimda-cmd-exe"),
        ("/d/winnt/system32/cmd.exe?/c+dir", "nimda-cmd-exe"),
        ("/scripts/..%5c../winnt/system32/cmd.exe?/c+dir", "nimda-traversal"),
        ("/_vti_bin/..%5c../..%5c../..%5c../winnt/system32/cmd.exe?/c+dir", "nimda-traversal"),
        ("/_mem_bin/..%5c../..%5c../..%5c../winnt/system32/cmd.exe?/c+dir", "nimda-traversal"),
        ("/msadc/..%5c../..%5c../..%5c/..%c1%1c../..%c1%1c../..%c1%1c../winnt/system32/cmd.exe?/c+dir", "nimda-unicode-traversal"),
        ("/scripts/..%c1%1c../winnt/system32/cmd.exe?/c+dir", "nimda-unicode-traversal"),
        ("/scripts/..%c0%2f../winnt/system32/cmd.exe?/c+dir", "nimda-unicode-traversal"),
        ("/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", "nimda-unicode-traversal"),
        ("/scripts/..%c1%9c../winnt/system32/cmd.exe?/c+dir", "nimda-unicode-traversal"),
        ("/scripts/..%%35%63../winnt/system32/cmd.exe?/c+dir", "nimda-double-decode-traversal"),
        ("/scripts/..%%35c../winnt/system32/cmd.exe?/c+dir", "nimda-double-decode-traversal"),
        ("/scripts/..%25%35%63../winnt/system32/cmd.exe?/c+dir", "nimda-double-decode-traversal"),
        ("/scripts/..%252f../winnt/system32/cmd.exe?/c+dir", "nimda-double-decode-traversal"),
    ]

    // MARK: A reference matcher

    /// The first http rule matching `target`, found the slow and obvious way: always decode,
    /// compare whole arrays. The matcher's prefilter must agree with it on every target.
    static func referenceMatch(_ rules: RuleSet, _ target: [UInt8]) -> Int {
        var decoder = URIDecoder()
        let d = decoder.decoded(target)
        let path = Array(d.text[0..<d.pathLength])
        let question = target.firstIndex(of: UInt8(ascii: "?"))
        let query = question.map { Array(target[($0 + 1)...]) }
        func lower(_ s: String) -> [UInt8] { s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }
        func contains(_ text: [UInt8], _ p: [UInt8]) -> Bool {
            guard p.count <= text.count else { return false }
            outer: for i in 0...(text.count - p.count) {
                for j in 0..<p.count where text[i + j] != p[j] { continue outer }
                return true
            }
            return false
        }
        for (i, rule) in rules.rules.enumerated() {
            guard case .http(let c) = rule.condition else { continue }
            if !c.pathSuffix.isEmpty && !c.pathSuffix.contains(where: { path.count >= lower($0).count && Array(path.suffix(lower($0).count)) == lower($0) }) { continue }
            if !c.pathContains.isEmpty && !c.pathContains.contains(where: { contains(path, lower($0)) }) { continue }
            if !c.decodedContains.isEmpty && !c.decodedContains.contains(where: { contains(d.text, lower($0)) }) { continue }
            if let n = c.queryMinimumLength, (query?.count ?? -1) < n { continue }
            if let f = c.queryFiller {
                guard let query, contains(query, [UInt8](repeating: f.byte, count: f.minimumRun)) else { continue }
            }
            if !d.evasions.isSuperset(of: c.evasions) { continue }
            return i
        }
        return -1
    }
}

/// The randomised tests' seeded generator.
typealias TestRandom = SplitMix64
