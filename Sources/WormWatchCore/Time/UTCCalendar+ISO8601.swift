extension UTCCalendar {
    /// ISO 8601 in UTC with `Z` (conventions.md): `2001-07-19T10:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        var out: [UInt8] = []
        appendISO8601(seconds: seconds, fractionNanoseconds: 0, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ISO 8601 in UTC with `Z`, with a fraction in groups of three digits when it is not
    /// zero (`…:00.250Z`, `…:00.000001Z`, `…:00.000000001Z`).
    public static func iso8601(nanoseconds: Int64) -> String {
        var out: [UInt8] = []
        appendISO8601(nanoseconds: nanoseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``iso8601(nanoseconds:)`` to a byte buffer (no allocation besides the buffer's).
    public static func appendISO8601(nanoseconds: Int64, to out: inout [UInt8]) {
        let (seconds, fraction) = floorDivide(nanoseconds, 1_000_000_000)
        appendISO8601(seconds: seconds, fractionNanoseconds: fraction, to: &out)
    }

    /// Appends the ISO 8601 form of `seconds` plus `fraction` nanoseconds (0 to 999,999,999).
    /// Years have at least four digits, and a minus sign before the year 0.
    public static func appendISO8601(seconds: Int64, fractionNanoseconds fraction: Int64, to out: inout [UInt8]) {
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = date(days: days)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            var i = 0
            if year < 0 {
                p[i] = UInt8(ascii: "-")
                i += 1
            }
            DecimalText.put(year.magnitude, width: 4, p, &i)
            p[i] = UInt8(ascii: "-")
            i += 1
            DecimalText.put(UInt64(month), width: 2, p, &i)
            p[i] = UInt8(ascii: "-")
            i += 1
            DecimalText.put(UInt64(day), width: 2, p, &i)
            p[i] = UInt8(ascii: "T")
            i += 1
            DecimalText.put(UInt64(secondOfDay / 3600), width: 2, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            DecimalText.put(UInt64(secondOfDay / 60 % 60), width: 2, p, &i)
            p[i] = UInt8(ascii: ":")
            i += 1
            DecimalText.put(UInt64(secondOfDay % 60), width: 2, p, &i)
            if fraction != 0 {
                var digits = 9
                var value = fraction
                while digits > 3 && value % 1000 == 0 {
                    value /= 1000
                    digits -= 3
                }
                p[i] = UInt8(ascii: ".")
                i += 1
                DecimalText.put(value.magnitude, width: digits, p, &i)
            }
            p[i] = UInt8(ascii: "Z")
            i += 1
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: i))
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DD` (midnight) as seconds since the epoch;
    /// `nil` if the text is not one of those forms or names a day that does not exist.
    public static func parseISO8601(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<from + length] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), (1...12).contains(mo),
              (1...daysInMonth(year: y, month: mo)).contains(d) else { return nil }
        var h = 0, mi = 0, s = 0
        if chars.count > 10 {
            guard chars.count == 20, chars[10] == UInt8(ascii: "T"), chars[13] == UInt8(ascii: ":"),
                  chars[16] == UInt8(ascii: ":"), chars[19] == UInt8(ascii: "Z"),
                  let hh = num(11, 2), let mm = num(14, 2), let ss = num(17, 2), hh < 24, mm < 60, ss < 60 else { return nil }
            h = hh; mi = mm; s = ss
        }
        return seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}

extension UTCCalendar {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (a fraction of 1 to 9 digits) as nanoseconds
    /// since the epoch; `nil` if malformed or outside what `Int64` nanoseconds hold.
    public static func parseISO8601Nanoseconds(_ text: String) -> Int64? {
        guard text.utf8.count >= 20, text.utf8.last == UInt8(ascii: "Z") else { return nil }
        let bytes = Array(text.utf8)
        var fraction: Int64 = 0
        var whole = text
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count <= 30 else { return nil }
            let digits = bytes[20..<(bytes.count - 1)]
            guard !digits.isEmpty, digits.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
            for d in digits { fraction = fraction * 10 + Int64(d - 48) }
            for _ in digits.count..<9 { fraction *= 10 }
            whole = String(decoding: bytes[0..<19] + [UInt8(ascii: "Z")], as: UTF8.self)
        }
        guard let seconds = parseISO8601(whole), whole.utf8.count == 20 else { return nil }
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (sum, overflow2) = product.addingReportingOverflow(fraction)
        return overflow2 ? nil : sum
    }
}
