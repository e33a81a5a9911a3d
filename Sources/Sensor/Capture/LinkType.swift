/// A capture's link-layer header type (a tcpdump.org `LINKTYPE_` value).
///
/// The reader finds the IPv4 header behind the link types named here; packets of any other
/// link type are skipped as damaged input (`link type 105 not supported`).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `LINKTYPE_` number, as in a pcap header or a pcapng interface description.
    public var rawValue: UInt32

    /// The link type with this number (any number: unsupported ones are skipped when read).
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// BSD loopback (`LINKTYPE_NULL`, 0): a 4-byte address family in the writer's byte order.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet (`LINKTYPE_ETHERNET`, 1), with any number of 802.1Q / 802.1ad VLAN tags.
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP, the `DLT_RAW` value on most systems (12).
    public static let rawDLT12 = LinkType(rawValue: 12)
    /// Raw IP, the `DLT_RAW` value on OpenBSD (14).
    public static let rawDLT14 = LinkType(rawValue: 14)
    /// Raw IP (`LINKTYPE_RAW`, 101): IPv4 or IPv6, told apart by the version nibble.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback (`LINKTYPE_LOOP`, 108): a 4-byte big-endian address family.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1 (`LINKTYPE_LINUX_SLL`, 113): a 16-byte pseudo-header.
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4 only (`LINKTYPE_IPV4`, 228).
    public static let ipv4 = LinkType(rawValue: 228)
    /// Linux cooked capture v2 (`LINKTYPE_LINUX_SLL2`, 276): a 20-byte pseudo-header.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// A short name (`ethernet`, `linux-sll`), or `link type N`.
    public var description: String {
        switch rawValue {
        case 0: "null"
        case 1: "ethernet"
        case 12, 14, 101: "raw"
        case 108: "loop"
        case 113: "linux-sll"
        case 228: "ipv4"
        case 276: "linux-sll2"
        default: "link type \(rawValue)"
        }
    }
}
