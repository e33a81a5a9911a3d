/// The conditions of an `address-scan` rule: one source sends probes to many distinct
/// destination addresses on one port within a sliding time window (Zeek's `Address_Scan`,
/// 25 addresses in 5 minutes by default).
///
/// Each (source, destination port) pair is tracked on its own; the rule fires once for a pair,
/// on the probe that brings its distinct destinations within the window to
/// ``distinctDestinations``.
public struct AddressScanRuleCondition: Sendable, Hashable {
    /// Which TCP segments count as probes.
    public enum Flags: String, Sendable, Hashable, CaseIterable {
        /// Connection attempts: SYN set, ACK clear.
        case syn
        /// Every segment.
        case any
    }

    /// Which packets count as probes: TCP segments or UDP datagrams.
    public var transport: TransportProtocol
    /// Which TCP segments count (ignored for UDP, where every datagram counts).
    public var flags: Flags
    /// Only this destination port, or nil for every port (each still tracked on its own).
    public var port: UInt16?
    /// How many distinct destinations within the window make a scan; ≥ 1.
    public var distinctDestinations: Int
    /// The window, in seconds; > 0. A probe counts while it is less than this old.
    public var windowSeconds: Double

    /// A condition; the defaults are Zeek's `Address_Scan` (25 addresses in 300 s, SYNs).
    public init(transport: TransportProtocol, flags: Flags = .syn, port: UInt16? = nil, distinctDestinations: Int = 25, windowSeconds: Double = 300) {
        self.transport = transport
        self.flags = flags
        self.port = port
        self.distinctDestinations = distinctDestinations
        self.windowSeconds = windowSeconds
    }
}
