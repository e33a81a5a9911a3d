/// The two capture file formats the sensor reads.
public enum CaptureFormat: Sendable, Equatable, CustomStringConvertible {
    /// Classic libpcap (`.pcap`): magic `a1b2c3d4` (microseconds) or `a1b23c4d` (nanoseconds),
    /// in either byte order.
    case pcap
    /// pcapng (`.pcapng`): a Section Header Block, type `0a0d0d0a`.
    case pcapng

    /// How many leading bytes `detect(_:)` needs to decide.
    public static let detectionLength = 4

    /// The format whose magic number the input begins with, or `nil` if it is neither (or
    /// fewer than ``detectionLength`` bytes were given).
    ///
    /// Only the first four bytes are looked at, so a CLI can sniff an input before choosing a
    /// reader and hand those bytes on (see `CaptureReader.init(source:path:input:leadingBytes:…)`).
    public static func detect(_ leadingBytes: UnsafeRawBufferPointer) -> CaptureFormat? {
        guard leadingBytes.count >= detectionLength, let base = leadingBytes.baseAddress else { return nil }
        return detect(magic: CaptureBytes.bigEndian32(base, 0))
    }

    /// The format whose magic number `leadingBytes` begins with, or `nil`.
    public static func detect(_ leadingBytes: [UInt8]) -> CaptureFormat? {
        leadingBytes.withUnsafeBytes { detect($0) }
    }

    /// The format for the first four bytes of a file read as a big-endian number.
    @usableFromInline
    static func detect(magic: UInt32) -> CaptureFormat? {
        switch magic {
        case PcapFileHeader.microsecondMagic, PcapFileHeader.microsecondMagicSwapped,
             PcapFileHeader.nanosecondMagic, PcapFileHeader.nanosecondMagicSwapped: .pcap
        case PcapngBlockType.sectionHeader.rawValue: .pcapng
        default: nil
        }
    }

    /// `pcap` or `pcapng`.
    public var description: String {
        switch self {
        case .pcap: "pcap"
        case .pcapng: "pcapng"
        }
    }
}

/// The numbers of a classic pcap file header (draft-ietf-opsawg-pcap, "File Header"). The
/// magic number, read big-endian, also tells the byte order the file was written in.
@usableFromInline
enum PcapFileHeader {
    /// Magic number of a file with microsecond timestamps, written big-endian (`a1b2c3d4`).
    @usableFromInline static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    /// The microsecond magic number of a file written little-endian, read big-endian.
    @usableFromInline static let microsecondMagicSwapped: UInt32 = 0xD4C3_B2A1
    /// Magic number of a file with nanosecond timestamps, written big-endian (`a1b23c4d`).
    @usableFromInline static let nanosecondMagic: UInt32 = 0xA1B2_3C4D
    /// The nanosecond magic number of a file written little-endian, read big-endian.
    @usableFromInline static let nanosecondMagicSwapped: UInt32 = 0x4D3C_B2A1
    /// `Major Version`: 2 since 1998.
    @usableFromInline static let majorVersion: UInt16 = 2
    /// `Minor Version`: 4.
    @usableFromInline static let minorVersion: UInt16 = 4
    /// The link type in the low 16 bits of the `LinkType` field; the high bits may hold the
    /// frame check sequence's length and are ignored.
    @usableFromInline static let linkTypeMask: UInt32 = 0x0000_FFFF
}

/// A pcapng block type code (draft-ietf-opsawg-pcapng, "Block Type Codes").
///
/// A struct of named values rather than an enum: a reader meets codes it does not know (and
/// skips those blocks), and matching against these constants compiles to plain integer compares.
@usableFromInline
struct PcapngBlockType: RawRepresentable, Hashable, Sendable {
    /// The 32-bit code, in the section's byte order in the file.
    @usableFromInline var rawValue: UInt32

    /// The block type with this code.
    @inlinable
    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Interface Description Block, IDB (0x00000001).
    @usableFromInline static let interfaceDescription = PcapngBlockType(rawValue: 0x0000_0001)
    /// Packet Block, PB (0x00000002): obsolete, superseded by the Enhanced Packet Block; its
    /// interface id is 16 bits.
    @usableFromInline static let obsoletePacket = PcapngBlockType(rawValue: 0x0000_0002)
    /// Simple Packet Block, SPB (0x00000003): interface 0, no timestamp.
    @usableFromInline static let simplePacket = PcapngBlockType(rawValue: 0x0000_0003)
    /// Name Resolution Block, NRB (0x00000004).
    @usableFromInline static let nameResolution = PcapngBlockType(rawValue: 0x0000_0004)
    /// Interface Statistics Block, ISB (0x00000005).
    @usableFromInline static let interfaceStatistics = PcapngBlockType(rawValue: 0x0000_0005)
    /// Enhanced Packet Block, EPB (0x00000006).
    @usableFromInline static let enhancedPacket = PcapngBlockType(rawValue: 0x0000_0006)
    /// Decryption Secrets Block, DSB (0x0000000A).
    @usableFromInline static let decryptionSecrets = PcapngBlockType(rawValue: 0x0000_000A)
    /// Custom Block that rewriters copy (0x00000BAD).
    @usableFromInline static let customCopiable = PcapngBlockType(rawValue: 0x0000_0BAD)
    /// Custom Block that rewriters must not copy (0x40000BAD).
    @usableFromInline static let customNotCopiable = PcapngBlockType(rawValue: 0x4000_0BAD)
    /// Section Header Block, SHB (0x0A0D0D0A): a palindrome, so it reads the same before the
    /// byte order is known; it starts every pcapng file.
    @usableFromInline static let sectionHeader = PcapngBlockType(rawValue: 0x0A0D_0D0A)

    /// Whether the block holds a packet: enhanced, simple or obsolete packet block.
    var isPacket: Bool { self == .enhancedPacket || self == .simplePacket || self == .obsoletePacket }
}

/// The fields of a pcapng Section Header Block (draft-ietf-opsawg-pcapng, "Section Header Block").
@usableFromInline
enum PcapngSectionHeader {
    /// `Byte-Order Magic` as read big-endian from a section written big-endian (0x1A2B3C4D).
    @usableFromInline static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    /// `Byte-Order Magic` as read big-endian from a section written little-endian.
    @usableFromInline static let byteOrderMagicSwapped: UInt32 = 0x4D3C_2B1A
    /// `Major Version`: 1; a reader must not read a section of another major version.
    @usableFromInline static let majorVersion: UInt16 = 1
}
