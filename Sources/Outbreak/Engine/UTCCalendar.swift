/// Day-of-month arithmetic in UTC without Foundation (Hinnant's civil-from-days).
public enum UTCCalendar {
    /// The (year, month, day) of a time in seconds since 1970-01-01T00:00:00Z.
    public static func date(_ seconds: Int64) -> (year: Int, month: Int, day: Int) {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Seconds since the epoch of midnight UTC on the given date.
    public static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// ISO 8601 with `Z`: `2001-07-19T10:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        let (y, m, d) = date(seconds)
        let s = Int(((seconds % 86400) + 86400) % 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (or `YYYY-MM-DD`); `nil` if malformed.
    public static func parse(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<from + len] { guard c >= 48 && c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard chars.count >= 10, chars[4] == 45, chars[7] == 45,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, s = 0
        if chars.count > 10 {
            guard chars.count == 20, chars[10] == 84, chars[13] == 58, chars[16] == 58, chars[19] == 90,
                  let hh = num(11, 2), let mm = num(14, 2), let ss = num(17, 2), hh < 24, mm < 60, ss < 60 else { return nil }
            h = hh; mi = mm; s = ss
        }
        let t = seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        guard date(t).day == d else { return nil }
        return t
    }
}
