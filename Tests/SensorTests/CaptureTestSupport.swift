import Foundation
import Testing
import WormWatchCore
import WormWatchTestSupport
@testable import Sensor

// Hand-built capture fixtures for the capture tests. These builders follow the format
// specifications directly and share no code with the reader or the writer.

/// An observation copied out of the reader's buffer, so tests can keep and compare it.
struct Seen: Equatable, CustomStringConvertible {
    var kind: Observation.Kind
    var time: Int64
    var source: UInt32
    var destination: UInt32
    var sourcePort: UInt16
    var destinationPort: UInt16
    var flags: UInt8
    var payloadLength: Int
    var payload: [UInt8]
    var method: String
    var target: String
    var input: Int
    var record: Int

    init(_ observation: borrowing Observation) {
        kind = observation.kind
        time = observation.timeNanoseconds
        source = observation.source
        destination = observation.destination
        sourcePort = observation.sourcePort
        destinationPort = observation.destinationPort
        flags = observation.tcpFlags
        payloadLength = observation.payloadLength
        payload = Array(observation.payload)
        method = String(decoding: observation.method, as: UTF8.self)
        target = String(decoding: observation.target, as: UTF8.self)
        input = observation.input
        record = observation.record
    }

    var description: String {
        "\(kind) #\(record) t=\(time) \(dotted(source)):\(sourcePort) > \(dotted(destination)):\(destinationPort) flags=\(flags) len=\(payloadLength)/\(payload.count) \(method) \(target)"
    }
}

/// What reading a whole capture gave.
struct CaptureResult {
    var seen: [Seen]
    var statistics: CaptureStatistics

    var skips: [String] { statistics.skipped.examples.map(\.description) }
    var tcp: [Seen] { seen.filter { $0.kind == .tcpPacket } }
    var udp: [Seen] { seen.filter { $0.kind == .udpPacket } }
    var http: [Seen] { seen.filter { $0.kind == .httpRequest } }
}

/// Reads `bytes` as a capture named `path`, `chunk` bytes per source read at most.
func readCapture(
    _ bytes: [UInt8], path: String = "t.pcap", chunk: Int = .max, bufferCapacity: Int = 1 << 20,
    maximumPacketLength: Int = 262_144, input: Int = 0
) throws(SensorError) -> CaptureResult {
    var reader = CaptureReader(
        source: MemoryByteSource(bytes, maximumChunk: chunk), path: path, input: input,
        bufferCapacity: bufferCapacity, maximumPacketLength: maximumPacketLength
    )
    var seen: [Seen] = []
    try reader.forEach { seen.append(Seen($0)) }
    let statistics = reader.statistics
    checkInvariants(statistics)
    #expect(try reader.next() == nil, "the reader stays at the end")
    return CaptureResult(seen: seen, statistics: statistics)
}

/// Every packet record is counted exactly once by kind.
func checkInvariants(_ s: CaptureStatistics, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
        s.packets == s.tcpPackets + s.udpPackets + s.otherIPv4Packets + s.nonIPv4Packets + s.nonFirstFragments + s.damagedPackets,
        "\(s)", sourceLocation: sourceLocation
    )
    #expect(s.damagedPackets <= s.skipped.count, sourceLocation: sourceLocation)
}

func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 {
    a << 24 | b << 16 | c << 8 | d
}

/// Appends integers in a chosen byte order.
struct ByteBuilder {
    var bytes: [UInt8] = []
    var bigEndian: Bool

    init(bigEndian: Bool = false) {
        self.bigEndian = bigEndian
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        let b = [UInt8(value >> 8), UInt8(value & 0xFF)]
        bytes += bigEndian ? b : b.reversed()
    }

    mutating func u32(_ value: UInt32) {
        let b = (0..<4).map { UInt8(value >> (24 - 8 * $0) & 0xFF) }
        bytes += bigEndian ? b : b.reversed()
    }

    mutating func u64(_ value: UInt64) {
        let b = (0..<8).map { UInt8(value >> (56 - 8 * $0) & 0xFF) }
        bytes += bigEndian ? b : b.reversed()
    }

    mutating func append(_ more: [UInt8]) { bytes += more }

    mutating func pad4() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }
}

/// Network-order packet builders.
enum Build {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xFFFF)) }

    static func ipv4(
        proto: UInt8, source: UInt32, destination: UInt32, transport: [UInt8], options: [UInt8] = [],
        totalLength: Int? = nil, flagsAndOffset: UInt16 = 0, version: UInt8 = 4, headerWords: UInt8? = nil
    ) -> [UInt8] {
        let words = headerWords ?? UInt8((20 + options.count) / 4)
        var b: [UInt8] = [version << 4 | words, 0]
        b += be16(UInt16(totalLength ?? (20 + options.count + transport.count)))
        b += be16(0x1234) + be16(flagsAndOffset) + [64, proto] + be16(0)
        b += be32(source) + be32(destination) + options
        return b + transport
    }

    static func tcp(
        sourcePort: UInt16, destinationPort: UInt16, flags: UInt8 = 0x02, payload: [UInt8] = [],
        options: [UInt8] = [], dataOffsetWords: UInt8? = nil
    ) -> [UInt8] {
        let words = dataOffsetWords ?? UInt8((20 + options.count) / 4)
        var b = be16(sourcePort) + be16(destinationPort) + be32(1000) + be32(0)
        b += [words << 4, flags] + be16(8192) + be16(0) + be16(0)
        return b + options + payload
    }

    static func udp(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8] = [], length: Int? = nil) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(length ?? (8 + payload.count))) + be16(0) + payload
    }

    static func tcpPacket(
        _ source: UInt32, _ sourcePort: UInt16, _ destination: UInt32, _ destinationPort: UInt16,
        flags: UInt8 = 0x02, payload: [UInt8] = []
    ) -> [UInt8] {
        ipv4(proto: 6, source: source, destination: destination,
             transport: tcp(sourcePort: sourcePort, destinationPort: destinationPort, flags: flags, payload: payload))
    }

    static func udpPacket(
        _ source: UInt32, _ sourcePort: UInt16, _ destination: UInt32, _ destinationPort: UInt16, payload: [UInt8] = []
    ) -> [UInt8] {
        ipv4(proto: 17, source: source, destination: destination,
             transport: udp(sourcePort: sourcePort, destinationPort: destinationPort, payload: payload))
    }

    /// An Ethernet II frame; `tags` are the TPIDs of VLAN tags, outermost first.
    static func ethernet(_ payload: [UInt8], type: UInt16 = 0x0800, tags: [UInt16] = []) -> [UInt8] {
        var b: [UInt8] = [0x02, 0, 0, 0, 0, 0x0B, 0x02, 0, 0, 0, 0, 0x0A]
        for (index, tpid) in tags.enumerated() { b += be16(tpid) + be16(UInt16(100 + index)) }
        return b + be16(type) + payload
    }

    static func sll(_ payload: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        be16(0) + be16(1) + be16(6) + [2, 0, 0, 0, 0, 0x0A, 0, 0] + be16(proto) + payload
    }

    static func sll2(_ payload: [UInt8], protocol proto: UInt16 = 0x0800) -> [UInt8] {
        be16(proto) + be16(0) + be32(2) + be16(1) + [0, 6] + [2, 0, 0, 0, 0, 0x0A, 0, 0] + payload
    }

    // MARK: pcap

    struct Record {
        var seconds: UInt32
        var fraction: UInt32
        var data: [UInt8]
        var capturedLength: UInt32? = nil
        var originalLength: UInt32? = nil
    }

    static func pcapHeader(nanoseconds: Bool = false, bigEndian: Bool = false, snapLength: UInt32 = 65535, linkType: UInt32 = 1) -> [UInt8] {
        var b = ByteBuilder(bigEndian: bigEndian)
        b.u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        b.u16(2)
        b.u16(4)
        b.u32(0)
        b.u32(0)
        b.u32(snapLength)
        b.u32(linkType)
        return b.bytes
    }

    static func pcapRecord(_ r: Record, bigEndian: Bool = false) -> [UInt8] {
        var b = ByteBuilder(bigEndian: bigEndian)
        b.u32(r.seconds)
        b.u32(r.fraction)
        b.u32(r.capturedLength ?? UInt32(r.data.count))
        b.u32(r.originalLength ?? UInt32(r.data.count))
        b.append(r.data)
        return b.bytes
    }

    static func pcap(
        nanoseconds: Bool = false, bigEndian: Bool = false, snapLength: UInt32 = 65535, linkType: UInt32 = 1,
        _ records: [Record]
    ) -> [UInt8] {
        pcapHeader(nanoseconds: nanoseconds, bigEndian: bigEndian, snapLength: snapLength, linkType: linkType)
            + records.flatMap { pcapRecord($0, bigEndian: bigEndian) }
    }

    // MARK: pcapng

    /// A block: type, total length, body padded to 4, total length (`trailer` overrides the last).
    static func block(_ type: UInt32, _ body: [UInt8], bigEndian: Bool = false, trailer: UInt32? = nil) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        var b = ByteBuilder(bigEndian: bigEndian)
        b.u32(type)
        b.u32(UInt32(12 + padded.count))
        b.append(padded)
        b.u32(trailer ?? UInt32(12 + padded.count))
        return b.bytes
    }

    static func sectionHeader(bigEndian: Bool = false, major: UInt16 = 1, minor: UInt16 = 0) -> [UInt8] {
        var body = ByteBuilder(bigEndian: bigEndian)
        body.u32(0x1A2B_3C4D)
        body.u16(major)
        body.u16(minor)
        body.u64(UInt64.max)  // section length unknown
        // An shb_userappl option ("test"), then opt_endofopt.
        body.u16(4)
        body.u16(4)
        body.append(Array("test".utf8))
        body.u16(0)
        body.u16(0)
        return block(0x0A0D_0D0A, body.bytes, bigEndian: bigEndian)
    }

    static func interface(
        bigEndian: Bool = false, linkType: UInt16 = 1, snapLength: UInt32 = 0, tsresol: UInt8? = nil, tsoffset: Int64? = nil
    ) -> [UInt8] {
        var body = ByteBuilder(bigEndian: bigEndian)
        body.u16(linkType)
        body.u16(0)
        body.u32(snapLength)
        // if_name "eth0" first, so the reader must walk the options.
        body.u16(2)
        body.u16(4)
        body.append(Array("eth0".utf8))
        if let tsresol {
            body.u16(9)
            body.u16(1)
            body.u8(tsresol)
            body.pad4()
        }
        if let tsoffset {
            body.u16(14)
            body.u16(8)
            body.u64(UInt64(bitPattern: tsoffset))
        }
        body.u16(0)
        body.u16(0)
        return block(1, body.bytes, bigEndian: bigEndian)
    }

    static func enhancedPacket(
        bigEndian: Bool = false, interface: UInt32, ticks: UInt64, _ data: [UInt8],
        capturedLength: UInt32? = nil, originalLength: UInt32? = nil, trailer: UInt32? = nil
    ) -> [UInt8] {
        var body = ByteBuilder(bigEndian: bigEndian)
        body.u32(interface)
        body.u32(UInt32(ticks >> 32))
        body.u32(UInt32(ticks & 0xFFFF_FFFF))
        body.u32(capturedLength ?? UInt32(data.count))
        body.u32(originalLength ?? UInt32(data.count))
        body.append(data)
        body.pad4()
        // An opt_comment, then opt_endofopt.
        body.u16(1)
        body.u16(2)
        body.append([0x68, 0x69, 0, 0])
        body.u16(0)
        body.u16(0)
        return block(6, body.bytes, bigEndian: bigEndian, trailer: trailer)
    }

    /// The obsolete Packet Block (type 2).
    static func obsoletePacket(bigEndian: Bool = false, interface: UInt16, ticks: UInt64, _ data: [UInt8]) -> [UInt8] {
        var body = ByteBuilder(bigEndian: bigEndian)
        body.u16(interface)
        body.u16(0)
        body.u32(UInt32(ticks >> 32))
        body.u32(UInt32(ticks & 0xFFFF_FFFF))
        body.u32(UInt32(data.count))
        body.u32(UInt32(data.count))
        body.append(data)
        return block(2, body.bytes, bigEndian: bigEndian)
    }

    static func simplePacket(bigEndian: Bool = false, _ data: [UInt8], originalLength: UInt32? = nil) -> [UInt8] {
        var body = ByteBuilder(bigEndian: bigEndian)
        body.u32(originalLength ?? UInt32(data.count))
        body.append(data)
        return block(3, body.bytes, bigEndian: bigEndian)
    }
}

/// Random bytes for the tests' random packets.
extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = next()
            for _ in 0..<min(8, count - index) {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return bytes
    }
}
