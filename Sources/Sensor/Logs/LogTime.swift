/// Calendar arithmetic and time-field parsing for web logs, in UTC, without Foundation.
///
/// Years are limited to 1900...2261 so that every time fits in `Int64` nanoseconds
/// (which end in April 2262).
enum LogTime {
    static let years = 1900...2261

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days-from-civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    /// The (year, month, day) of a day number since 1970-01-01 (Hinnant's civil-from-days).
    static func date(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since the epoch of midnight UTC on a date, or `nil` if the date is invalid or
    /// outside ``years``.
    static func midnight(year: Int, month: Int, day: Int) -> Int64? {
        guard years.contains(year), (1...12).contains(month), day >= 1,
              day <= daysInMonth(year: year, month: month) else { return nil }
        return days(year: year, month: month, day: day) * 86_400
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
