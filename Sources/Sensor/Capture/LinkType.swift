/// A capture's link-layer header type (a tcpdump.org `LINKTYPE_` value, from the list at
/// https://www.tcpdump.org/linktypes.html, also registered by draft-ietf-opsawg-pcaplinktype).
///
/// A struct of named values rather than an enum: any number can appear in a file, and
/// matching against these constants compiles to plain integer compares. The reader finds the
/// IPv4 header behind the link types named here; packets of any other link type are skipped
/// as damaged input (`link type 105 not supported`).
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
    /// Raw IP, the `DLT_RAW` value on most systems (12; `LINKTYPE_RAW` is 101 in files, but
    /// some writers store the DLT number).
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
        switch self {
        case .null: "null"
        case .ethernet: "ethernet"
        case .rawDLT12, .rawDLT14, .raw: "raw"
        case .loop: "loop"
        case .linuxSLL: "linux-sll"
        case .ipv4: "ipv4"
        case .linuxSLL2: "linux-sll2"
        default: "link type \(rawValue)"
        }
    }
}

extension LinkType {
    /// `AF_INET`, the address family of IPv4 in the 4-byte header of `LINKTYPE_NULL` (in the
    /// writer's byte order) and `LINKTYPE_LOOP` (big-endian): 2 on every system.
    @usableFromInline static let loopbackIPv4Family: UInt32 = 2
}

/// An EtherType: the protocol behind an Ethernet or VLAN header, and in the protocol field of
/// the Linux cooked headers (IEEE 802 Numbers, IANA registry `ieee-802-numbers`).
@usableFromInline
struct EtherType: RawRepresentable, Hashable, Sendable {
    /// The 16-bit number, as it appears big-endian on the wire.
    @usableFromInline var rawValue: UInt16

    /// The EtherType with this number.
    @inlinable
    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Internet Protocol version 4 (0x0800).
    @usableFromInline static let ipv4 = EtherType(rawValue: 0x0800)
    /// IEEE 802.1Q customer VLAN tag, C-tag (0x8100).
    @usableFromInline static let vlan = EtherType(rawValue: 0x8100)
    /// IEEE 802.1ad service VLAN tag, S-tag, the outer tag of "QinQ" (0x88A8).
    @usableFromInline static let serviceVLAN = EtherType(rawValue: 0x88A8)
    /// The outer QinQ tag some switches used before 802.1ad (0x9100, not an IEEE assignment).
    @usableFromInline static let legacyQinQ = EtherType(rawValue: 0x9100)

    /// Whether this is a VLAN tag (802.1Q, 802.1ad or the old QinQ): 2 bytes of tag control
    /// follow, then the next EtherType.
    var isVLANTag: Bool { self == .vlan || self == .serviceVLAN || self == .legacyQinQ }
}

/// An IPv4 header's protocol number: what its payload is (IANA "Assigned Internet Protocol
/// Numbers"). The reader decodes TCP and UDP and counts the rest.
@usableFromInline
struct IPProtocol: RawRepresentable, Hashable, Sendable {
    /// The 8-bit number of the IPv4 `protocol` field.
    @usableFromInline var rawValue: UInt8

    /// The protocol with this number.
    @inlinable
    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Transmission Control Protocol (6, RFC 9293).
    @usableFromInline static let tcp = IPProtocol(rawValue: 6)
    /// User Datagram Protocol (17, RFC 768).
    @usableFromInline static let udp = IPProtocol(rawValue: 17)
}
