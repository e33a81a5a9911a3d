/// Streams the IPv4 TCP and UDP packets of a pcap or pcapng capture as ``Observation``s.
///
/// A capture still being written can be read as it grows: with a source that returns
/// ``ByteSource/pending`` (a ``FollowByteSource`` that does not wait), ``next()`` returns `nil`
/// with ``isWaiting`` set when a record is not complete yet, and goes on from there later.
///
/// The reader owns one buffer that it reuses (1 MiB by default), so memory stays flat
/// whatever the capture's size; it grows only to hold a single record larger than itself, and
/// never beyond the record limit (`maximumPacketLength`, 256 KiB by default, plus 4 KiB for
/// pcapng block headers). Records may cross the source's chunk boundaries anywhere.
///
/// Formats (found from the first four bytes; see `CaptureFormat.detect(_:)`):
/// - pcap with microsecond (`a1b2c3d4`) or nanosecond (`a1b23c4d`) timestamps, either byte
///   order, with the snaplen and link type of its header;
/// - pcapng: any number of sections, each in its own byte order; interfaces with their link
///   type, snaplen, `if_tsresol` (powers of 10 or 2; microseconds by default) and
///   `if_tsoffset`; Enhanced, Simple and obsolete Packet Blocks; other blocks are skipped by
///   their length. A Simple Packet Block has no timestamp: it gets the time of the last
///   packet read before it in the file, 0 if none.
///
/// Link types: Ethernet (with 802.1Q/802.1ad VLAN tags), raw IP (`LINKTYPE_RAW` 101, `DLT_RAW`
/// 12 and 14), `LINKTYPE_IPV4` (228), Linux cooked captures (113, 276) and BSD loopback (0, 108).
///
/// Each IPv4 TCP segment or UDP datagram is delivered as a `.tcpPacket` or `.udpPacket`
/// observation whose `record` is the 1-based packet number in the file. A TCP payload that
/// starts with an HTTP/1.x request line is delivered a second time right after, as an
/// `.httpRequest` observation with `method` and `target` pointing into the payload. IPv4
/// fragments after the first, other IP protocols and non-IPv4 frames are only counted in
/// ``statistics``.
///
/// Damage: a damaged packet is skipped and counted in `statistics.skipped` with its location
/// (`FILE: packet 12 (offset 4096)`), and reading goes on. When the framing itself is broken
/// reading stops with one skip entry that says so: a pcap record header whose caplen exceeds
/// the record limit (a pcap has no markers to resynchronise on, so nothing after it can be
/// trusted), or a pcapng block length under 12 or not a multiple of 4. A pcapng block longer
/// than the limit is skipped (dropped as it streams by, never buffered) and reading goes on.
/// A record cut short by the end of the input is skipped as `truncated record at end of file`.
/// Input that is not a capture at all throws ``SensorError/unrecognizedFormat(path:reason:)``.
/// The reader never traps, and every step consumes input, so it always ends.
///
/// ```swift
/// var reader = CaptureReader(source: try FileByteSource(path: path), path: path)
/// try reader.forEach { observation in
///     // observation.payload is valid only inside this closure
/// }
/// print(reader.statistics.tcpPackets, reader.statistics.skipped.count)
/// ```
public struct CaptureReader<Source: ByteSource>: ~Copyable {
    /// The default record limit: the largest packet tcpdump captures (its default snaplen).
    public static var defaultMaximumPacketLength: Int { 262_144 }

    @usableFromInline var source: Source
    @usableFromInline var decoder: CaptureDecoder

    /// A reader of `source`, named `path` in messages, whose observations carry `input`.
    ///
    /// - Parameters:
    ///   - leadingBytes: bytes already taken from `source` (to sniff the format, say); they
    ///     are read first.
    ///   - bufferCapacity: the buffer's initial size.
    ///   - maximumPacketLength: the largest captured packet accepted.
    public init(
        source: Source, path: String, input: Int = 0, leadingBytes: [UInt8] = [],
        bufferCapacity: Int = 1 << 20, maximumPacketLength: Int = Self.defaultMaximumPacketLength
    ) {
        self.source = source
        decoder = CaptureDecoder(
            path: path, input: input, bufferCapacity: bufferCapacity,
            maximumPacketLength: maximumPacketLength, leadingBytes: leadingBytes
        )
    }

    /// Whether the last ``next()`` returned `nil` because the source has nothing yet
    /// (``ByteSource/pending``), not because the capture ended: call it again later.
    public var isWaiting: Bool { waiting }
    @usableFromInline var waiting = false

    /// What has been read so far (complete once ``next()`` has returned `nil`).
    public var statistics: CaptureStatistics { decoder.statistics }

    /// The format, once the first call to ``next()`` has read the file header.
    public var format: CaptureFormat? { decoder.format }

    /// The link type of a pcap file's header, once read (pcapng has one per interface).
    public var pcapLinkType: LinkType? { decoder.format == .pcap ? decoder.pcapLinkType : nil }

    /// The next observation, or `nil` at the end of the capture.
    ///
    /// The observation's `payload`, `method` and `target` point into the reader's buffer and
    /// are valid only until the next call.
    ///
    /// - Throws: ``SensorError/unrecognizedFormat(path:reason:)`` if the input is not a pcap or
    ///   pcapng capture (empty, bad magic, truncated or invalid file header), or the source's
    ///   read error.
    @inlinable
    public mutating func next() throws(SensorError) -> Observation? {
        if decoder.pendingHTTP { return decoder.takeHTTPRequest() }
        waiting = false
        while true {
            switch try decoder.step() {
            case .observation:
                return decoder.observation
            case .needBytes(let needed):
                if !(try fill(needed)) {
                    waiting = true
                    return nil
                }
            case .finished:
                return nil
            }
        }
    }

    /// Calls `body` with every observation, in order (see ``next()``).
    @inlinable
    public mutating func forEach(_ body: (borrowing Observation) throws(SensorError) -> Void) throws(SensorError) {
        while let observation = try next() {
            try body(observation)
        }
    }

    /// Reads until `needed` unread bytes are buffered (and any oversized block is dropped),
    /// or the source ends; `false` if the source has nothing yet (``ByteSource/pending``).
    @inlinable
    mutating func fill(_ needed: Int) throws(SensorError) -> Bool {
        while !decoder.sourceEnded && (decoder.discardRemaining > 0 || decoder.available < needed) {
            let space = decoder.readableSpace(atLeast: needed)
            let count = try source.read(into: space)
            if count < 0 { return false }
            decoder.didRead(count)
        }
        return true
    }
}
