/// Civil dates in UTC without Foundation: Howard Hinnant's days-from-civil and
/// civil-from-days algorithms on the proleptic Gregorian calendar.
///
/// Every part of WormWatch that turns seconds into dates (the engine's day-of-month
/// lifecycle, ISO 8601 output, web log time stamps) goes through this one implementation.
public enum UTCCalendar {
    /// The (year, month, day) of a day number, counted from 1970-01-01 (day 0).
    @inlinable
    public static func date(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), Int(d))
    }

    /// The day number (days since 1970-01-01) of a date; `month` 1–12, `day` 1–31.
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a time in seconds since 1970-01-01T00:00:00Z.
    @inlinable
    public static func date(_ seconds: Int64) -> (year: Int, month: Int, day: Int) {
        let (y, m, d) = date(days: floorDivide(seconds, 86_400).quotient)
        return (Int(y), m, d)
    }

    /// Seconds since the epoch of the given UTC date and time of day.
    @inlinable
    public static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The number of days in a month of a year (February has 29 in leap years).
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `a / b` rounded toward negative infinity, and the remainder that goes with it
    /// (always in `0 ..< b` for a positive `b`).
    @inlinable
    public static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
