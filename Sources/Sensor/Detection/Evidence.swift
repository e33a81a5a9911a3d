import WormWatchCore
/// The short evidence strings of events.
enum Evidence {
    /// How many bytes of a request target the evidence shows.
    static let targetBytes = 80

    /// The first ``targetBytes`` bytes, printable ASCII as it is, `\` as `\\`, every other
    /// byte as `\xHH` (lower-case hex): the way Apache escapes a log item.
    static func target(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = UnsafeRawBufferPointer(rebasing: bytes.prefix(targetBytes))
        return String(unsafeUninitializedCapacity: shown.count * 4) { out in
            var w = 0
            for b in shown {
                if b == UInt8(ascii: "\\") {
                    out[w] = b
                    out[w + 1] = b
                    w += 2
                } else if b >= 0x20 && b < 0x7F {
                    out[w] = b
                    w += 1
                } else {
                    out[w] = UInt8(ascii: "\\")
                    out[w + 1] = UInt8(ascii: "x")
                    out[w + 2] = hexDigit(b >> 4)
                    out[w + 3] = hexDigit(b & 15)
                    w += 4
                }
            }
            return w
        }
    }

    /// `udp/1434, 376-byte payload, first bytes 04 01 01 01 01 01 01 01`.
    static func packet(_ transport: TransportProtocol, port: UInt16, length: Int, payload: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        out.append(contentsOf: transport.rawValue.utf8)
        out.append(UInt8(ascii: "/"))
        DecimalText.append(Int(port), to: &out)
        out.append(contentsOf: ", ".utf8)
        DecimalText.append(length, to: &out)
        out.append(contentsOf: "-byte payload".utf8)
        if !payload.isEmpty {
            out.append(contentsOf: ", first bytes".utf8)
            for b in payload.prefix(8) {
                out.append(UInt8(ascii: " "))
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 15))
            }
        }
        return String(decoding: out, as: UTF8.self)
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
