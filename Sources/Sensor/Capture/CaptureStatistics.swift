/// What a ``CaptureReader`` has read so far.
///
/// Every packet record read is counted once in ``packets`` and once in exactly one of
/// ``tcpPackets``, ``udpPackets``, ``otherIPv4Packets``, ``nonIPv4Packets``,
/// ``nonFirstFragments`` or ``damagedPackets``. A record cut short by the end of the file, and
/// damage outside packet records (a broken pcapng block), count in ``skipped`` only.
public struct CaptureStatistics: Sendable, Equatable {
    /// Packet records read (pcap records; pcapng enhanced, simple and obsolete packet blocks).
    public var packets = 0
    /// IPv4 TCP segments delivered as `.tcpPacket` observations.
    public var tcpPackets = 0
    /// IPv4 UDP datagrams delivered as `.udpPacket` observations.
    public var udpPackets = 0
    /// IPv4 packets of other protocols (ICMP, GRE, …): counted, not delivered.
    public var otherIPv4Packets = 0
    /// Frames that do not carry IPv4 (ARP, IPv6, …): counted, not delivered.
    public var nonIPv4Packets = 0
    /// IPv4 fragments with a non-zero offset: they hold no transport header, so they are
    /// counted and not decoded further.
    public var nonFirstFragments = 0
    /// Packet records read but not decoded because they are damaged (each is in ``skipped``).
    public var damagedPackets = 0
    /// TCP payloads that begin with an HTTP request line (delivered a second time, as
    /// `.httpRequest`; they are also counted in ``tcpPackets``).
    public var httpRequests = 0
    /// Bytes read from the source.
    public var bytesRead: Int64 = 0
    /// What was skipped and why; locations are `FILE: packet N (offset O)` or `FILE: offset O`.
    public var skipped: SkippedInput

    /// Empty statistics; `skipped` sets how many skip examples are kept.
    public init(skipped: SkippedInput = SkippedInput()) {
        self.skipped = skipped
    }
}
