/// Times and addresses as the sensor's outputs write them (conventions.md).
public enum OutputText {
    /// ISO 8601 in UTC with `Z`: `2001-07-19T10:00:00Z`, with a fraction in groups of three
    /// digits when it is not zero (`…:00.250Z`, `…:00.000001Z`, `…:00.000000001Z`).
    public static func iso8601(nanoseconds: Int64) -> String {
        var out: [UInt8] = []
        append(nanoseconds: nanoseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``iso8601(nanoseconds:)``.
    public static func append(nanoseconds: Int64, to out: inout [UInt8]) {
        let (seconds, fraction) = floorDivide(nanoseconds, 1_000_000_000)
        append(seconds: seconds, fractionNanoseconds: fraction, to: &out)
    }

    /// Appends the ISO 8601 form of `seconds` plus `fractionNanoseconds` (0 to 999,999,999).
    static func append(seconds: Int64, fractionNanoseconds fraction: Int64, to out: inout [UInt8]) {
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(days)
        if year < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(Swift.abs(year), minimumWidth: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(Int64(secondOfDay / 3600), minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(Int64(secondOfDay / 60 % 60), minimumWidth: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(Int64(secondOfDay % 60), minimumWidth: 2, to: &out)
        if fraction != 0 {
            var digits = 9
            var value = fraction
            while digits > 3 && value % 1000 == 0 {
                value /= 1000
                digits -= 3
            }
            out.append(UInt8(ascii: "."))
            appendDigits(value, minimumWidth: digits, to: &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// Dotted quad of an address in host byte order.
    public static func address(_ value: UInt32) -> String {
        var out: [UInt8] = []
        append(address: value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``address(_:)``.
    public static func append(address value: UInt32, to out: inout [UInt8]) {
        for shift in [24, 16, 8, 0] as [UInt32] {
            appendDigits(Int64(value >> shift & 0xFF), minimumWidth: 1, to: &out)
            if shift > 0 { out.append(UInt8(ascii: ".")) }
        }
    }

    static func appendDigits(_ value: Int64, minimumWidth: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var v = value.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        for _ in digits.count..<Swift.max(minimumWidth, digits.count) { out.append(UInt8(ascii: "0")) }
        out += digits.reversed()
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// (year, month, day) of a day count since 1970-01-01 (Hinnant's civil-from-days).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
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
}
