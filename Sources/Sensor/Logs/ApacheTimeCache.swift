/// Parses Apache's `%t` time, `dd/Mon/yyyy:HH:MM:SS +zzzz` (26 bytes), to UTC seconds,
/// remembering the last one: consecutive lines mostly share the second, and nearly always
/// the day and zone.
struct ApacheTimeCache {
    /// The whole 26 bytes of the last time, and its value.
    private var key0: UInt64 = 0, key1: UInt64 = 0, key2: UInt64 = 0, key3: UInt16 = 0
    private var seconds: Int64 = 0
    private var valid = false
    /// The day and zone of the last time (`dd/Mon/yyyy:` and `+zzzz`), and local midnight
    /// of that day in UTC seconds.
    private var day0: UInt64 = 0, day1: UInt32 = 0, dayZone: UInt64 = 0
    private var midnight: Int64 = 0
    private var dayValid = false

    static let length = 26

    init() {}

    /// The time at `t` (at least 26 readable bytes) in seconds since the epoch, UTC.
    @inline(__always)
    mutating func seconds(_ t: UnsafeRawPointer) -> Int64? {
        let k0 = t.loadUnaligned(as: UInt64.self)
        let k1 = t.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let k2 = t.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let k3 = t.loadUnaligned(fromByteOffset: 24, as: UInt16.self)
        if valid, k0 == key0, k1 == key1, k2 == key2, k3 == key3 { return seconds }
        // bytes 0..<12 (date) and 20..<26 (" +zzzz"): 18..<26 loaded, 18 and 19 shifted out.
        let d1 = t.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let zone = UInt64(littleEndian: t.loadUnaligned(fromByteOffset: 18, as: UInt64.self)) >> 16
        let base: Int64
        if dayValid, k0 == day0, d1 == day1, zone == dayZone {
            base = midnight
        } else {
            guard let parsed = Self.localMidnight(t) else { return nil }
            base = parsed
            day0 = k0
            day1 = d1
            dayZone = zone
            midnight = parsed
            dayValid = true
        }
        guard t.load(fromByteOffset: 11, as: UInt8.self) == 58,
              let time = LogTime.timeOfDay(t + 12) else { return nil }
        seconds = base + time
        key0 = k0
        key1 = k1
        key2 = k2
        key3 = k3
        valid = true
        return seconds
    }

    /// `dd/Mon/yyyy:` and the zone ` +zzzz` at 20: local midnight of that day, in UTC seconds.
    private static func localMidnight(_ t: UnsafeRawPointer) -> Int64? {
        guard let day = LogTime.digits(t, 2), t.load(fromByteOffset: 2, as: UInt8.self) == 47,
              let month = LogTime.month(t + 3), t.load(fromByteOffset: 6, as: UInt8.self) == 47,
              let year = LogTime.digits(t + 7, 4), t.load(fromByteOffset: 11, as: UInt8.self) == 58,
              t.load(fromByteOffset: 20, as: UInt8.self) == 32,
              let zh = LogTime.digits(t + 22, 2), let zm = LogTime.digits(t + 24, 2), zh < 24, zm < 60,
              let midnight = LogTime.midnight(year: year, month: month, day: day) else { return nil }
        let sign = t.load(fromByteOffset: 21, as: UInt8.self)
        let offset = Int64(zh * 3600 + zm * 60)
        switch sign {
        case 43: return midnight - offset  // +
        case 45: return midnight + offset  // -
        default: return nil
        }
    }
}
