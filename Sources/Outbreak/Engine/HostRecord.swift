/// One host's engine state, packed so that touching a host costs one cache miss.
struct HostRecord {
    /// Its address.
    var address: UInt32
    /// Its position in `order` (inside its /16 block's segments).
    var slot: Int32
    /// Where it stands in the outbreak.
    var state: HostState = .susceptible
    /// Index of its probe-rate class.
    var rateClass: UInt8 = 0
    /// Whether it has ever been infected (re-infections after a reboot count once).
    var wasInfected = false
    /// 0: always on; k + 1: switched off at night in diurnal time zone k.
    var zone: UInt8 = 0
    /// Whether it is switched off now (it then sits in the OFF segment).
    var offline = false
}
