import CZlib

/// Decompresses a gzip stream (RFC 1952) from another source, as it is read.
///
/// - Concatenated members are read one after the other, as `zcat` does (`cat a.gz b.gz`).
/// - Bytes after the last member that do not start another member (`1f 8b`) are ignored, as
///   `gzip -d` ignores trailing garbage; ``ignoredTrailingBytes`` says how many.
/// - Damage throws ``SensorError/unrecognizedFormat(path:reason:)`` (bad data, exit status 65)
///   naming the compressed byte offset, for example
///   `access.log.gz: corrupt gzip data at byte 1207: invalid distance too far back` or
///   `access.log.gz: truncated gzip data: input ends at byte 5120 inside a member`.
///   Everything decompressed before the damage has been returned by then (as `zcat` writes
///   it out before it complains).
///
/// Memory is flat: one 256 KiB input buffer and zlib's 32 KiB window.
public final class GzipByteSource<Base: ByteSource>: ByteSource {
    /// Where the decompressor is between calls.
    private enum State {
        case firstMember, inMember, betweenMembers, finished
    }

    private var base: Base
    /// The input's name in messages.
    public let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawPointer
    private let inputCapacity: Int
    private var state = State.firstMember
    private var baseEnded = false
    /// Compressed bytes taken from `base` so far (including those still in the input buffer).
    private var compressedRead = 0
    /// The error that ended decompression; thrown again by every later call (so a reader
    /// never mistakes the damage for the end of the input). Found after some output was
    /// produced, it is thrown from the next call.
    private var failure: SensorError?
    /// How many gzip members have been read to their end.
    public private(set) var membersRead = 0
    /// Bytes after the last member that were ignored (not another gzip member).
    public private(set) var ignoredTrailingBytes = 0

    /// Decompresses `base`; `pending` are compressed bytes already read from it (a peeked
    /// magic number), which come first. `path` names the input in messages.
    public init(base: consuming Base, path: String, pending: [UInt8] = []) throws(SensorError) {
        self.base = base
        self.path = path
        inputCapacity = max(1 << 18, pending.count)
        input = UnsafeMutableRawPointer.allocate(byteCount: inputCapacity, alignment: 16)
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 16 + 15: gzip wrapper only, largest window.
        let status = inflateInit2_(stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw .unreadable(path: path, reason: "cannot start zlib (error \(status))")
        }
        pending.withUnsafeBytes { bytes in
            if let from = bytes.baseAddress, bytes.count > 0 {
                input.copyMemory(from: from, byteCount: bytes.count)
            }
        }
        stream.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(pending.count)
        compressedRead = pending.count
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// The offset in the compressed input of the next byte zlib will look at.
    private var compressedOffset: Int { compressedRead - Int(stream.pointee.avail_in) }

    /// Moves the unread input to the front and reads more after it, until at least `minimum`
    /// bytes are available or `base` ends.
    private func fillInput(minimum: Int) throws(SensorError) {
        var available = Int(stream.pointee.avail_in)
        if available > 0, let next = stream.pointee.next_in {
            let from = UnsafeMutableRawPointer(next)
            if from != input { input.copyMemory(from: from, byteCount: available) }
        }
        stream.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
        while available < minimum, !baseEnded {
            let space = UnsafeMutableRawBufferPointer(start: input + available, count: inputCapacity - available)
            let n = try base.read(into: space)
            if n <= 0 {
                baseEnded = true
            } else {
                available += n
                compressedRead += n
            }
        }
        stream.pointee.avail_in = UInt32(available)
    }

    private func startsWithMagic() -> Bool {
        guard stream.pointee.avail_in >= 2, let next = stream.pointee.next_in else { return false }
        return next[0] == 0x1f && next[1] == 0x8b
    }

    /// Counts (and reads past) everything left after the last member.
    private func ignoreRest() throws(SensorError) {
        ignoredTrailingBytes += Int(stream.pointee.avail_in)
        stream.pointee.avail_in = 0
        while !baseEnded {
            let n = try base.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
            if n <= 0 { baseEnded = true } else { ignoredTrailingBytes += n; compressedRead += n }
        }
    }

    private func zlibMessage() -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "invalid compressed data"
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
        if let failure { throw failure }
        guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let room = UInt32(min(buffer.count, Int(UInt32.max)))
        while true {
            switch state {
            case .finished:
                return 0
            case .firstMember, .betweenMembers:
                try fillInput(minimum: 2)
                if startsWithMagic() {
                    if state == .betweenMembers { inflateReset(stream) }
                    state = .inMember
                    continue
                }
                if state == .firstMember {
                    let error = SensorError.unrecognizedFormat(path: path, reason: "not gzip data (no 1f 8b at the start)")
                    failure = error
                    throw error
                }
                try ignoreRest()
                state = .finished
                return 0
            case .inMember:
                if stream.pointee.avail_in == 0, !baseEnded { try fillInput(minimum: 1) }
                stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = room
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = Int(room - stream.pointee.avail_out)
                var error: SensorError?
                switch status {
                case Z_STREAM_END:
                    membersRead += 1
                    state = .betweenMembers
                case Z_OK:
                    break
                case Z_BUF_ERROR:
                    // No progress was possible: zlib needs input and there is none.
                    if produced == 0, stream.pointee.avail_in == 0, baseEnded {
                        error = .unrecognizedFormat(
                            path: path,
                            reason: "truncated gzip data: input ends at byte \(compressedOffset) inside a member")
                    }
                case Z_MEM_ERROR:
                    error = .unreadable(path: path, reason: "out of memory decompressing gzip data")
                default:
                    error = .unrecognizedFormat(
                        path: path, reason: "corrupt gzip data at byte \(compressedOffset): \(zlibMessage())")
                }
                if let error {
                    failure = error
                    if produced > 0 { return produced }
                    throw error
                }
                if produced > 0 { return produced }
            }
        }
    }
}
