import WormWatchCore

/// Writes synthetic IPv4 packets to a classic pcap file, for the simulator's captures and
/// for tests. Nothing is ever sent on a network: packets only go to the file.
///
/// Every packet gets a valid IPv4 header checksum and a valid TCP or UDP checksum (with the
/// pseudo-header). Ethernet frames carry made-up locally administered addresses
/// (`02:00:00:00:00:01` to `02:00:00:00:00:02`). TCP packets have the don't-fragment bit set,
/// UDP packets do not. Packets are built directly in a 1 MiB output buffer (no allocation per
/// packet), which is written out when full, by ``flush()`` and by ``close()``. Call ``close()``
/// to learn of write errors: a writer released without it still flushes, but silently.
///
/// ```swift
/// let writer = try CaptureWriter(path: "scan.pcap")
/// try writer.appendTCPSyn(timeNanoseconds: t, source: a, destination: b, sourcePort: 3345,
///                         sequenceNumber: 1, ipIdentification: 7)
/// try writer.close()
/// ```
public final class CaptureWriter {
    /// Timestamp precision of the file (magic `a1b2c3d4` or `a1b23c4d`).
    public enum Precision: Sendable {
        /// Microseconds (`a1b2c3d4`), readable by every tool; times are truncated to the microsecond.
        case microseconds
        /// Nanoseconds (`a1b23c4d`).
        case nanoseconds
    }

    /// What each record starts with.
    public enum Link: Sendable {
        /// A 14-byte Ethernet II header (`LINKTYPE_ETHERNET`).
        case ethernet
        /// The IPv4 header itself (`LINKTYPE_RAW`, 101).
        case rawIPv4

        /// The link type written in the file header.
        public var linkType: LinkType {
            switch self {
            case .ethernet: .ethernet
            case .rawIPv4: .raw
            }
        }
    }

    /// TCP flag bits, for `appendTCPSegment(…flags:…)` (the same bits as `Observation.tcpFlags`).
    public enum TCPFlag {
        /// No more data from the sender.
        public static let fin: UInt8 = 0x01
        /// Synchronise sequence numbers (a connection attempt).
        public static let syn: UInt8 = 0x02
        /// Reset the connection.
        public static let rst: UInt8 = 0x04
        /// Push the data to the application.
        public static let psh: UInt8 = 0x08
        /// The acknowledgment number is valid.
        public static let ack: UInt8 = 0x10
    }

    /// The snaplen written in the file header (tcpdump's default): larger than any IPv4 frame.
    public static let snapLength: UInt32 = 262_144
    /// The size of the output buffer.
    public static let bufferCapacity = 1 << 20

    /// The path as given (`-` is standard output); used in messages.
    public let path: String
    /// The timestamp precision of the file.
    public let precision: Precision
    /// What each record starts with.
    public let link: Link
    /// Packets appended so far.
    public private(set) var packetsWritten = 0
    /// Bytes written to the file so far (including the 24-byte header and buffered bytes).
    public private(set) var bytesWritten: Int64 = 0

    private var file: OutputFile
    private let buffer: UnsafeMutableRawPointer
    private var count = 0
    private var isClosed = false

    /// Creates (or truncates) `path` and writes the pcap file header.
    ///
    /// - Throws: ``SensorError/unwritable(path:reason:)`` if the file cannot be created.
    public init(path: String, precision: Precision = .microseconds, link: Link = .ethernet) throws(SensorError) {
        self.path = path
        self.precision = precision
        self.link = link
        do { file = try OutputFile(path: path) } catch { throw .unwritable(path: path, reason: error.reason) }
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferCapacity, alignment: 16)
        let magic = precision == .microseconds ? PcapFileHeader.microsecondMagic : PcapFileHeader.nanosecondMagic
        CaptureBytes.storeLittleEndian32(magic, buffer, 0)
        CaptureBytes.storeLittleEndian16(PcapFileHeader.majorVersion, buffer, 4)
        CaptureBytes.storeLittleEndian16(PcapFileHeader.minorVersion, buffer, 6)
        CaptureBytes.storeLittleEndian32(0, buffer, 8)
        CaptureBytes.storeLittleEndian32(0, buffer, 12)
        CaptureBytes.storeLittleEndian32(Self.snapLength, buffer, 16)
        CaptureBytes.storeLittleEndian32(link.linkType.rawValue, buffer, 20)
        count = 24
        bytesWritten = 24
    }

    deinit {
        if !isClosed { _ = try? writeBuffer() }  // the file closes itself
        buffer.deallocate()
    }

    // MARK: Packets

    /// Appends a TCP SYN: a 20-byte IPv4 header and a TCP header of 20 bytes, or 28 with an
    /// MSS option, NOP, NOP and SACK-permitted (as Windows 2000 sent them) when
    /// `maximumSegmentSize` is given.
    ///
    /// - Throws: ``SensorError/unwritable(path:reason:)`` on a write error, a time before 1970
    ///   or after 2106, or a closed writer.
    public func appendTCPSyn(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16 = 80, sequenceNumber: UInt32, ipIdentification: UInt16,
        ttl: UInt8 = 113, window: UInt16 = 16384, maximumSegmentSize: UInt16? = 1460
    ) throws(SensorError) {
        try appendTCP(
            timeNanoseconds: timeNanoseconds, source: source, destination: destination, sourcePort: sourcePort,
            destinationPort: destinationPort, sequenceNumber: sequenceNumber, acknowledgmentNumber: 0,
            flags: TCPFlag.syn, ipIdentification: ipIdentification, ttl: ttl, window: window,
            maximumSegmentSize: maximumSegmentSize, payload: UnsafeRawBufferPointer(start: nil, count: 0)
        )
    }

    /// Appends a TCP segment carrying `payload` (by default PSH|ACK), with a 20-byte TCP header.
    ///
    /// - Throws: ``SensorError/unwritable(path:reason:)`` on a write error, a time outside
    ///   1970–2106, a payload too long for one IPv4 packet (65,495 bytes), or a closed writer.
    public func appendTCPSegment(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16 = 80, sequenceNumber: UInt32, acknowledgmentNumber: UInt32,
        flags: UInt8 = TCPFlag.psh | TCPFlag.ack, ipIdentification: UInt16, ttl: UInt8 = 113,
        window: UInt16 = 16384, payload: UnsafeRawBufferPointer
    ) throws(SensorError) {
        try appendTCP(
            timeNanoseconds: timeNanoseconds, source: source, destination: destination, sourcePort: sourcePort,
            destinationPort: destinationPort, sequenceNumber: sequenceNumber, acknowledgmentNumber: acknowledgmentNumber,
            flags: flags, ipIdentification: ipIdentification, ttl: ttl, window: window,
            maximumSegmentSize: nil, payload: payload
        )
    }

    /// Appends a TCP segment carrying `payload` (see the `UnsafeRawBufferPointer` variant).
    public func appendTCPSegment(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16 = 80, sequenceNumber: UInt32, acknowledgmentNumber: UInt32,
        flags: UInt8 = TCPFlag.psh | TCPFlag.ack, ipIdentification: UInt16, ttl: UInt8 = 113,
        window: UInt16 = 16384, payload: [UInt8]
    ) throws(SensorError) {
        // Array's withUnsafeBytes rethrows untyped errors: carry ours out in a Result.
        let result = payload.withUnsafeBytes { bytes in
            Result { () throws(SensorError) in
                try appendTCPSegment(
                    timeNanoseconds: timeNanoseconds, source: source, destination: destination,
                    sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequenceNumber,
                    acknowledgmentNumber: acknowledgmentNumber, flags: flags, ipIdentification: ipIdentification,
                    ttl: ttl, window: window, payload: bytes
                )
            }
        }
        try result.get()
    }

    /// Appends a UDP datagram carrying `payload` (20-byte IPv4 header, 8-byte UDP header).
    ///
    /// - Throws: ``SensorError/unwritable(path:reason:)`` on a write error, a time outside
    ///   1970–2106, a payload too long for one IPv4 packet (65,507 bytes), or a closed writer.
    public func appendUDP(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16, ipIdentification: UInt16, ttl: UInt8 = 113, payload: UnsafeRawBufferPointer
    ) throws(SensorError) {
        let udpLength = 8 + payload.count
        let ip = try beginPacket(
            timeNanoseconds: timeNanoseconds, source: source, destination: destination, protocol: .udp,
            transportLength: udpLength, ipIdentification: ipIdentification, ttl: ttl, dontFragment: false
        )
        let udp = ip + 20
        CaptureBytes.storeBigEndian16(sourcePort, udp, 0)
        CaptureBytes.storeBigEndian16(destinationPort, udp, 2)
        CaptureBytes.storeBigEndian16(UInt16(udpLength), udp, 4)
        CaptureBytes.storeBigEndian16(0, udp, 6)
        if let base = payload.baseAddress, payload.count > 0 {
            (udp + 8).copyMemory(from: base, byteCount: payload.count)
        }
        var sum = InternetChecksum.pseudoHeader(source: source, destination: destination, protocol: IPProtocol.udp.rawValue, length: udpLength)
        sum = InternetChecksum.add(udp, count: udpLength, to: sum)
        let checksum = InternetChecksum.finish(sum)
        // 0 means "no checksum" in UDP; a computed 0 is sent as its other representation.
        CaptureBytes.storeBigEndian16(checksum == 0 ? 0xFFFF : checksum, udp, 6)
        finishPacket(ipLength: 20 + udpLength)
    }

    /// Appends a UDP datagram carrying `payload` (see the `UnsafeRawBufferPointer` variant).
    public func appendUDP(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16, ipIdentification: UInt16, ttl: UInt8 = 113, payload: [UInt8]
    ) throws(SensorError) {
        // Array's withUnsafeBytes rethrows untyped errors: carry ours out in a Result.
        let result = payload.withUnsafeBytes { bytes in
            Result { () throws(SensorError) in
                try appendUDP(
                    timeNanoseconds: timeNanoseconds, source: source, destination: destination,
                    sourcePort: sourcePort, destinationPort: destinationPort,
                    ipIdentification: ipIdentification, ttl: ttl, payload: bytes
                )
            }
        }
        try result.get()
    }

    // MARK: Output

    /// Writes the buffered packets to the file.
    public func flush() throws(SensorError) {
        guard !isClosed else { throw .unwritable(path: path, reason: "writer already closed") }
        try writeBuffer()
    }

    /// Flushes and closes the file; later appends throw. Closing twice does nothing.
    public func close() throws(SensorError) {
        guard !isClosed else { return }
        isClosed = true
        var failure: SensorError?
        do {
            try writeBuffer()
        } catch {
            failure = error
        }
        do { try file.close() } catch {
            if failure == nil { failure = .unwritable(path: path, reason: error.reason) }
        }
        if let failure { throw failure }
    }

    // MARK: Building

    private func appendTCP(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, sourcePort: UInt16,
        destinationPort: UInt16, sequenceNumber: UInt32, acknowledgmentNumber: UInt32, flags: UInt8,
        ipIdentification: UInt16, ttl: UInt8, window: UInt16, maximumSegmentSize: UInt16?,
        payload: UnsafeRawBufferPointer
    ) throws(SensorError) {
        let headerLength = maximumSegmentSize == nil ? 20 : 28
        let tcpLength = headerLength + payload.count
        let ip = try beginPacket(
            timeNanoseconds: timeNanoseconds, source: source, destination: destination, protocol: .tcp,
            transportLength: tcpLength, ipIdentification: ipIdentification, ttl: ttl, dontFragment: true
        )
        let tcp = ip + 20
        CaptureBytes.storeBigEndian16(sourcePort, tcp, 0)
        CaptureBytes.storeBigEndian16(destinationPort, tcp, 2)
        CaptureBytes.storeBigEndian32(sequenceNumber, tcp, 4)
        CaptureBytes.storeBigEndian32(acknowledgmentNumber, tcp, 8)
        tcp.storeBytes(of: UInt8(headerLength / 4) << 4, toByteOffset: 12, as: UInt8.self)
        tcp.storeBytes(of: flags, toByteOffset: 13, as: UInt8.self)
        CaptureBytes.storeBigEndian16(window, tcp, 14)
        CaptureBytes.storeBigEndian32(0, tcp, 16)  // checksum, urgent pointer
        if let mss = maximumSegmentSize {
            // MSS (kind 2, length 4), NOP, NOP, SACK permitted (kind 4, length 2).
            CaptureBytes.storeBigEndian16(0x0204, tcp, 20)
            CaptureBytes.storeBigEndian16(mss, tcp, 22)
            CaptureBytes.storeBigEndian32(0x0101_0402, tcp, 24)
        }
        if let base = payload.baseAddress, payload.count > 0 {
            (tcp + headerLength).copyMemory(from: base, byteCount: payload.count)
        }
        var sum = InternetChecksum.pseudoHeader(source: source, destination: destination, protocol: IPProtocol.tcp.rawValue, length: tcpLength)
        sum = InternetChecksum.add(tcp, count: tcpLength, to: sum)
        CaptureBytes.storeBigEndian16(InternetChecksum.finish(sum), tcp, 16)
        finishPacket(ipLength: 20 + tcpLength)
    }

    /// Makes room, writes the record header, the link header and the IPv4 header; returns
    /// where the IPv4 header starts. ``finishPacket(ipLength:)`` commits it.
    private func beginPacket(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, protocol proto: IPProtocol,
        transportLength: Int, ipIdentification: UInt16, ttl: UInt8, dontFragment: Bool
    ) throws(SensorError) -> UnsafeMutableRawPointer {
        guard !isClosed else { throw .unwritable(path: path, reason: "writer already closed") }
        let ipLength = 20 + transportLength
        guard ipLength <= 65535 else {
            throw .unwritable(path: path, reason: "\(ipLength)-byte packet too long for IPv4 (65535 bytes at most)")
        }
        let seconds = timeNanoseconds / 1_000_000_000
        guard timeNanoseconds >= 0, seconds <= Int64(UInt32.max) else {
            throw .unwritable(path: path, reason: "time \(timeNanoseconds) ns outside what a pcap can store (1970 to 2106)")
        }
        let linkLength = link == .ethernet ? 14 : 0
        let recordLength = 16 + linkLength + ipLength
        if count + recordLength > Self.bufferCapacity { try writeBuffer() }

        let record = buffer + count
        let nanoseconds = timeNanoseconds % 1_000_000_000
        let fraction = precision == .microseconds ? nanoseconds / 1000 : nanoseconds
        CaptureBytes.storeLittleEndian32(UInt32(seconds), record, 0)
        CaptureBytes.storeLittleEndian32(UInt32(fraction), record, 4)
        CaptureBytes.storeLittleEndian32(UInt32(linkLength + ipLength), record, 8)
        CaptureBytes.storeLittleEndian32(UInt32(linkLength + ipLength), record, 12)
        if link == .ethernet {
            let frame = record + 16
            CaptureBytes.storeBigEndian32(0x0200_0000, frame, 0)  // destination 02:00:00:00:00:02
            CaptureBytes.storeBigEndian32(0x0002_0200, frame, 4)  // … source 02:00:00:00:00:01
            CaptureBytes.storeBigEndian32(0x0000_0001, frame, 8)
            CaptureBytes.storeBigEndian16(EtherType.ipv4.rawValue, frame, 12)
        }
        let ip = record + 16 + linkLength
        CaptureBytes.storeBigEndian16(0x4500, ip, 0)  // version 4, header length 5 words, no TOS
        CaptureBytes.storeBigEndian16(UInt16(ipLength), ip, 2)
        CaptureBytes.storeBigEndian16(ipIdentification, ip, 4)
        CaptureBytes.storeBigEndian16(dontFragment ? 0x4000 : 0, ip, 6)
        ip.storeBytes(of: ttl, toByteOffset: 8, as: UInt8.self)
        ip.storeBytes(of: proto.rawValue, toByteOffset: 9, as: UInt8.self)
        CaptureBytes.storeBigEndian16(0, ip, 10)
        CaptureBytes.storeBigEndian32(source, ip, 12)
        CaptureBytes.storeBigEndian32(destination, ip, 16)
        CaptureBytes.storeBigEndian16(InternetChecksum.finish(InternetChecksum.add(ip, count: 20)), ip, 10)
        return ip
    }

    private func finishPacket(ipLength: Int) {
        let recordLength = 16 + (link == .ethernet ? 14 : 0) + ipLength
        count += recordLength
        bytesWritten += Int64(recordLength)
        packetsWritten += 1
    }

    private func writeBuffer() throws(SensorError) {
        defer { count = 0 }
        do { try file.write(buffer, count: count) } catch { throw .unwritable(path: path, reason: error.reason) }
    }
}
