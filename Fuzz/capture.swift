// libFuzzer target for the capture reader (run with `scripts/fuzz capture [SECONDS]`).
//
// Compiled into one module with the Sensor sources, so it calls the reader directly. Each
// input is read twice, in one chunk with a large buffer and in 7-byte chunks with a 64-byte
// buffer that must grow; both readings must give the same observations and statistics.
// Every payload, method and target byte is touched so AddressSanitizer sees any read outside
// the buffer, and the statistics must stay consistent. A mismatch traps on purpose (this is
// the harness, not library code): libFuzzer then saves the input in Fuzz/crashes/capture/.
import WormWatchCore

/// What one observation said, copied out of the reader's buffer.
struct FuzzSeen: Equatable {
    var kind: UInt8
    var time: Int64
    var addresses: UInt64
    var ports: UInt32
    var flags: UInt8
    var payloadLength: Int
    var payloadSum: UInt64
    var method: [UInt8]
    var target: [UInt8]
    var record: Int
}

func fuzzRead(_ bytes: [UInt8], chunk: Int, bufferCapacity: Int) -> (seen: [FuzzSeen], statistics: CaptureStatistics?) {
    var reader = CaptureReader(
        source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz",
        bufferCapacity: bufferCapacity, maximumPacketLength: 2048
    )
    var seen: [FuzzSeen] = []
    do {
        while let o = try reader.next() {
            var sum: UInt64 = 0
            for byte in o.payload { sum = sum &* 31 &+ UInt64(byte) }
            precondition(o.payload.count <= 2048 + 4096, "payload longer than a record")
            precondition(o.payloadLength >= 0 && o.record >= 1)
            precondition(o.kind != .httpRequest || (!o.method.isEmpty && !o.target.isEmpty))
            seen.append(FuzzSeen(
                kind: o.kind.rawValue, time: o.timeNanoseconds, addresses: UInt64(o.source) << 32 | UInt64(o.destination),
                ports: UInt32(o.sourcePort) << 16 | UInt32(o.destinationPort), flags: o.tcpFlags,
                payloadLength: o.payloadLength, payloadSum: sum, method: Array(o.method), target: Array(o.target),
                record: o.record
            ))
        }
    } catch {
        guard case .unrecognizedFormat = error else { preconditionFailure("unexpected error \(error)") }
        return (seen, nil)
    }
    let s = reader.statistics
    precondition(s.packets == s.tcpPackets + s.udpPackets + s.otherIPv4Packets + s.nonIPv4Packets + s.nonFirstFragments + s.damagedPackets)
    precondition(s.damagedPackets <= s.skipped.count && s.bytesRead <= Int64(bytes.count))
    precondition(s.tcpPackets + s.udpPackets + s.httpRequests == seen.count)
    return (seen, s)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let whole = fuzzRead(bytes, chunk: .max, bufferCapacity: 1 << 16)
    let pieces = fuzzRead(bytes, chunk: 7, bufferCapacity: 64)
    precondition(whole.seen == pieces.seen, "observations depend on chunking")
    // How far the source was read when reading stopped early depends on the chunk size.
    var wholeStatistics = whole.statistics
    var piecesStatistics = pieces.statistics
    wholeStatistics?.bytesRead = 0
    piecesStatistics?.bytesRead = 0
    precondition(wholeStatistics == piecesStatistics, "statistics depend on chunking")
    return 0
}
