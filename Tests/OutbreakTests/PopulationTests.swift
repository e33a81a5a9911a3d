import Testing
import WormWatchCore
@testable import Outbreak

/// Placing hosts: full and nearly full regions, and monitors that see almost nothing.
@Suite("Population placement and extreme monitors")
struct PopulationTests {
    @Test("a population that fills its whole space, or nine tenths of it, is placed at once, distinct and usable")
    func nearlyFull() throws {
        let reserved = [IPv4Prefix(base: 0x0000_1000, length: 20)]  // 4096 of the 65536 addresses
        for size in [61_440, 55_000, 40_000] {
            let scenario = Scenario(
                name: "full", space: AddressSpace(bits: 16, reserved: reserved), population: Population(size: size),
                worm: Worm(probeRate: .fixed(1), initialAddresses: [0x0000_0005, 0x0000_FFFF]), duration: 60)
            try scenario.validate()
            var rng = Xoshiro256StarStar(seed: 3)
            let clock = ContinuousClock.now
            let hosts = PopulationBuilder.place(scenario, rng: &rng)
            #expect(ContinuousClock.now - clock < .seconds(5))
            #expect(hosts.count == size && Set(hosts).count == size)
            #expect(hosts == hosts.sorted())
            #expect(!hosts.contains { reserved[0].contains($0) })
            #expect(hosts.contains(0x0000_0005) && hosts.contains(0x0000_FFFF))
        }
    }

    @Test("left-out sampling is uniform: each address of a nine-tenths-full space is taken nine times in ten")
    func nearlyFullIsUniform() {
        let scenario = Scenario(name: "u", space: AddressSpace(bits: 16), population: Population(size: 58_982),
                                worm: Worm(probeRate: .fixed(1)), duration: 60)
        var taken = [Int](repeating: 0, count: 65_536)
        var rng = Xoshiro256StarStar(seed: 9)
        let rounds = 40
        for _ in 0..<rounds { for a in PopulationBuilder.place(scenario, rng: &rng) { taken[Int(a)] += 1 } }
        // Per /8-sized slice of 4096 addresses: 4096 × 40 × 0.9 = 147,455 expected, sd ≈ 120.
        for slice in 0..<16 {
            let count = taken[(slice * 4096)..<((slice + 1) * 4096)].reduce(0, +)
            #expect(Swift.abs(Double(count) - 147_455.6) < 1000, "slice \(slice): \(count)")
        }
    }

    @Test("a monitor whose sources almost never probe it does not trap")
    func tinyMonitorRate() throws {
        let scenario = Scenario(
            name: "tiny", space: AddressSpace(bits: 24), population: Population(size: 500),
            worm: Worm(probeRate: .fixed(1e-20), initialInfected: 20),
            monitors: [Monitor(name: "dark", prefixes: [IPv4Prefix(base: 0x0000_0100, length: 24)])], duration: 3600)
        let record = try ExactEngine(scenario: scenario).run(seed: 1)
        #expect(record.summary.monitorSources == [0])
        #expect(record.rows.allSatisfy { $0.monitors[0].probes == 0 })
    }
}
