/// The part of a ``CaptureReader`` that does not depend on where the bytes come from: the
/// buffer, the pcap and pcapng framing, and the packet decoders.
///
/// It is not generic, so the per-packet work is compiled once, optimised, in this module; the
/// generic reader only moves bytes from its source into ``readableSpace(atLeast:)``.
///
/// The buffer holds the unread bytes `storage[start..<end]`; `bufferOffset` is the file
/// offset of `storage[0]`. It is compacted before every read and grows, up to
/// `maximumCapacity`, only when one record does not fit.
@usableFromInline
struct CaptureDecoder: ~Copyable {
    /// What ``step()`` produced.
    @usableFromInline
    enum Step {
        /// ``observation`` holds a TCP or UDP packet (and ``pendingHTTP`` may be set).
        case observation
        /// At least this many unread bytes are needed to go on (never more than the capacity cap).
        case needBytes(Int)
        /// Nothing more will be read.
        case finished
    }

    @usableFromInline
    enum State {
        case fileHeader, pcap, pcapng, finished
    }

    @usableFromInline var storage: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline let maximumCapacity: Int
    @usableFromInline var start = 0
    @usableFromInline var end = 0
    @usableFromInline var bufferOffset: Int64 = 0
    /// Bytes of an oversized pcapng block still to drop as they arrive.
    @usableFromInline var discardRemaining = 0
    /// Whether the source has returned 0 (end of input).
    @usableFromInline var sourceEnded = false

    @usableFromInline let path: String
    @usableFromInline let input: Int
    /// The largest captured packet accepted (pcap `caplen`).
    @usableFromInline let maximumPacketLength: Int
    /// The largest pcapng block accepted: a packet of the largest size plus 4 KiB of headers and options.
    @usableFromInline var maximumBlockLength: Int { maximumPacketLength + 4096 }

    @usableFromInline var statistics = CaptureStatistics()
    @usableFromInline var format: CaptureFormat?
    @usableFromInline var state = State.fileHeader

    // pcap
    @usableFromInline var pcapBigEndian = false
    @usableFromInline var pcapNanoseconds = false
    /// The header's snaplen, or `Int.max` when the header says 0.
    @usableFromInline var pcapSnapLength = Int.max
    @usableFromInline var pcapHeaderSnapLength = 0
    @usableFromInline var pcapLinkType = LinkType.ethernet

    // pcapng
    @usableFromInline var sectionBigEndian = false
    @usableFromInline var sections = 0
    @usableFromInline var interfaces: [PcapngInterface] = []
    /// The time of the last packet with a timestamp; simple packet blocks, which have none, get it.
    @usableFromInline var lastTime: Int64 = 0

    @usableFromInline var packetNumber = 0
    @usableFromInline var observation: Observation
    @usableFromInline var pendingHTTP = false
    @usableFromInline var httpObservation: Observation

    @usableFromInline static let interfaceLimit = 65536

    @usableFromInline
    init(path: String, input: Int, bufferCapacity: Int, maximumPacketLength: Int, leadingBytes: [UInt8]) {
        self.path = path
        self.input = input
        self.maximumPacketLength = max(64, maximumPacketLength)
        maximumCapacity = max(bufferCapacity, self.maximumPacketLength + 4096 + 16, leadingBytes.count)
        capacity = min(maximumCapacity, max(bufferCapacity, 64, leadingBytes.count))
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        if !leadingBytes.isEmpty {
            leadingBytes.withUnsafeBytes { [storage] bytes in
                if let base = bytes.baseAddress { storage.copyMemory(from: base, byteCount: bytes.count) }
            }
            end = leadingBytes.count
            statistics.bytesRead = Int64(leadingBytes.count)
        }
        observation = Observation(kind: .tcpPacket, timeNanoseconds: 0, source: 0, destination: 0, destinationPort: 0, input: input, record: 0)
        httpObservation = observation
    }

    @inlinable
    deinit {
        storage.deallocate()
    }

    // MARK: Buffer

    @inlinable
    var available: Int { end - start }

    /// Free space after the unread bytes, once they are moved to the front and the buffer has
    /// grown (up to its cap) to hold `needed` bytes.
    @usableFromInline
    mutating func readableSpace(atLeast needed: Int) -> UnsafeMutableRawBufferPointer {
        if start > 0 {
            let unread = end - start
            if unread > 0 { storage.copyMemory(from: storage + start, byteCount: unread) }
            bufferOffset += Int64(start)
            end = unread
            start = 0
        }
        if needed > capacity && capacity < maximumCapacity {
            let newCapacity = min(maximumCapacity, max(needed, capacity * 2))
            let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            newStorage.copyMemory(from: storage, byteCount: end)
            storage.deallocate()
            storage = newStorage
            capacity = newCapacity
        }
        return UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end)
    }

    /// Takes note of `count` bytes read into the space ``readableSpace(atLeast:)`` returned; 0 is the end.
    @usableFromInline
    mutating func didRead(_ count: Int) {
        let count = min(max(0, count), capacity - end)
        guard count > 0 else {
            sourceEnded = true
            return
        }
        end += count
        statistics.bytesRead += Int64(count)
        if discardRemaining > 0 {
            let dropped = min(discardRemaining, end - start)
            start += dropped
            discardRemaining -= dropped
        }
    }

    // MARK: Steps

    /// Reads records from the buffer until one yields an observation, more bytes are needed,
    /// or the input is finished.
    @usableFromInline
    mutating func step() throws(SensorError) -> Step {
        while true {
            switch state {
            case .pcap:
                return pcapRecords()
            case .pcapng:
                return try pcapngBlocks()
            case .finished:
                return .finished
            case .fileHeader:
                if let needed = try fileHeader() { return .needBytes(needed) }
            }
        }
    }

    /// The HTTP request found in the last TCP packet, delivered after it.
    @inlinable
    mutating func takeHTTPRequest() -> Observation {
        pendingHTTP = false
        return httpObservation
    }

    /// Recognises the format; returns how many bytes it needs, or `nil` once the state moved on.
    @usableFromInline
    mutating func fileHeader() throws(SensorError) -> Int? {
        let available = end - start
        guard available >= 4 else {
            if !sourceEnded { return 4 }
            throw .unrecognizedFormat(
                path: path,
                reason: available == 0 ? "empty file, not a pcap or pcapng capture" : "\(available)-byte file, not a pcap or pcapng capture"
            )
        }
        let header = UnsafeRawPointer(storage + start)
        let magic = CaptureBytes.bigEndian32(header, 0)
        switch CaptureFormat.detect(magic: magic) {
        case .pcap:
            guard available >= 24 else {
                if !sourceEnded { return 24 }
                throw .unrecognizedFormat(path: path, reason: "truncated pcap file header (\(available) of 24 bytes)")
            }
            let bigEndian = magic == PcapFileHeader.microsecondMagic || magic == PcapFileHeader.nanosecondMagic
            pcapBigEndian = bigEndian
            pcapNanoseconds = magic == PcapFileHeader.nanosecondMagic || magic == PcapFileHeader.nanosecondMagicSwapped
            let snapLength = Int(CaptureBytes.uint32(header, 16, bigEndian: bigEndian))
            pcapHeaderSnapLength = snapLength
            pcapSnapLength = snapLength == 0 ? .max : snapLength
            pcapLinkType = LinkType(rawValue: CaptureBytes.uint32(header, 20, bigEndian: bigEndian) & PcapFileHeader.linkTypeMask)
            start += 24
            format = .pcap
            state = .pcap
        case .pcapng:
            format = .pcapng
            state = .pcapng
        case nil:
            throw .unrecognizedFormat(path: path, reason: "bad magic 0x\(Self.hex(magic)), not a pcap or pcapng capture")
        }
        return nil
    }

    @usableFromInline
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: pcap

    /// Classic pcap records: a 16-byte header (seconds, micro- or nanoseconds, caplen, len),
    /// then caplen bytes.
    @usableFromInline
    mutating func pcapRecords() -> Step {
        let bigEndian = pcapBigEndian
        let snapLength = pcapSnapLength
        let limit = maximumPacketLength
        let fractionScale: Int64 = pcapNanoseconds ? 1 : 1000
        while true {
            let available = end - start
            guard available >= 16 else { return needOrTruncated(16, packet: true) }
            let record = UnsafeRawPointer(storage + start)
            let capturedLength = Int(CaptureBytes.uint32(record, 8, bigEndian: bigEndian))
            let total = 16 + capturedLength
            if capturedLength > snapLength || capturedLength > limit {
                let offset = bufferOffset + Int64(start)
                let headerSnapLength = pcapHeaderSnapLength
                if capturedLength > limit {
                    // The length is nonsense, so the next record's position is unknown: a pcap
                    // has no markers to resynchronise on.
                    let snap = capturedLength > snapLength ? "snaplen \(headerSnapLength) and " : ""
                    stop(at: offset, packet: true, "caplen \(capturedLength) larger than \(snap)the \(limit)-byte limit, rest of file not read")
                    return .finished
                }
                guard available >= total else { return needOrTruncated(total, packet: true) }
                packetNumber += 1
                statistics.packets += 1
                skipPacket(at: offset, "caplen \(capturedLength) larger than snaplen \(headerSnapLength)")
                start += total
                continue
            }
            guard available >= total else { return needOrTruncated(total, packet: true) }
            packetNumber += 1
            statistics.packets += 1
            let seconds = Int64(CaptureBytes.uint32(record, 0, bigEndian: bigEndian))
            let fraction = Int64(CaptureBytes.uint32(record, 4, bigEndian: bigEndian))
            let time = seconds &* 1_000_000_000 &+ fraction &* fractionScale
            let offset = bufferOffset + Int64(start)
            start += total
            if decodeFrame(record + 16, count: capturedLength, linkType: pcapLinkType, time: time, offset: offset) {
                return .observation
            }
        }
    }

    // MARK: pcapng

    /// pcapng blocks: type, total length, body, total length again, in the section's byte order.
    @usableFromInline
    mutating func pcapngBlocks() throws(SensorError) -> Step {
        while true {
            let available = end - start
            guard available >= 12 else {
                if sections == 0 && sourceEnded {
                    throw .unrecognizedFormat(path: path, reason: "truncated pcapng section header block")
                }
                var packet = false
                if available >= 4 {
                    let type = CaptureBytes.uint32(UnsafeRawPointer(storage + start), 0, bigEndian: sectionBigEndian)
                    packet = PcapngBlockType(rawValue: type).isPacket
                }
                return needOrTruncated(12, packet: packet)
            }
            let block = UnsafeRawPointer(storage + start)
            let offset = bufferOffset + Int64(start)
            if CaptureBytes.bigEndian32(block, 0) == PcapngBlockType.sectionHeader.rawValue {
                if let step = try sectionHeader(block, available: available, offset: offset) { return step }
                continue
            }
            let bigEndian = sectionBigEndian
            let type = PcapngBlockType(rawValue: CaptureBytes.uint32(block, 0, bigEndian: bigEndian))
            let lengthField = CaptureBytes.uint32(block, 4, bigEndian: bigEndian)
            let length = Int(lengthField)
            guard length >= 12 else {
                stop(at: offset, packet: false, "block length \(length), rest of file not read")
                return .finished
            }
            guard length % 4 == 0 else {
                stop(at: offset, packet: false, "block length \(length) not a multiple of 4, rest of file not read")
                return .finished
            }
            if length > maximumBlockLength {
                let limit = maximumBlockLength
                skipBlock(type: type, at: offset, "block length \(length) larger than the \(limit)-byte limit")
                let dropped = min(length, available)
                start += dropped
                discardRemaining = length - dropped
                continue
            }
            guard available >= length else { return needOrTruncated(length, packet: type.isPacket) }
            start += length
            let trailing = CaptureBytes.uint32(block, length - 4, bigEndian: bigEndian)
            guard trailing == lengthField else {
                skipBlock(type: type, at: offset, "trailing block length \(trailing) differs from \(length)")
                continue
            }
            switch type {
            case .enhancedPacket:
                if packetBlock(block, length: length, offset: offset, enhanced: true) { return .observation }
            case .simplePacket:
                if simplePacketBlock(block, length: length, offset: offset) { return .observation }
            case .obsoletePacket:
                if packetBlock(block, length: length, offset: offset, enhanced: false) { return .observation }
            case .interfaceDescription:
                interfaceDescription(block, length: length, offset: offset)
            default:
                // Name resolution, interface statistics, decryption secrets, custom blocks…
                break
            }
        }
    }

    /// A Section Header Block: byte order, version; forgets the previous section's interfaces.
    /// Returns `nil` once read, or what the caller should return. A bad first section header
    /// means the file is not a pcapng at all (thrown); a later one ends the reading.
    @usableFromInline
    mutating func sectionHeader(_ block: UnsafeRawPointer, available: Int, offset: Int64) throws(SensorError) -> Step? {
        let byteOrderMagic = CaptureBytes.bigEndian32(block, 8)
        let bigEndian: Bool
        switch byteOrderMagic {
        case PcapngSectionHeader.byteOrderMagic: bigEndian = true
        case PcapngSectionHeader.byteOrderMagicSwapped: bigEndian = false
        default:
            return try badSection(at: offset, "bad pcapng byte-order magic 0x\(Self.hex(byteOrderMagic))")
        }
        let lengthField = CaptureBytes.uint32(block, 4, bigEndian: bigEndian)
        let length = Int(lengthField)
        guard length >= 28, length % 4 == 0 else {
            return try badSection(at: offset, "section header block length \(length)")
        }
        guard length <= maximumBlockLength else {
            let limit = maximumBlockLength
            return try badSection(at: offset, "section header block length \(length) larger than the \(limit)-byte limit")
        }
        guard available >= length else {
            if !sourceEnded { return .needBytes(length) }
            return try badSection(at: offset, "truncated pcapng section header block")
        }
        let major = CaptureBytes.uint16(block, 12, bigEndian: bigEndian)
        let minor = CaptureBytes.uint16(block, 14, bigEndian: bigEndian)
        guard major == PcapngSectionHeader.majorVersion else {
            return try badSection(at: offset, "pcapng version \(major).\(minor) not supported")
        }
        let trailing = CaptureBytes.uint32(block, length - 4, bigEndian: bigEndian)
        guard trailing == lengthField else {
            return try badSection(at: offset, "trailing block length \(trailing) differs from \(length)")
        }
        sectionBigEndian = bigEndian
        interfaces.removeAll(keepingCapacity: true)
        sections += 1
        start += length
        return nil
    }

    @usableFromInline
    mutating func badSection(at offset: Int64, _ reason: String) throws(SensorError) -> Step {
        if sections == 0 { throw .unrecognizedFormat(path: path, reason: reason) }
        stop(at: offset, packet: false, reason + ", rest of file not read")
        return .finished
    }

    /// An Interface Description Block: link type, snaplen, `if_tsresol`, `if_tsoffset`.
    @usableFromInline
    mutating func interfaceDescription(_ block: UnsafeRawPointer, length: Int, offset: Int64) {
        guard length >= 20 else {
            skipBlock(type: .interfaceDescription, at: offset, "interface description block length \(length) too short")
            return
        }
        guard interfaces.count < Self.interfaceLimit else {
            let limit = Self.interfaceLimit
            skipBlock(type: .interfaceDescription, at: offset, "more than \(limit) interfaces in one section")
            return
        }
        let bigEndian = sectionBigEndian
        let linkType = LinkType(rawValue: UInt32(CaptureBytes.uint16(block, 8, bigEndian: bigEndian)))
        let snapLength = Int(CaptureBytes.uint32(block, 12, bigEndian: bigEndian))
        var resolution = TimestampResolution.microseconds
        var offsetSeconds: Int64 = 0
        var position = 16
        let optionsEnd = length - 4
        while position + 4 <= optionsEnd {
            let code = PcapngOption(rawValue: CaptureBytes.uint16(block, position, bigEndian: bigEndian))
            let optionLength = Int(CaptureBytes.uint16(block, position + 2, bigEndian: bigEndian))
            let value = position + 4
            guard code != .endOfOptions, value + optionLength <= optionsEnd else { break }
            if code == .ifTsresol && optionLength >= 1 {
                resolution = TimestampResolution(tsresol: CaptureBytes.byte(block, value))
            } else if code == .ifTsoffset && optionLength >= 8 {
                offsetSeconds = Int64(bitPattern: CaptureBytes.uint64(block, value, bigEndian: bigEndian))
            }
            position = value + (optionLength + 3) & ~3
        }
        interfaces.append(PcapngInterface(linkType: linkType, snapLength: snapLength, resolution: resolution, offsetSeconds: offsetSeconds))
    }

    /// An Enhanced Packet Block or the obsolete Packet Block (16-bit interface id).
    @usableFromInline
    mutating func packetBlock(_ block: UnsafeRawPointer, length: Int, offset: Int64, enhanced: Bool) -> Bool {
        packetNumber += 1
        statistics.packets += 1
        guard length >= 32 else {
            skipPacket(at: offset, "packet block length \(length) too short")
            return false
        }
        let bigEndian = sectionBigEndian
        let interfaceID = enhanced
            ? Int(CaptureBytes.uint32(block, 8, bigEndian: bigEndian))
            : Int(CaptureBytes.uint16(block, 8, bigEndian: bigEndian))
        let capturedLength = Int(CaptureBytes.uint32(block, 20, bigEndian: bigEndian))
        guard capturedLength <= length - 32 else {
            skipPacket(at: offset, "captured length \(capturedLength) larger than its block")
            return false
        }
        let interfaceCount = interfaces.count
        guard interfaceID < interfaceCount else {
            skipPacket(at: offset, "unknown interface \(interfaceID) (\(interfaceCount) in this section)")
            return false
        }
        let interface = interfaces[interfaceID]
        let time = interface.nanoseconds(
            high: CaptureBytes.uint32(block, 12, bigEndian: bigEndian),
            low: CaptureBytes.uint32(block, 16, bigEndian: bigEndian)
        )
        lastTime = time
        return decodeFrame(block + 28, count: capturedLength, linkType: interface.linkType, time: time, offset: offset)
    }

    /// A Simple Packet Block: interface 0, no timestamp (the last packet's time is used).
    @usableFromInline
    mutating func simplePacketBlock(_ block: UnsafeRawPointer, length: Int, offset: Int64) -> Bool {
        packetNumber += 1
        statistics.packets += 1
        guard length >= 16 else {
            skipPacket(at: offset, "simple packet block length \(length) too short")
            return false
        }
        guard let interface = interfaces.first else {
            skipPacket(at: offset, "simple packet block before any interface description")
            return false
        }
        let originalLength = Int(CaptureBytes.uint32(block, 8, bigEndian: sectionBigEndian))
        var capturedLength = min(originalLength, length - 16)
        if interface.snapLength > 0 { capturedLength = min(capturedLength, interface.snapLength) }
        return decodeFrame(block + 12, count: capturedLength, linkType: interface.linkType, time: lastTime, offset: offset)
    }

    // MARK: Skips

    /// More bytes, or, at the end of the input, the end (clean if nothing is left, else a
    /// truncated record).
    @usableFromInline
    mutating func needOrTruncated(_ needed: Int, packet: Bool) -> Step {
        if !sourceEnded { return .needBytes(needed) }
        if end > start {
            let offset = bufferOffset + Int64(start)
            let path = self.path
            let location = packet ? "\(path): packet \(packetNumber + 1) (offset \(offset))" : "\(path): offset \(offset)"
            statistics.skipped.record(location, "truncated record at end of file")
            start = end
        }
        state = .finished
        return .finished
    }

    /// Counts a damaged packet record (already counted in `packets`).
    @usableFromInline
    mutating func skipPacket(at offset: Int64, _ reason: @autoclosure () -> String) {
        statistics.damagedPackets += 1
        let path = self.path
        let number = packetNumber
        statistics.skipped.record("\(path): packet \(number) (offset \(offset))", reason())
    }

    /// Counts a skipped pcapng block; a packet block also counts as a damaged packet.
    @usableFromInline
    mutating func skipBlock(type: PcapngBlockType, at offset: Int64, _ reason: @autoclosure () -> String) {
        if type.isPacket {
            packetNumber += 1
            statistics.packets += 1
            skipPacket(at: offset, reason())
        } else {
            let path = self.path
            statistics.skipped.record("\(path): offset \(offset)", reason())
        }
    }

    /// Records why the rest of the input is not read, and stops.
    @usableFromInline
    mutating func stop(at offset: Int64, packet: Bool, _ reason: String) {
        let path = self.path
        let location = packet ? "\(path): packet \(packetNumber + 1) (offset \(offset))" : "\(path): offset \(offset)"
        statistics.skipped.record(location, reason)
        state = .finished
    }
}
