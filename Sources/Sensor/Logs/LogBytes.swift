import WormWatchCore

/// Byte-level field parsing shared by the log readers.
enum LogBytes {
    static let space: UInt8 = 32
    static let quote: UInt8 = 34
    static let backslash: UInt8 = 92
    static let dash: UInt8 = 45

    /// A dotted-quad IPv4 address filling `p[from..<to]` exactly (also in its IPv4-mapped IPv6
    /// form `::ffff:a.b.c.d`), in host byte order; `nil` if it is anything else (a host name,
    /// IPv6, `-`).
    @inline(__always)
    static func ipv4(_ p: UnsafeRawPointer, from: Int, to: Int) -> UInt32? {
        var i = from
        if to - from > 7, p.load(fromByteOffset: i, as: UInt8.self) == 58 {
            // ::ffff:  (hex digits in either case)
            guard to - from >= 14, p.load(fromByteOffset: i + 1, as: UInt8.self) == 58,
                  p.load(fromByteOffset: i + 6, as: UInt8.self) == 58 else { return nil }
            for k in 2..<6 where p.load(fromByteOffset: i + k, as: UInt8.self) | 0x20 != 102 { return nil }
            i += 7
        }
        guard i <= to else { return nil }
        return IPv4Address.parse(UnsafeBufferPointer(start: (p + i).assumingMemoryBound(to: UInt8.self), count: to - i))
    }

    /// Whether `p[from..<to]` is exactly `-` (a W3C or Apache empty field).
    @inline(__always)
    static func isDash(_ p: UnsafeRawPointer, from: Int, to: Int) -> Bool {
        to - from == 1 && p.load(fromByteOffset: from, as: UInt8.self) == dash
    }

    /// Up to `limit` bytes of `bytes` as text for a message (invalid UTF-8 replaced, control
    /// characters shown as `?`, `…` when cut).
    static func excerpt(_ bytes: UnsafeRawBufferPointer, limit: Int = 40) -> String {
        var text = bytes.prefix(limit).map { $0 < 32 || $0 == 127 ? UInt8(ascii: "?") : $0 }
        if bytes.count > limit { text.append(contentsOf: "…".utf8) }
        return String(decoding: text, as: UTF8.self)
    }
}
