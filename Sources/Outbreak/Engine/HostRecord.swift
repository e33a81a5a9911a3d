/// One host's engine state in 8 bytes, so that touching a host costs one cache miss and a
/// 10^8-host run keeps its hosts in 0.8 GB.
struct HostRecord {
    /// Its address.
    var address: UInt32
    /// Its position in `order` from its /16 block's start (a block holds at most 2^16 hosts).
    var slotOffset: UInt16
    /// Index of its probe-rate class.
    var rateClass: UInt8 = 0
    /// State (bits 0–2), ever infected (bit 3), switched off now (bit 4).
    @usableFromInline var flags: UInt8 = 0

    init(address: UInt32, slotOffset: UInt16) {
        self.address = address
        self.slotOffset = slotOffset
    }

    /// Where it stands in the outbreak.
    var state: HostState {
        @inline(__always) get { HostState(rawValue: flags & 7) ?? .susceptible }
        @inline(__always) set { flags = (flags & ~7) | newValue.rawValue }
    }
    /// Whether it has ever been infected (re-infections after a reboot count once).
    var wasInfected: Bool {
        @inline(__always) get { flags & 8 != 0 }
        @inline(__always) set { flags = newValue ? flags | 8 : flags & ~8 }
    }
    /// Whether it is switched off now (it then sits in the OFF segment).
    var offline: Bool {
        @inline(__always) get { flags & 16 != 0 }
        @inline(__always) set { flags = newValue ? flags | 16 : flags & ~16 }
    }
}
