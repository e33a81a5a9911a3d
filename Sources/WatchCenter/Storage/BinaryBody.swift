/// The little-endian binary bodies SQLite keeps (``EventChunk``, ``PendingSourcesLog``):
/// fixed-width integers and a table of strings, written and read back with every length
/// checked.
enum BinaryBody {
    @inline(__always)
    static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// A string table: UInt32 count, then each string's UInt32 length and UTF-8 bytes.
    static func putStrings(_ strings: [String], _ out: inout [UInt8]) {
        put(UInt32(strings.count), &out)
        for s in strings {
            put(UInt32(s.utf8.count), &out)
            out.append(contentsOf: s.utf8)
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at == bytes.count }

        mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            let size = MemoryLayout<T>.size
            guard at + size <= bytes.count else { return nil }
            var value: T = 0
            for k in 0..<size { value |= T(bytes[at + k]) << (8 * k) }
            at += size
            return value
        }

        mutating func u8() -> UInt8? { integer(UInt8.self) }
        mutating func u16() -> UInt16? { integer(UInt16.self) }
        mutating func u32() -> UInt32? { integer(UInt32.self) }
        mutating func u64() -> UInt64? { integer(UInt64.self) }

        mutating func text(_ length: Int) -> String? {
            guard length >= 0, at + length <= bytes.count else { return nil }
            defer { at += length }
            return String(validating: bytes[at..<at + length], as: UTF8.self)
        }

        /// A table written by ``BinaryBody/putStrings(_:_:)``; nil if it runs past the body.
        mutating func strings() -> [String]? {
            guard let count = u32(), Int(count) <= (bytes.count - at) / 4 else { return nil }
            var table: [String] = []
            table.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let length = u32(), let s = text(Int(length)) else { return nil }
                table.append(s)
            }
            return table
        }
    }
}
