import Foundation
import Outbreak
import Testing
@testable import OutbreakScenarios
import WormWatchCore

private func prefix(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }
private func address(_ text: String) -> UInt32 { IPv4Address(text)!.value }

/// The example files in examples/ (not presets) parse to exactly the scenario they describe.
@Suite("Scenario examples")
struct ScenarioExampleTests {
    static let examples = packageRoot.appendingPathComponent("examples")

    @Test("examples/custom-worm.yaml uses every key and parses to the expected scenario")
    func customWorm() throws {
        let scenario = try ScenarioFile.load(path: Self.examples.appendingPathComponent("custom-worm.yaml").path)
        let expected = Scenario(
            name: "custom-worm",
            summary: "A fictional IIS worm with clustered victims, log-normal probe rates, patching and honeypots.",
            space: .ipv4,
            population: Population(size: 50_000, placement: .clustered([
                .init(prefix: prefix("24.0.0.0/8"), weight: 0.3),
                .init(prefix: prefix("128.3.0.0/16"), weight: 0.05),
            ])),
            worm: Worm(
                probeRate: .logNormal(median: 8, sigma: 0.7),
                infectionDelay: 1.5,
                strategy: .localized(anywhere: 0.25, components: [.init(length: 8, weight: 0.5), .init(length: 16, weight: 0.25)],
                                     exclude: [prefix("127.0.0.0/8"), prefix("224.0.0.0/3")]),
                initialInfected: 5,
                initialAddresses: [address("24.1.2.3")],
                lifecycle: Lifecycle(spreadUntilDay: 19, floodUntilDay: 27, floodTarget: address("198.137.240.91"), floodBitsPerSecond: 56_000),
                probeBytes: 62),
            hostEvents: HostEvents(
                patchSchedule: [.init(start: 0, rate: 0.001 / 3600), .init(start: 6 * 3600, rate: 0.02 / 3600)],
                cleanRate: 0.01 / 3600, rebootRate: 0.05 / 3600, awarenessPatchRate: 0.1 / 3600,
                diurnal: Diurnal(share: 0.2, offFromHour: 19, offUntilHour: 7,
                                 zones: [.init(utcOffsetHours: -5, weight: 0.6), .init(utcOffsetHours: 9, weight: 0.4)])),
            network: Network(congestionExponent: 2),
            monitors: [
                Monitor(name: "telescope", prefixes: [prefix("44.0.0.0/8")]),
                Monitor(name: "honeypots", prefixes: ["131.243.1.1", "131.243.1.2", "192.0.2.10", "192.0.2.11", "198.51.100.7"].map(prefix),
                        recordProbes: true),
            ],
            startTime: 995_536_800,
            duration: 12 * 3600,
            interval: 300)
        #expect(scenario == expected)
        _ = try ExactEngine(scenario: scenario)
    }

    @Test("examples/prefix-counts.yaml reads its counts from prefix-counts.csv")
    func prefixCounts() throws {
        let scenario = try ScenarioFile.load(path: Self.examples.appendingPathComponent("prefix-counts.yaml").path)
        let expected = Scenario(
            name: "prefix-counts",
            summary: "Hosts placed by counts per prefix from a CSV file, three classes of probe rate.",
            space: .ipv4,
            population: Population(size: 200_100, placement: .prefixCounts([
                .init(prefix: prefix("192.88.99.0/24"), count: 100),
                .init(prefix: prefix("24.0.0.0/8"), count: 120_000),
                .init(prefix: prefix("61.0.0.0/8"), count: 50_000),
                .init(prefix: prefix("128.3.0.0/16"), count: 20_000),
                .init(prefix: prefix("131.243.0.0/16"), count: 10_000),
            ])),
            worm: Worm(probeRate: .discrete([.init(rate: 2, weight: 0.5), .init(rate: 6, weight: 0.3), .init(rate: 20, weight: 0.2)]),
                       initialInfected: 3),
            monitors: [Monitor(name: "telescope", prefixes: [prefix("44.0.0.0/8")])],
            startTime: 995_536_800,
            duration: 24 * 3600)
        #expect(scenario == expected)
        _ = try ExactEngine(scenario: scenario)
    }

    @Test("every example scenario in examples/ loads")
    func everyExampleLoads() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names == ["custom-worm.yaml", "prefix-counts.yaml", "telescope-16.yaml"], "a new example needs a test of its values here")
        for name in names {
            _ = try ScenarioFile.load(path: Self.examples.appendingPathComponent(name).path)
        }
    }

    @Test("examples/telescope-16.yaml is codered-v2's day with a recording /16 and a /24 honeypot inside it")
    func telescopeExample() throws {
        let s = try ScenarioFile.load(path: Self.examples.appendingPathComponent("telescope-16.yaml").path)
        #expect(s.monitors == [
            Monitor(name: "telescope", prefixes: [prefix("131.243.0.0/16")], recordProbes: true),
            Monitor(name: "honeypot", prefixes: [prefix("131.243.7.0/24")], recordProbes: true),
        ])
        #expect(s.population == Population(size: 360_000))
        #expect(s.worm.probeRate == .fixed(6))
        #expect(s.startTime == 995_536_800)  // 2001-07-19T10:00:00Z
        #expect(s.duration == 86_400)
    }

    @Test("the complete example in docs/scenario-format.md is examples/custom-worm.yaml")
    func documentedExample() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.examples.appendingPathComponent("custom-worm.yaml"), encoding: .utf8)
        #expect(doc.contains("```yaml\n" + example + "```\n"))
    }

    @Test("the other placements and rate distributions", arguments: [
        ("  placement: addresses\n  addresses: [0.0.1.1, 0.0.2.2]",
         Population(size: 2, placement: .addresses([0x0101, 0x0202]))),
        ("  placement: prefix_counts\n  prefix_counts:\n    - prefix: 0.1.0.0/16\n      count: 7",
         Population(size: 7, placement: .prefixCounts([.init(prefix: prefix("0.1.0.0/16"), count: 7)]))),
        ("  size: 100\n  placement: uniform", Population(size: 100, placement: .uniform)),
    ])
    func placements(population: String, expected: Population) throws {
        let scenario = try ScenarioFile.parse(tiny(replacing: "  size: 100", with: population))
        #expect(scenario.population == expected)
    }

    @Test("probe-rate distributions", arguments: [
        ("{distribution: fixed, value: 4}", ProbeRate.fixed(4)),
        ("{distribution: uniform, min: 1, max: 3}", ProbeRate.uniform(min: 1, max: 3)),
        ("{distribution: lognormal, median: 6, sigma: 0.5}", ProbeRate.logNormal(median: 6, sigma: 0.5)),
        ("1_000", ProbeRate.fixed(1000)),
    ])
    func rates(rate: String, expected: ProbeRate) throws {
        let scenario = try ScenarioFile.parse(tiny(replacing: "probe_rate: 10", with: "probe_rate: \(rate)"))
        #expect(scenario.worm.probeRate == expected)
    }

    @Test("defaults of the optional keys")
    func defaults() throws {
        let s = try ScenarioFile.parse(tiny(replacing: "space:\n  bits: 20\n  reserved: []\n", with: ""))
        #expect(s.summary == "")
        #expect(s.startTime == 0)
        #expect(s.interval == 60)
        #expect(s.space == .ipv4)
        #expect(s.worm == Worm(probeRate: .fixed(10)))
        #expect(s.worm.initialInfected == 1)
        #expect(s.worm.infectionDelay == 0)
        #expect(s.worm.probeBytes == 62)
        #expect(s.worm.lifecycle == nil)
        #expect(s.hostEvents == HostEvents())
        #expect(s.network.congestionExponent == 0)
        #expect(s.monitors.isEmpty)
    }
}
