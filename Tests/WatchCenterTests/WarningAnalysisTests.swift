import EarlyWarning
import Foundation
import Outbreak
import OutbreakScenarios
import Testing
import WatchCenter
import WatchCenterTestSupport
import WormWatchCore

@Suite("The early warning over stored data")
struct WarningAnalysisTests {
    @Test("a store fed a replayed Code Red gives the detector's own verdict: same changes, same times", arguments: Backend.available)
    func storedVerdict(_ backend: Backend) async throws {
        let feed = try CodeRedFeed()
        let detected = try #require(feed.detectedAt)
        try await StoreFixture.with(backend) { f in
            let sensor = try await Make.sensor(f.store, "lbnl", monitors: CodeRedFeed.monitor)
            for (i, batch) in OutbreakFeed.batches(feed.intervals, family: "codered-v2").enumerated() {
                try await Make.ingest(f.store, batch, sensor: sensor, key: "b\(i)")
            }
            let assessment = try await WarningAnalysis.assess(family: "codered-v2", store: f.store)
            #expect(assessment.coverage == MonitorCoverage(monitored: 65_536))
            #expect(assessment.level == .active)
            #expect(assessment.changes == feed.changes)
            #expect(assessment.changes.first { $0.to == .active }?.time == detected)
            #expect(assessment.points.count == feed.minutesWithData)
            #expect(assessment.points.last?.observed == feed.intervals.reduce(0) { $0 + $1.new })

            // The forecast converges: made every 10 minutes once active, the last within 10 % of
            // the 360,000 hosts.
            #expect(assessment.forecasts.count >= 30)
            #expect(zip(assessment.forecasts, assessment.forecasts.dropFirst()).allSatisfy { $0.time < $1.time })
            let last = try #require(assessment.forecasts.last)
            #expect(abs(last.finalSize.median / 360_000 - 1) < 0.1, "\(last.finalSize)")

            let all = Advisory.advisories(for: assessment)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.timeNanoseconds <= $1.timeNanoseconds })
            let revised = all.filter { $0.id.contains("-forecast-") }
            #expect(revised.allSatisfy { $0.title.hasPrefix("Code Red (codered-v2): forecast revised ") && $0.level == .active })
            #expect(revised.count <= 3, "\(revised.map(\.paragraphs))")
            let advisories = all.filter { !$0.id.contains("-forecast-") }
            #expect(advisories.count == assessment.changes.count)
            let active = try #require(advisories.first { $0.level == .active })
            #expect(active.title == "Code Red (codered-v2) has gone active")
            #expect(active.paragraphs[0].hasPrefix("Data analysis at 2001-07-19T"))
            #expect(active.paragraphs.contains { $0.hasPrefix("Seen by 1 sensor watching 65,536 addresses (1/65,536 of IPv4).") })
            #expect(active.actions.first?.contains("MS01-033") == true)
            #expect(Set(advisories.map(\.id)).count == advisories.count)
        }
    }

    @Test("sensors that count sources without naming them: the largest one speaks alone, not their sum", arguments: Backend.available)
    func unnamedCounts(_ backend: Backend) async throws {
        let feed = try CodeRedFeed()
        try await StoreFixture.with(backend) { f in
            // Two telescopes that both count (never name) the same outbreak's sources.
            let big = try await Make.sensor(f.store, "big", monitors: CodeRedFeed.monitor)
            let small = try await Make.sensor(f.store, "small", monitors: "128.3.0.0/17")
            for (i, batch) in OutbreakFeed.batches(feed.intervals, family: "codered-v2").enumerated() {
                try await Make.ingest(f.store, batch, sensor: big, key: "b\(i)")
                try await Make.ingest(f.store, batch, sensor: small, key: "s\(i)")
            }
            let assessment = try await WarningAnalysis.assess(family: "codered-v2", store: f.store)
            #expect(assessment.basis.hasPrefix("big alone: the sensors count sources without naming them"))
            #expect(assessment.coverage == MonitorCoverage(monitored: 65_536))
            #expect(assessment.sensors == 1)
            #expect(assessment.changes == feed.changes)
            #expect(assessment.points.last?.observed == feed.intervals.reduce(0) { $0 + $1.new })
        }
    }

    @Test("unknown scanners on a port are assessed like a named worm, and their advisory says what to filter")
    func unknownScannersOnAPort() async throws {
        let feed = try CodeRedFeed()
        try await StoreFixture.with(.sqlite) { f in
            let sensor = try await Make.sensor(f.store, "lbnl", monitors: CodeRedFeed.monitor)
            for (i, batch) in OutbreakFeed.batches(feed.intervals, family: "unknown-tcp-445").enumerated() {
                try await Make.ingest(f.store, batch, sensor: sensor, key: "b\(i)")
            }
            let assessment = try await WarningAnalysis.assess(family: "unknown-tcp-445", store: f.store)
            #expect(assessment.level == .active)
            #expect(assessment.changes == feed.changes)
            let active = try #require(Advisory.advisories(for: assessment).first { $0.level == .active })
            #expect(active.title == "Unknown scanners on TCP port 445 (unknown-tcp-445) has gone active")
            #expect(active.actions.contains("Filter TCP port 445 at the network edge, inbound and outbound, where the service need not be reached."))
        }
    }

    @Test("coverage merges the sensors' blocks: an address watched twice counts once")
    func coverage() throws {
        func sensor(_ blocks: String) throws -> SensorRecord {
            SensorRecord(id: 1, name: "s", monitors: try SensorRegistration.monitors(blocks), createdNanoseconds: 0)
        }
        let c = WarningAnalysis.coverage(of: [try sensor("44.0.0.0/8"), try sensor("44.1.0.0/16,131.243.0.0/16"), try sensor("131.243.128.0/17")])
        #expect(c.monitored == (1 << 24) + (1 << 16))
    }
}
