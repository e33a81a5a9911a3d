/// What a simulated worm's probe looks like on the wire and in a web server's log.
///
/// These are the detection signatures the published record describes, written so that a
/// sensor has something real-format to find. They carry no working code: a Code Red request
/// line is the text that servers logged (CERT CA-2001-19), and the Slammer datagram is the
/// right size with the right first byte and inert filler.
public enum ProbeSignature: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Code Red I / v2: a TCP SYN to port 80; once answered, `GET /default.ida?NNNN…`.
    case codeRedI = "code-red-i"
    /// Code Red II: the same, with `X` filler.
    case codeRedII = "code-red-ii"
    /// Slammer: one 376-byte UDP datagram to port 1434 whose first byte is 0x04.
    case slammer

    public var description: String { rawValue }

    /// The signature a preset's worm uses: Slammer's for names starting `slammer`,
    /// Code Red II's for `codered-ii`, Code Red's otherwise.
    public static func forScenario(named name: String) -> ProbeSignature {
        if name.hasPrefix("slammer") { return .slammer }
        if name.hasPrefix("codered-ii") { return .codeRedII }
        return .codeRedI
    }

    /// Whether the probe is a TCP connection attempt (and so can reach a web server's log).
    public var isTCP: Bool { self != .slammer }

    /// The destination port probed.
    public var port: UInt16 { self == .slammer ? 1434 : 80 }

    /// Slammer's UDP payload length in bytes (Moore et al. 2003: a 376-byte payload).
    public static let slammerPayloadLength = 376

    /// The request target as servers logged it (about 224 filler bytes, then the `%u` run).
    public var requestTarget: [UInt8] {
        let filler: String
        switch self {
        case .codeRedI: filler = String(repeating: "N", count: 224)
        case .codeRedII: filler = String(repeating: "X", count: 224)
        case .slammer: return []
        }
        return Array(("/default.ida?" + filler
            + "%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801"
            + "%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a").utf8)
    }

    /// An inert datagram with Slammer's size and first byte (0x04, an SQL Server Resolution
    /// Service request), the rest filler: what a detector keys on, without any code.
    public static var slammerPayload: [UInt8] {
        [0x04] + [UInt8](repeating: 0x01, count: slammerPayloadLength - 1)
    }
}
