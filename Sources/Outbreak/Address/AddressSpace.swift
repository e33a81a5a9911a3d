import WormWatchCore
/// The address space a simulation runs in: the first `2^bits` IPv4 addresses.
///
/// Full scale is `bits == 32`, all of IPv4. Smaller spaces (from `2^16`) keep the same
/// arithmetic for tests and for the per-probe reference engine. Reserved blocks can be
/// hit by probes but hold no host.
public struct AddressSpace: Hashable, Sendable {
    /// log2 of the number of addresses, 16 through 32.
    public var bits: Int
    /// Blocks that hold no vulnerable host (unroutable, private, multicast, …).
    public var reserved: [IPv4Prefix]

    /// Creates a space of `2^bits` addresses with the given reserved blocks.
    public init(bits: Int, reserved: [IPv4Prefix] = []) {
        self.bits = bits
        self.reserved = reserved
    }

    /// The blocks of IPv4 that held no public hosts in 2001: 0/8, 10/8, 127/8,
    /// 169.254/16, 172.16/12, 192.168/16 and 224/3 (multicast and class E).
    public static let ipv4Reserved: [IPv4Prefix] = [
        "0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3",
    ].compactMap { IPv4Prefix($0) }

    /// All of IPv4 with the 2001 reserved blocks.
    public static let ipv4 = AddressSpace(bits: 32, reserved: ipv4Reserved)

    /// The number of addresses, `2^bits`.
    @inlinable
    public var size: UInt64 { UInt64(1) << bits }

    /// The space as a prefix (`0.0.0.0/(32 − bits)`).
    public var prefix: IPv4Prefix { IPv4Prefix(base: 0, length: 32 - bits) }

    /// Whether `address` is inside the space.
    @inlinable
    public func contains(_ address: UInt32) -> Bool { bits == 32 || UInt64(address) < size }

    /// Whether `address` lies in a reserved block.
    public func isReserved(_ address: UInt32) -> Bool { reserved.contains { $0.contains(address) } }

    /// Addresses that can hold a host: the space less the reserved blocks inside it.
    public var routableCount: UInt64 {
        size - reserved.reduce(0) { $0 + $1.overlap(with: prefix) }
    }
}
