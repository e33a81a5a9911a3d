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
        "\(value >> 24).\((value >> 16) & 255).\((value >> 8) & 255).\(value & 255)"
    }

    @inlinable
    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv4 prefix in CIDR notation, such as `44.0.0.0/8`.
@frozen
public struct IPv4Prefix: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block (host bits are zero).
    public var base: UInt32
    /// The prefix length, 0 to 32.
    public var length: Int

    /// Creates a prefix; host bits of `base` are cleared.
    @inlinable
    public init(base: UInt32, length: Int) {
        precondition((0...32).contains(length), "prefix length out of range")
        self.length = length
        self.base = length == 0 ? 0 : base & ~UInt32(truncatingIfNeeded: (UInt64(1) << (32 - length)) - 1)
    }

    /// Parses `a.b.c.d/n` (a bare address is a /32); `nil` if malformed.
    public init?(_ text: some StringProtocol) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 1 || pieces.count == 2, let address = IPv4Address(pieces[0]) else { return nil }
        var length = 32
        if pieces.count == 2 {
            guard pieces[1].count <= 2, let n = Int(pieces[1]), (0...32).contains(n) else { return nil }
            length = n
        }
        self.init(base: address.value, length: length)
    }

    /// How many addresses the block holds.
    @inlinable
    public var size: UInt64 { UInt64(1) << (32 - length) }

    /// The last address of the block.
    @inlinable
    public var last: UInt32 { UInt32(truncatingIfNeeded: UInt64(base) + size - 1) }

    /// Whether `address` lies in the block.
    @inlinable
    public func contains(_ address: UInt32) -> Bool {
        length == 0 || (address ^ base) >> (32 - length) == 0
    }

    /// How many addresses this block shares with `other` (prefixes either nest or are disjoint).
    @inlinable
    public func overlap(with other: IPv4Prefix) -> UInt64 {
        if length >= other.length { return other.contains(base) ? size : 0 }
        return contains(other.base) ? other.size : 0
    }

    /// `a.b.c.d/n`.
    public var description: String { "\(IPv4Address(base))/\(length)" }
}
