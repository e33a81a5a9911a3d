/// An IPv4 address, stored as its 32-bit value.
@frozen
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a big-endian-ordered integer (`1.2.3.4` is `0x01020304`).
    public var value: UInt32

    /// Creates an address from its integer value.
    @inlinable
    public init(_ value: UInt32) { self.value = value }

    /// Parses a dotted quad such as `198.137.240.91`; `nil` if it is not one (each part one to
    /// three ASCII digits, at most 255; nothing else, not even spaces).
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        value = parsed
    }

    /// Parses a dotted quad from its UTF-8 bytes, without allocating.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | part
                part = 0
                digits = 0
                dots += 1
            } else {
                let d = byte &- UInt8(ascii: "0")
                guard d < 10, digits < 3 else { return nil }
                part = part * 10 + UInt32(d)
                digits += 1
                guard part <= 255 else { return nil }
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | part
    }

    /// The dotted quad.
    public var description: String {
        var out: [UInt8] = []
        appendDottedQuad(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the dotted quad to a byte buffer (for outputs written at speed).
    public func appendDottedQuad(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                DecimalText.put(UInt64(value >> UInt32(shift) & 0xFF), width: 1, p, &i)
                if shift > 0 {
                    p[i] = UInt8(ascii: ".")
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }

    @inlinable
    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}
