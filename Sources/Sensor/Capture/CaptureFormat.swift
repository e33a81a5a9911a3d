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
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1: .pcap
        case 0x0A0D_0D0A: .pcapng
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
