import Sensor
import WormWatchCore

/// The fast path of ingest: reads a `wormwatch.event/1` line without Foundation's decoder when
/// it is a flat JSON object of the event's own keys with plain values — what `wormwatch scan`
/// writes. Anything else (another key, a fraction, a duplicate key, a value it does not accept,
/// invalid UTF-8) gives nil, and the line takes the full decoder, which accepts the same lines
/// and names what is wrong with the others. The fuzz target checks that both agree.
enum EventLineScanner {
    private enum Key: Int, CaseIterable {
        case format, time, source, destination, destinationPort, transport, family, rule, severity, evidence, input, line, packet

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            switch bytes.count {
            case 4:
                if Self.equals(bytes, "time") { self = .time } else if Self.equals(bytes, "rule") { self = .rule } else if Self.equals(bytes, "line") { self = .line } else { return nil }
            case 5:
                if Self.equals(bytes, "input") { self = .input } else { return nil }
            case 6:
                if Self.equals(bytes, "format") { self = .format } else if Self.equals(bytes, "source") { self = .source } else if Self.equals(bytes, "family") { self = .family } else if Self.equals(bytes, "packet") { self = .packet } else { return nil }
            case 8:
                if Self.equals(bytes, "protocol") { self = .transport } else if Self.equals(bytes, "severity") { self = .severity } else if Self.equals(bytes, "evidence") { self = .evidence } else { return nil }
            case 11:
                if Self.equals(bytes, "destination") { self = .destination } else { return nil }
            case 16:
                if Self.equals(bytes, "destination_port") { self = .destinationPort } else { return nil }
            default:
                return nil
            }
        }

        static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
            guard bytes.count == text.utf8CodeUnitCount else { return false }
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            for k in 0..<bytes.count where bytes[k] != expected[k] { return false }
            return true
        }
    }

    private enum Value {
        case string(String)
        case integer(Int64)
        case null
    }

    /// The event, or nil to take the full decoder.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> SensorEvent? {
        var values = [Value?](repeating: nil, count: Key.allCases.count)
        var i = 0
        let n = line.count
        @inline(__always) func skipSpace() {
            while i < n, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0A || line[i] == 0x0D { i += 1 }
        }
        skipSpace()
        guard i < n, line[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        if i < n, line[i] == UInt8(ascii: "}") { return nil }
        while true {
            skipSpace()
            guard i < n, line[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let keyStart = i
            while i < n, line[i] != UInt8(ascii: "\""), line[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < n, line[i] == UInt8(ascii: "\"") else { return nil }
            guard let key = Key(UnsafeBufferPointer(rebasing: line[keyStart..<i])), values[key.rawValue] == nil else { return nil }
            i += 1
            skipSpace()
            guard i < n, line[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < n else { return nil }
            switch line[i] {
            case UInt8(ascii: "\""):
                guard let text = string(line, &i) else { return nil }
                values[key.rawValue] = .string(text)
            case UInt8(ascii: "n"):
                guard i + 4 <= n, line[i + 1] == UInt8(ascii: "u"), line[i + 2] == UInt8(ascii: "l"), line[i + 3] == UInt8(ascii: "l") else { return nil }
                i += 4
                values[key.rawValue] = .null
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var v: Int64 = 0
                let start = i
                while i < n, line[i] &- 48 < 10 {
                    v = v &* 10 &+ Int64(line[i] &- 48)
                    i += 1
                }
                // Leading zeros, more than 15 digits, fractions and exponents: the full decoder.
                guard i - start <= 15, !(line[start] == UInt8(ascii: "0") && i - start > 1) else { return nil }
                if i < n, line[i] == UInt8(ascii: ".") || line[i] == UInt8(ascii: "e") || line[i] == UInt8(ascii: "E") { return nil }
                values[key.rawValue] = .integer(v)
            default:
                return nil
            }
            skipSpace()
            guard i < n else { return nil }
            if line[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard line[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            skipSpace()
            guard i == n else { return nil }
            break
        }
        func text(_ key: Key) -> String? {
            if case .string(let s)? = values[key.rawValue] { return s }
            return nil
        }
        func address(_ key: Key) -> UInt32? {
            switch values[key.rawValue] {
            case nil, .null?: return 0
            case .string(let s)?: return IPv4Address(s)?.value
            case .integer?: return nil
            }
        }
        guard text(.format) == EventNDJSON.format,
              let time = text(.time).flatMap({ UTCCalendar.parseISO8601Nanoseconds($0) }),
              let source = address(.source), let destination = address(.destination),
              case .integer(let port)? = values[Key.destinationPort.rawValue], port <= 65_535,
              let transport = text(.transport).flatMap({ TransportProtocol(rawValue: $0) }),
              let family = text(.family), let rule = text(.rule),
              let severity = text(.severity).flatMap({ Rule.Severity(rawValue: $0) }),
              let evidence = text(.evidence), let input = text(.input)
        else { return nil }
        let kind: RecordKind
        let record: Int64
        switch (values[Key.line.rawValue], values[Key.packet.rawValue]) {
        case (.integer(let l)?, _):
            kind = .line
            record = l
        case (nil, .integer(let p)?), (.null?, .integer(let p)?):
            kind = .packet
            record = p
        default:
            return nil
        }
        return SensorEvent(
            timeNanoseconds: time, source: source, destination: destination, destinationPort: UInt16(port), transport: transport,
            family: family, ruleID: rule, severity: severity, evidence: evidence, input: input, recordKind: kind, record: Int(record))
    }

    /// A JSON string starting at the quote at `i`; `i` ends after the closing quote.
    private static func string(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> String? {
        let n = line.count
        i += 1
        let start = i
        while i < n, line[i] != UInt8(ascii: "\""), line[i] != UInt8(ascii: "\\"), line[i] >= 0x20 { i += 1 }
        guard i < n else { return nil }
        if line[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(validating: UnsafeBufferPointer(rebasing: line[start..<i]), as: UTF8.self)
        }
        guard line[i] == UInt8(ascii: "\\") else { return nil }
        var bytes = Array(line[start..<i])
        while i < n {
            let b = line[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(validating: bytes, as: UTF8.self)
            }
            guard b >= 0x20 else { return nil }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                i += 1
                continue
            }
            guard i + 1 < n else { return nil }
            let e = line[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(line, i) else { return nil }
                i += 4
                var scalar = UInt32(unit)
                if unit >= 0xD800 && unit < 0xDC00 {
                    guard i + 6 <= n, line[i] == UInt8(ascii: "\\"), line[i + 1] == UInt8(ascii: "u"), let low = hex4(line, i + 2),
                          low >= 0xDC00 && low < 0xE000
                    else { return nil }
                    i += 6
                    scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    return nil
                }
                guard let s = Unicode.Scalar(scalar) else { return nil }
                bytes.append(contentsOf: String(Character(s)).utf8)
            default:
                return nil
            }
        }
        return nil
    }

    private static func hex4(_ line: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt16? {
        guard at + 4 <= line.count else { return nil }
        var v: UInt16 = 0
        for k in 0..<4 {
            let c = line[at + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 55
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }
}
