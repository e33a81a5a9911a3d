import Foundation
import Testing
import WormWatchCore

/// The distinct-source counter: exact while small, a HyperLogLog sketch whose error is the one
/// it states when large, and unions that count each address once.
@Suite("Distinct counter")
struct DistinctCounterTests {
    /// `n` distinct addresses, a different set for each `run` (an odd multiplier is a bijection
    /// of 32-bit words).
    static func addresses(_ n: Int, run: UInt32) -> [UInt32] {
        (0..<UInt32(n)).map { $0 &* 0x9E37_79B1 &+ run &* 0x85EB_CA6B }
    }

    @Test("exact up to its limit, duplicates counted once")
    func exactWhileSmall() {
        var counter = DistinctCounter(exactLimit: 50_000)
        var reference = Set<UInt32>()
        var rng = SplitMix64(seed: 7)
        for _ in 0..<120_000 {
            let a = UInt32(truncatingIfNeeded: rng.next()) % 60_000
            counter.insert(a); reference.insert(a)
        }
        // 60,000 values drawn 120,000 times: about 51,900 distinct, over the limit.
        #expect(reference.count > 50_000)
        #expect(!counter.isExact)
        #expect(abs(Double(counter.count - reference.count)) < 4 * counter.standardError * Double(reference.count))

        var small = DistinctCounter(exactLimit: 50_000)
        for a in Self.addresses(50_000, run: 1) { small.insert(a); small.insert(a) }
        #expect(small.isExact)
        #expect(small.count == 50_000)
        #expect(small.standardError == 0)
    }

    @Test("the sketch's error is the stated 1.04/√m, unbiased, from 10 to 10^6 sources")
    func sketchError() {
        let precision = 14
        let sigma = 1.04 / Double(1 << precision).squareRoot()
        for n in [10, 1_000, 20_000, 200_000, 1_000_000] {
            var errors: [Double] = []
            for run in 0..<24 {
                var counter = DistinctCounter(exactLimit: 0, precision: precision, seed: UInt64(run) &* 0x1234_5678_9ABC_DEF1)
                for a in Self.addresses(n, run: UInt32(run)) { counter.insert(a) }
                #expect(!counter.isExact)
                errors.append(Double(counter.count - n) / Double(n))
            }
            let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
            let mean = errors.reduce(0, +) / Double(errors.count)
            let worst = errors.map(abs).max() ?? 0
            if n <= 1_000 {
                // Few sources fill few registers: the error is linear counting's,
                // √(m(e^t − t − 1))/n with t = n/m, below 1.04/√m.
                let m = Double(1 << precision), t = Double(n) / m
                let linear = (m * (exp(t) - t - 1)).squareRoot() / Double(n)
                #expect(rms < 1.5 * linear && linear < sigma, "n \(n): rms \(rms), linear counting's \(linear)")
            } else {
                #expect(rms > 0.6 * sigma && rms < 1.4 * sigma, "n \(n): rms \(rms), stated \(sigma)")
                #expect(abs(mean) < 3 * sigma / Double(errors.count).squareRoot(), "n \(n): bias \(mean)")
            }
            #expect(worst < 4 * sigma, "n \(n): worst \(worst)")
        }
    }

    @Test("memory is bounded once a sketch")
    func boundedMemory() {
        var counter = DistinctCounter(exactLimit: 1_000, precision: 12)
        for a in Self.addresses(2_000_000, run: 3) { counter.insert(a) }
        #expect(counter.byteCount == 4_096)
        #expect(abs(Double(counter.count) / 2_000_000 - 1) < 4 * counter.standardError)
    }

    @Test("a union counts each address once, whatever the two sides are")
    func union() {
        let a = Self.addresses(300_000, run: 5)
        let shared = Array(a[100_000...])
        let b = shared + Self.addresses(100_000, run: 6)
        func counter(_ xs: [UInt32], limit: Int) -> DistinctCounter {
            var c = DistinctCounter(exactLimit: limit)
            for x in xs { c.insert(x) }
            return c
        }
        // Both sketches: the union's registers are those of a counter fed both lists.
        var both = counter(a, limit: 10)
        both.formUnion(counter(b, limit: 10))
        let fed = counter(a + b, limit: 10)
        #expect(both.count == fed.count)
        #expect(abs(Double(both.count) / 400_000 - 1) < 4 * both.standardError)
        // An exact side merged into a sketch, and two exact sides.
        var mixed = counter(a, limit: 10)
        mixed.formUnion(counter(Array(b.prefix(1_000)), limit: 1 << 20))
        #expect(mixed.count == counter(a + b.prefix(1_000), limit: 10).count)
        var exact = counter(Array(a.prefix(2_000)), limit: 1 << 20)
        exact.formUnion(counter(Array(a.prefix(3_000).suffix(2_000)), limit: 1 << 20))
        #expect(exact.isExact && exact.count == 3_000)
        // An exact counter taking a sketch becomes one.
        var small = counter(Array(a.prefix(10)), limit: 1 << 20)
        small.formUnion(counter(a, limit: 10))
        #expect(!small.isExact && small.count == counter(a, limit: 10).count)
    }
}
