/// How to turn a pcapng interface's timestamp ticks into nanoseconds (`if_tsresol`).
///
/// `if_tsresol` is one byte: with the top bit clear, a tick is 10^-n s; with it set, 2^-n s
/// (n is the low 7 bits). Without the option a tick is a microsecond. Conversions never trap:
/// times beyond `Int64` nanoseconds (year 2262) saturate.
@usableFromInline
struct TimestampResolution: Sendable, Equatable {
    /// Nanoseconds = ticks × multiplier ÷ divisor, then shifted right by `shift`.
    @usableFromInline var multiplier: UInt64
    @usableFromInline var divisor: UInt64
    @usableFromInline var shift: UInt8

    @usableFromInline
    static let microseconds = TimestampResolution(multiplier: 1000, divisor: 1, shift: 0)

    /// The top bit of `if_tsresol`: set, a tick is 2^-n s; clear, 10^-n s.
    @usableFromInline static let binaryFlag: UInt8 = 0x80
    /// The low seven bits of `if_tsresol`: the exponent n.
    @usableFromInline static let exponentMask: UInt8 = 0x7F

    @usableFromInline
    init(multiplier: UInt64, divisor: UInt64, shift: UInt8) {
        self.multiplier = multiplier
        self.divisor = divisor
        self.shift = shift
    }

    /// The resolution an `if_tsresol` option value describes.
    @usableFromInline
    init(tsresol: UInt8) {
        let exponent = Int(tsresol & Self.exponentMask)
        if tsresol & Self.binaryFlag != 0 {
            self.init(multiplier: 1_000_000_000, divisor: 1, shift: UInt8(exponent))
        } else if exponent <= 9 {
            self.init(multiplier: Self.powerOfTen(9 - exponent), divisor: 1, shift: 0)
        } else if exponent - 9 <= 19 {
            self.init(multiplier: 1, divisor: Self.powerOfTen(exponent - 9), shift: 0)
        } else {
            // A tick shorter than 10^-28 s: every 64-bit count is under a nanosecond.
            self.init(multiplier: 0, divisor: 1, shift: 0)
        }
    }

    @usableFromInline
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value &*= 10 }
        return value
    }

    /// `ticks` in nanoseconds, saturating at `Int64.max`.
    @inlinable
    func nanoseconds(_ ticks: UInt64) -> Int64 {
        if shift == 0 && divisor == 1 {
            let (product, overflow) = ticks.multipliedReportingOverflow(by: multiplier)
            return overflow || product > UInt64(Int64.max) ? .max : Int64(product)
        }
        if shift == 0 {
            let quotient = ticks / divisor
            return quotient > UInt64(Int64.max) ? .max : Int64(quotient)
        }
        let (high, low) = ticks.multipliedFullWidth(by: multiplier)
        let result: UInt64
        if shift >= 128 {
            result = 0
        } else if shift >= 64 {
            result = high >> UInt64(shift - 64)
        } else {
            if high >> UInt64(shift) != 0 { return .max }
            result = (high << UInt64(64 - shift)) | (low >> UInt64(shift))
        }
        return result > UInt64(Int64.max) ? .max : Int64(result)
    }
}
