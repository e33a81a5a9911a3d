import Testing
import WormWatchCore
import WormWatchTestSupport

/// Dotted quads: the byte scanner against a plain reading of the rule (four parts of one to
/// three ASCII digits, each at most 255).
@Suite("IPv4 addresses")
struct IPv4AddressTests {
    /// The rule, written the slow and obvious way.
    static func reference(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let v = UInt32(part), v <= 255 else { return nil }
            value = value << 8 | v
        }
        return value
    }

    @Test("valid and invalid quads")
    func table() {
        #expect(IPv4Address("198.137.240.91")?.value == 0xC689_F05B)
        #expect(IPv4Address("0.0.0.0")?.value == 0)
        #expect(IPv4Address("255.255.255.255")?.value == .max)
        #expect(IPv4Address("001.02.3.004")?.value == 0x0102_0304)
        for bad in ["", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.0004",
                    "1.2.3.-4", "1.2.3.+4", "1.2.3.٤", "1.2.3.4\0", "a.b.c.d", "999.1.1.1"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test("agrees with the reference on 200,000 random strings over digits, dots and noise")
    func agreesWithReference() {
        var rng = SeededRandom(seed: 11)
        let alphabet: [Character] = Array("0123456789....  x5٣")
        for _ in 0..<200_000 {
            let length = Int(rng.next() % 18)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            #expect(IPv4Address(text)?.value == Self.reference(text), "\(text)")
        }
        // Every address survives its own description.
        for _ in 0..<10_000 {
            let a = UInt32(truncatingIfNeeded: rng.next())
            #expect(IPv4Address(IPv4Address(a).description)?.value == a)
        }
    }
}
