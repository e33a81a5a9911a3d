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

extension IPv4Prefix {
    /// What ``parseExact(_:)`` found.
    public enum ExactParse: Sendable, Hashable {
        /// A well-formed prefix with no host bits set.
        case prefix(IPv4Prefix)
        /// A well-formed prefix whose base has host bits set; the prefix they belong to.
        case hostBitsSet(IPv4Prefix)
        /// Not `a.b.c.d/n` (or a bare address).
        case invalid
    }

    /// Parses `a.b.c.d/n` strictly: a base with host bits set (`44.1.0.0/8`) is reported, not
    /// silently cleared, so that a typo in a configuration file does not go unnoticed.
    public static func parseExact(_ text: some StringProtocol) -> ExactParse {
        guard let p = IPv4Prefix(text) else { return .invalid }
        let base = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.flatMap { IPv4Address($0) }
        return base?.value == p.base ? .prefix(p) : .hostBitsSet(p)
    }
}
