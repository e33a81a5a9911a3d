/// The transport protocol a packet rule or an address-scan rule looks at.
public enum TransportProtocol: String, Sendable, Hashable, CaseIterable {
    case tcp
    case udp
}
