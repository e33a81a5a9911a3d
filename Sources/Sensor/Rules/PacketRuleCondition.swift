/// The conditions of a `packet` rule, on one captured UDP datagram or TCP segment. Every
/// condition that is set must hold.
public struct PacketRuleCondition: Sendable, Hashable {
    /// TCP segments or UDP datagrams.
    public var transport: TransportProtocol
    /// The destination port, or nil for any.
    public var destinationPort: UInt16?
    /// The payload's length on the wire (from the headers, even if the capture kept fewer
    /// bytes), or nil for any.
    public var payloadLength: Int?
    /// The payload starts with these bytes. They must have been captured: a capture that kept
    /// fewer bytes does not match. Empty: no condition.
    public var payloadPrefix: [UInt8]

    /// A condition; everything left out matches any packet of the protocol.
    public init(transport: TransportProtocol, destinationPort: UInt16? = nil, payloadLength: Int? = nil, payloadPrefix: [UInt8] = []) {
        self.transport = transport
        self.destinationPort = destinationPort
        self.payloadLength = payloadLength
        self.payloadPrefix = payloadPrefix
    }
}
