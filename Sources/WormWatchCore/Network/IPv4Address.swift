/// An IPv4 address, stored as its 32-bit value.
@frozen
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a big-endian-ordered integer (`1.2.3.4` is `0x01020304`).
    public var value: UInt32

    /// Creates an address from its integer value.
    @inlinable
    public init(_ value: UInt32) { self.value = value }

    /// Parses a dotted quad such as `198.137.240.91`; `nil` if it is not one.
    public init?(_ text: some StringProtocol) {
        var parts: [UInt32] = []
        parts.reserveCapacity(4)
        for piece in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !piece.isEmpty, piece.count <= 3, piece.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let v = UInt32(piece), v <= 255 else { return nil }
            parts.append(v)
        }
        guard parts.count == 4 else { return nil }
        value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]
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
