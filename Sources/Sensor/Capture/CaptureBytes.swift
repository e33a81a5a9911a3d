/// Unaligned loads of fixed-width integers in a stated byte order, for the capture decoders.
///
/// Captures store fields in the writer's byte order (pcap, pcapng) or in network byte order
/// (protocol headers); these helpers read them wherever they sit in a buffer.
@usableFromInline
enum CaptureBytes {
    @inlinable @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inlinable @inline(__always)
    static func bigEndian16(_ p: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        UInt16(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable @inline(__always)
    static func bigEndian32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable @inline(__always)
    static func uint16(_ p: UnsafeRawPointer, _ offset: Int, bigEndian: Bool) -> UInt16 {
        let raw = p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
    }

    @inlinable @inline(__always)
    static func uint32(_ p: UnsafeRawPointer, _ offset: Int, bigEndian: Bool) -> UInt32 {
        let raw = p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }

    @inlinable @inline(__always)
    static func uint64(_ p: UnsafeRawPointer, _ offset: Int, bigEndian: Bool) -> UInt64 {
        let raw = p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
    }

    @inlinable @inline(__always)
    static func storeBigEndian16(_ value: UInt16, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inlinable @inline(__always)
    static func storeBigEndian32(_ value: UInt32, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inlinable @inline(__always)
    static func storeLittleEndian16(_ value: UInt16, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inlinable @inline(__always)
    static func storeLittleEndian32(_ value: UInt32, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
}
