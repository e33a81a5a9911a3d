import Foundation
import Outbreak
import Testing
import WormWatchCore

/// A run's records travel as JSON (to the Watch Center, between processes) and come back equal.
@Suite("Records that travel")
struct RecordCodableTests {
    static let scenario = Scenario(
        name: "travel", space: AddressSpace(bits: 20), population: Population(size: 300),
        worm: Worm(probeRate: .fixed(10), initialInfected: 2),
        monitors: [Monitor(name: "dark", prefixes: [IPv4Prefix(base: 0x0001_0000, length: 24)]),
                   Monitor(name: "pot", prefixes: [IPv4Prefix(base: 0x0002_0000, length: 28)], recordProbes: true)],
        startTime: 995_536_800, duration: 3600, interval: 300)

    @Test("rows, the summary and probes round-trip through JSON with snake_case keys")
    func roundTrip() throws {
        let record = try ExactEngine(scenario: Self.scenario).run(seed: 5, options: EngineOptions(keepProbes: true))
        let encoder = JSONEncoder()
        let rows = try JSONDecoder().decode([OutbreakRow].self, from: encoder.encode(record.rows))
        #expect(rows == record.rows)
        let summary = try JSONDecoder().decode(OutbreakSummary.self, from: encoder.encode(record.summary))
        #expect(summary == record.summary)
        let probes = try JSONDecoder().decode([MonitorProbe].self, from: encoder.encode(record.probes[1]))
        #expect(probes == record.probes[1] && !probes.isEmpty)
        let keys = Set(try #require(try JSONSerialization.jsonObject(with: encoder.encode(record.summary)) as? [String: Any]).keys)
        #expect(keys == ["events", "ever_infected", "final_infected", "monitor_sources", "peak_new_infections_per_minute",
                         "peak_time_seconds", "peak_traffic_bits_per_second", "population", "time_to_10pct_seconds",
                         "time_to_50pct_seconds", "time_to_90pct_seconds", "total_probes"])
    }

    @Test("monitor observations: one per monitor and interval, adding up to the run's counts")
    func observations() throws {
        let record = try ExactEngine(scenario: Self.scenario).run(seed: 5)
        let observations = record.monitorObservations
        #expect(observations.count == record.rows.count * 2)
        #expect(observations.first?.intervalStart == 995_536_800 && observations.first?.intervalSeconds == 300)
        let lastStart: Int64? = observations.last?.intervalStart
        #expect(lastStart == 995_540_100)
        for (m, name) in ["dark", "pot"].enumerated() {
            let mine = observations.filter { $0.monitor == name }
            #expect(mine.map(\.counts) == record.rows.map { $0.monitors[m] })
            #expect(mine.reduce(0) { $0 + $1.counts.newSources } == record.summary.monitorSources[m])
        }
        let decoded = try JSONDecoder().decode([MonitorObservation].self, from: JSONEncoder().encode(observations))
        #expect(decoded == observations)
    }
}
