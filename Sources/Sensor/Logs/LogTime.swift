import WormWatchCore

/// Time-field parsing for web logs, in UTC, without Foundation (the calendar is
/// ``UTCCalendar``).
///
/// Years are limited to 1900...2261 so that every time fits in `Int64` nanoseconds
/// (which end in April 2262).
enum LogTime {
    static let years = 1900...2261

    /// Seconds since the epoch of midnight UTC on a date, or `nil` if the date is invalid or
    /// outside ``years``.
    static func midnight(year: Int, month: Int, day: Int) -> Int64? {
        guard years.contains(year), (1...12).contains(month), day >= 1,
              day <= UTCCalendar.daysInMonth(year: year, month: month) else { return nil }
        return UTCCalendar.days(year: year, month: month, day: day) * 86_400
    }

    /// The value of `count` ASCII digits at `p`, or `nil` if one is not a digit.
    @inline(__always)
    static func digits(_ p: UnsafeRawPointer, _ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            let d = p.load(fromByteOffset: i, as: UInt8.self) &- 48
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// `HH:MM:SS` at `p` (8 bytes) as seconds into the day; a leap second `60` is accepted.
    @inline(__always)
    static func timeOfDay(_ p: UnsafeRawPointer) -> Int64? {
        guard let h = digits(p, 2), p.load(fromByteOffset: 2, as: UInt8.self) == 58,
              let m = digits(p + 3, 2), p.load(fromByteOffset: 5, as: UInt8.self) == 58,
              let s = digits(p + 6, 2), h < 24, m < 60, s <= 60 else { return nil }
        return Int64(h * 3600 + m * 60 + s)
    }

    /// The month number of an English three-letter abbreviation (`Jul`), or `nil`.
    @inline(__always)
    static func month(_ p: UnsafeRawPointer) -> Int? {
        let a = UInt32(p.load(as: UInt8.self))
        let b = UInt32(p.load(fromByteOffset: 1, as: UInt8.self))
        let c = UInt32(p.load(fromByteOffset: 2, as: UInt8.self))
        switch a << 16 | b << 8 | c {
        case 0x4A_61_6E: return 1  // Jan
        case 0x46_65_62: return 2  // Feb
        case 0x4D_61_72: return 3  // Mar
        case 0x41_70_72: return 4  // Apr
        case 0x4D_61_79: return 5  // May
        case 0x4A_75_6E: return 6  // Jun
        case 0x4A_75_6C: return 7  // Jul
        case 0x41_75_67: return 8  // Aug
        case 0x53_65_70: return 9  // Sep
        case 0x4F_63_74: return 10  // Oct
        case 0x4E_6F_76: return 11  // Nov
        case 0x44_65_63: return 12  // Dec
        default: return nil
        }
    }

    static let monthNames: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `YYYY-MM-DD` at `p` (10 bytes) as the seconds of its midnight UTC.
    @inline(__always)
    static func isoDate(_ p: UnsafeRawPointer) -> Int64? {
        guard let y = digits(p, 4), p.load(fromByteOffset: 4, as: UInt8.self) == 45,
              let m = digits(p + 5, 2), p.load(fromByteOffset: 7, as: UInt8.self) == 45,
              let d = digits(p + 8, 2) else { return nil }
        return midnight(year: y, month: m, day: d)
    }
}
