import Testing
import WormWatchCore
@testable import Sensor

/// The 16-byte scanner agrees with a byte-by-byte reading at every position, across block
/// edges, in the overlapping last block, and for short targets.
@Suite("Matching: the path scanner")
struct MatchPathScanTests {
    static func reference(_ t: [UInt8]) -> PathScan {
        var decode = false, dotDot = false
        var i = 0
        while i < t.count && t[i] != UInt8(ascii: "?") {
            if t[i] == UInt8(ascii: "%") || t[i] == UInt8(ascii: "\\") || t[i] >= 0x80 { decode = true }
            if i > 0 && t[i] == UInt8(ascii: ".") && t[i - 1] == UInt8(ascii: ".") { dotDot = true }
            i += 1
        }
        return PathScan(end: i, needsDecoding: decode, dotDot: dotDot)
    }

    static func scan(_ t: [UInt8]) -> PathScan {
        t.withUnsafeBytes { PathScan.scan($0) }
    }

    static func same(_ a: PathScan, _ b: PathScan) -> Bool {
        a.end == b.end && a.needsDecoding == b.needsDecoding && a.dotDot == b.dotDot
    }

    @Test("one special byte or pair at every position of targets of every length up to 50")
    func everyPosition() {
        let specials: [[UInt8]] = [[0x25], [0x5C], [0x80], [0xFF], [0x3F], [0x2E, 0x2E], [0x2E, 0x3F, 0x2E], [0x3F, 0x25], [0x3F, 0x2E, 0x2E]]
        var wrong: [[UInt8]] = []
        for length in 0...50 {
            for special in specials where special.count <= length {
                for at in 0...(length - special.count) {
                    var t = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    for (k, b) in special.enumerated() { t[at + k] = b }
                    if !Self.same(Self.scan(t), Self.reference(t)) { wrong.append(t) }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }

    @Test("random targets, mostly dots, question marks and specials")
    func random() {
        var random = TestRandom(seed: 16)
        let alphabet: [UInt8] = [0x2E, 0x2E, 0x2E, 0x3F, 0x25, 0x5C, 0x2F, 0x61, 0x61, 0xC0, 0x00]
        var wrong: [[UInt8]] = []
        for _ in 0..<20_000 {
            let t = (0..<random.below(70)).map { _ in random.below(6) == 0 ? alphabet[random.below(alphabet.count)] : UInt8(ascii: "x") }
            if !Self.same(Self.scan(t), Self.reference(t)) { wrong.append(t) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }
}
