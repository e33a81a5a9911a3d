/// The short evidence strings of events.
enum Evidence {
    /// How many bytes of a request target the evidence shows.
    static let targetBytes = 80

    /// The first ``targetBytes`` bytes, printable ASCII as it is, `\` as `\\`, every other
    /// byte as `\xHH` (lower-case hex): the way Apache escapes a log item.
    static func target(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(bytes.count, targetBytes) + 8)
        for b in bytes.prefix(targetBytes) {
            if b == UInt8(ascii: "\\") {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            } else if b >= 0x20 && b < 0x7F {
                out.append(b)
            } else {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hexDigit(b >> 4), hexDigit(b & 15)]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `udp/1434, 376-byte payload, first bytes 04 01 01 01 01 01 01 01`.
    static func packet(_ transport: TransportProtocol, port: UInt16, length: Int, payload: UnsafeRawBufferPointer) -> String {
        var text = "\(transport.rawValue)/\(port), \(length)-byte payload"
        if !payload.isEmpty {
            text += ", first bytes"
            for b in payload.prefix(8) { text += " " + String(decoding: [hexDigit(b >> 4), hexDigit(b & 15)], as: UTF8.self) }
        }
        return text
    }

    /// `25 distinct destinations on tcp/80 within 300 s`.
    static func scan(count: Int, transport: TransportProtocol, port: UInt16, windowSeconds: Double) -> String {
        let window = windowSeconds.rounded() == windowSeconds ? String(Int64(windowSeconds)) : "\(windowSeconds)"
        return "\(count) distinct destinations on \(transport.rawValue)/\(port) within \(window) s"
    }

    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
