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
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            if year < 0 {
                p[i] = UInt8(ascii: "-")
                i += 1
            }
            put(year.magnitude, width: 4, p, &i)
            p[i] = UInt8(ascii: "-")
            i += 1
            put(UInt64(month), width: 2, p, &i)
            p[i] = UInt8(ascii: "-")
            i += 1
            put(UInt64(day), width: 2, p, &i)
            p[i] = UInt8(ascii: "T")
            i += 1
            put(UInt64(secondOfDay / 3600), width: 2, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            put(UInt64(secondOfDay / 60 % 60), width: 2, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            put(UInt64(secondOfDay % 60), width: 2, p, &i)
            if fraction != 0 {
                var digits = 9
                var value = fraction
                while digits > 3 && value % 1000 == 0 {
                    value /= 1000
                    digits -= 3
                }
                p[i] = UInt8(ascii: ".")
                i += 1
                put(value.magnitude, width: digits, p, &i)
            }
            p[i] = UInt8(ascii: "Z")
            i += 1
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }

    /// Dotted quad of an address in host byte order.
    public static func address(_ value: UInt32) -> String {
        var out: [UInt8] = []
        append(address: value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``address(_:)``.
    public static func append(address value: UInt32, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                put(UInt64(value >> UInt32(shift) & 0xFF), width: 1, p, &i)
                if shift > 0 {
                    p[i] = UInt8(ascii: ".")
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }

    /// Appends a decimal integer.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            if value < 0 {
                p[i] = UInt8(ascii: "-")
                i += 1
            }
            put(UInt64(value.magnitude), width: 1, p, &i)
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }

    /// Writes the decimal digits of `value`, zero-padded to `width` (at most 20 digits), at `p + i`.
    @inline(__always)
    static func put(_ value: UInt64, width: Int, _ p: UnsafeMutablePointer<UInt8>, _ i: inout Int) {
        var count = 1
        var v = value
        while v >= 10 {
            v /= 10
            count += 1
        }
        let n = Swift.max(count, width)
        var k = i + n - 1
        v = value
        while k >= i {
            p[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            k -= 1
        }
        i += n
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
