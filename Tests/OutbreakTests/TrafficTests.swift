import Testing
import Outbreak
import WormWatchCore

@Suite("Traffic")
struct TrafficTests {
    @Test("traffic per /8 adds up to the total and follows the scan weights")
    func perSlash8() throws {
        let exclude = [IPv4Prefix("127.0.0.0/8")!, IPv4Prefix("224.0.0.0/3")!]
        let strategy = ScanStrategy.localized(anywhere: 0.125, components: [.init(length: 8, weight: 0.5), .init(length: 16, weight: 0.375)], exclude: exclude)
        var s = smallScenario(bits: 32, hosts: 2000, rate: 50, hours: 1, initial: 20, strategy: strategy,
                              placement: .clustered([.init(prefix: IPv4Prefix("44.0.0.0/8")!, weight: 1)]))
        s.space = .ipv4
        let record = try ExactEngine(scenario: s).run(seed: 3, options: EngineOptions(keepTrafficPerSlash8: true))
        #expect(record.trafficPerSlash8.count == record.rows.count)
        let omega = Double(UInt64(1) << 32) - Double(1 << 24) - Double(1 << 29)
        for (row, per8) in zip(record.rows, record.trafficPerSlash8) {
            let total = per8.reduce(0, +)
            #expect(Swift.abs(total - row.probesPerSecond) <= 1e-9 * Swift.max(1, row.probesPerSecond))
            // Every host lives in 44/8: it gets all local probes plus its share of the rest.
            let expected44 = row.probesPerSecond * (0.125 * Double(1 << 24) / omega + 0.875)
            #expect(Swift.abs(per8[44] - expected44) <= 1e-6 * Swift.max(1, expected44))
            #expect(per8[127] == 0 && per8[230] == 0)
            let expected10 = row.probesPerSecond * 0.125 * Double(1 << 24) / omega
            #expect(Swift.abs(per8[10] - expected10) <= 1e-6 * Swift.max(1, expected10))
        }
    }

    /// The exact engine reports the expected rate given its trajectory; the reference counts the
    /// probes it drew. Their means over runs agree.
    @Test("the reference engine's probe counts per /8 agree with the exact engine's rates on average")
    func perSlash8Reference() throws {
        let s = smallScenario(bits: 20, hosts: 200, rate: 2, hours: 1, initial: 5)
        let options = EngineOptions(keepTrafficPerSlash8: true)
        let exact = try ExactEngine(scenario: s), reference = try ReferenceEngine(scenario: s)
        let a = (0..<200).map { exact.run(seed: 1, run: $0, options: options).trafficPerSlash8[30][0] }
        let b = (0..<200).map { reference.run(seed: 2, run: $0, options: options).trafficPerSlash8[30][0] }
        // A z-test on the difference of means at 4 standard errors.
        func variance(_ x: [Double]) -> Double { let m = mean(x); return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1) }
        let se = (variance(a) / Double(a.count) + variance(b) / Double(b.count)).squareRoot()
        #expect(Swift.abs(mean(a) - mean(b)) < 4 * se, "means \(mean(a)) vs \(mean(b)), standard error \(se)")
        #expect(se < 0.2 * mean(b))
    }
}
