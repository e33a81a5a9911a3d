import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Sensor
import Testing
import WatchCenter
import WatchCenterServer
import WatchCenterTestSupport
import WormWatchCore

/// Alerts, estimates and advisories over a store fed a replayed Code Red v2.
@Suite struct WarningRouteTests {
    @Test func alertsEstimatesAndAdvisories() async throws {
        let feed = try CodeRedFeed()
        try await StoreFixture.with(.sqlite) { f in try await Self.check(f.store, feed: feed) }
    }

    static func check<S: ObservationStore>(_ store: S, feed: CodeRedFeed) async throws {
            let sensor = try await Make.sensor(store, "lbnl", monitors: "131.243.0.0/16")
            // Quiet before any data: no families, no advisories.
            var configuration = CenterConfiguration()
            configuration.assessmentMaxAgeSeconds = 0
            // A replay's truth, as the demo gives it: the forecast chart draws its final size.
            let truth = ReplayTruth()
            truth.set(family: "codered-v2", times: [Double(feed.intervals[0].start / 1_000_000_000)], everInfected: [360_000])
            let center = WatchCenterApp(store: store, configuration: configuration, now: { Make.now }, truth: truth)
            // With the default, an assessment is served from memory for 5 s: data that arrives
            // in between shows on the next refresh.
            let cached = Application(router: WatchCenterApp(store: store, configuration: CenterConfiguration(), now: { Make.now }).router(context: BasicRequestContext.self))
            let app = Application(router: center.router(context: BasicRequestContext.self))
            try await app.test(.router) { client in
                let empty = try ServerTests.json(try await client.execute(uri: "/api/v1/alerts", method: .get))
                #expect(empty["level"] as? String == "quiet")
                #expect((empty["families"] as? [Any])?.isEmpty == true)
                let none = try await client.execute(uri: "/advisories", method: .get)
                #expect(String(buffer: none.body).contains("No advisories: every family is quiet."))

                try await cached.test(.router) { client in
                    let before = try ServerTests.json(try await client.execute(uri: "/api/v1/alerts", method: .get))
                    #expect((before["families"] as? [Any])?.isEmpty == true)
                    for (i, batch) in OutbreakFeed.batches(feed.intervals, family: "codered-v2").enumerated() {
                        try await Make.ingest(store, batch, sensor: sensor, key: "b\(i)")
                    }
                    let after = try ServerTests.json(try await client.execute(uri: "/api/v1/alerts", method: .get))
                    #expect((after["families"] as? [Any])?.isEmpty == true, "served from memory")
                }
                let alerts = try ServerTests.json(try await client.execute(uri: "/api/v1/alerts", method: .get))
                #expect(alerts["format"] as? String == "wormwatch.alerts/1")
                #expect(alerts["level"] as? String == "active")
                let family = try #require((alerts["families"] as? [[String: Any]])?.first)
                #expect(family["family"] as? String == "codered-v2")
                #expect(family["colour"] as? String == "red")
                #expect(family["monitored_addresses"] as? Int == 65_536)
                #expect((family["reasons"] as? [String])?.first?.hasPrefix("the growth rate has held at ") == true)

                let estimates = try ServerTests.json(try await client.execute(uri: "/api/v1/estimates?family=codered-v2&hours=720", method: .get))
                #expect(estimates["format"] as? String == "wormwatch.estimates/1")
                let points = try #require(estimates["points"] as? [[String: Any]])
                #expect(points.count == feed.minutesWithData)
                #expect(points.last?["level"] as? String == "active")
                #expect((estimates["changes"] as? [[String: Any]])?.map { $0["to"] as? String }.last == "active")

                let day = try ServerTests.json(try await client.execute(uri: "/api/v1/estimates?family=codered-v2", method: .get))
                #expect((day["points"] as? [Any])?.count == min(1_440, feed.minutesWithData), "the last 24 hours by default")
                let badHours = try await client.execute(uri: "/api/v1/estimates?family=codered-v2&hours=0", method: .get)
                #expect(badHours.status == .badRequest)
                let missing = try await client.execute(uri: "/api/v1/estimates", method: .get)
                #expect(missing.status == .badRequest)
                let unknown = try await client.execute(uri: "/api/v1/estimates?family=nimda", method: .get)
                #expect(unknown.status == .notFound)
                #expect(try ServerTests.errorOf(unknown)["message"] as? String == "no data for family 'nimda'")

                let advisories = try ServerTests.json(try await client.execute(uri: "/api/v1/advisories", method: .get))
                let list = try #require(advisories["advisories"] as? [[String: Any]])
                #expect(zip(list, list.dropFirst()).allSatisfy { ($0["time"] as? String ?? "") >= ($1["time"] as? String ?? "") }, "newest first")
                #expect(list.first { ($0["previous"] as? String) == "watch" }?["title"] as? String == "Code Red (codered-v2) has gone active")

                let html = try await client.execute(uri: "/advisories", method: .get)
                #expect(html.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: html.body).contains("<h2>Code Red (codered-v2) has gone active</h2>"))
                let atom = try await client.execute(uri: "/advisories.atom", method: .get)
                #expect(atom.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let feedText = String(buffer: atom.body)
                #expect(feedText.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
                #expect(feedText.components(separatedBy: "<entry>").count - 1 == list.count)
                // The dashboard and its stream.
                let page = try await client.execute(uri: "/", method: .get)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let dashboard = String(buffer: page.body)
                #expect(dashboard.contains(#"<main id="live"><section class="overall" data-level="active""#))
                #expect(dashboard.components(separatedBy: "<svg").count - 1 == 3, "infected hosts, traffic, the forecast's history")
                #expect(dashboard.contains("Forecast of the final size, as it was made"))
                #expect(dashboard.contains("final size (true, replay)"))
                #expect(dashboard.contains("new EventSource('/dashboard/stream')"))
                #expect(!dashboard.contains("<script src") && !dashboard.contains("<link rel=\"stylesheet\""), "nothing loaded from elsewhere")
                let stream = try await client.execute(uri: "/dashboard/stream?once=1", method: .get)
                #expect(stream.headers[.contentType] == "text/event-stream")
                let event = String(buffer: stream.body)
                #expect(event.hasPrefix(#"data: <section class="overall" data-level="active""#))
                #expect(event.hasSuffix("\n\n"))
                #expect(event.split(separator: "\n", omittingEmptySubsequences: false).dropLast(2).allSatisfy { $0.hasPrefix("data: ") })
                // Atom is XML: it parses.
                let parser = XMLParser(data: Data(feedText.utf8))
                #expect(parser.parse())
            }
    }

    @Test("top sources and /16 prefixes, and a replay's true curve, on the API and the dashboard")
    func topSourcesAndTruth() async throws {
        try await StoreFixture.with(.sqlite) { f in try await Self.checkTop(f.store) }
    }

    static func checkTop<S: ObservationStore>(_ store: S) async throws {
        do {
            let sensor = try await Make.sensor(store, "web", monitors: "192.0.2.0/24")
            // 12.1.0.0/16 holds 5 sources, 12.1.0.9 the loudest (7 events); 12.2.0.0/16 holds 2.
            var events: [SensorEvent] = []
            for (i, source) in ["12.1.0.1", "12.1.0.2", "12.1.0.3", "12.1.0.4", "12.2.0.1", "12.2.0.2"].enumerated() {
                events.append(Make.event(source: Make.address(source), at: Make.day + Int64(i) * Make.minute))
            }
            for k in 0..<7 { events.append(Make.event(source: Make.address("12.1.0.9"), at: Make.day + Int64(10 + k) * Make.minute)) }
            try await Make.ingest(store, IngestBatch(events: events), sensor: sensor, key: "t")
            var settings = CenterConfiguration()
            settings.assessmentMaxAgeSeconds = 0
            let configuration = settings
            let truth = ReplayTruth()
            let start = Double(Make.day / 1_000_000_000)
            // A true curve that runs past the data: only its part up to the data is drawn.
            truth.set(family: "code-red-v2", times: (0..<60).map { start + Double($0) * 60 }, everInfected: (0..<60).map { Double($0 + 1) })
            let center = WatchCenterApp(store: store, configuration: configuration, now: { Make.now }, truth: truth)
            let app = Application(router: center.router(context: BasicRequestContext.self))
            try await app.test(.router) { client in
                let top = try ServerTests.json(try await client.execute(uri: "/api/v1/top?family=code-red-v2", method: .get))
                #expect(top["format"] as? String == "wormwatch.top/1")
                let sources = try #require(top["sources"] as? [[String: Any]])
                #expect(sources.map { $0["source"] as? String } == ["12.1.0.9", "12.1.0.1", "12.1.0.2", "12.1.0.3", "12.1.0.4", "12.2.0.1", "12.2.0.2"])
                #expect(sources.first?["events"] as? Int == 7 && sources.first?["first_seen"] as? String == "2001-07-19T00:10:00Z")
                let prefixes = try #require(top["prefixes"] as? [[String: Any]])
                #expect(prefixes.map { "\($0["prefix"] ?? "") \($0["sources"] ?? "")" } == ["12.1.0.0/16 5", "12.2.0.0/16 2"])
                #expect(try await client.execute(uri: "/api/v1/top", method: .get).status == .badRequest)
                let unknown = try await client.execute(uri: "/api/v1/top?family=nimda", method: .get)
                #expect(unknown.status == .notFound)

                let dashboard = String(buffer: try await client.execute(uri: "/", method: .get).body)
                #expect(dashboard.contains("<caption>Top sources</caption>"))
                #expect(dashboard.contains("<tr><td>12.1.0.9</td><td>7</td><td>2001-07-19T00:10:00Z</td></tr>"))
                #expect(dashboard.contains("<tr><td>12.1.0.0/16</td><td>5</td></tr>"))
                #expect(dashboard.contains("infected (true, replay)"))
                // Without a replay run by the server there is no true curve.
                let plain = WatchCenterApp(store: store, configuration: configuration, now: { Make.now })
                let without = try await Application(router: plain.router(context: BasicRequestContext.self)).test(.router) { client in
                    String(buffer: try await client.execute(uri: "/", method: .get).body)
                }
                #expect(!without.contains("infected (true, replay)"))
                // With the default cache the dashboard never waits for the top lists: they are
                // read in the background (or at once by /api/v1/top) and show from then on.
                let cachedCenter = WatchCenterApp(store: store, configuration: CenterConfiguration(), now: { Make.now })
                try await Application(router: cachedCenter.router(context: BasicRequestContext.self)).test(.router) { client in
                    let top = try ServerTests.json(try await client.execute(uri: "/api/v1/top?family=code-red-v2", method: .get))
                    #expect((top["sources"] as? [Any])?.count == 7)
                    let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
                    #expect(page.contains("<tr><td>12.1.0.0/16</td><td>5</td></tr>"))
                }
                // A center prepared before it listens (as `run` does) has the top lists for the
                // very first dashboard (otherwise they are read in the background meanwhile).
                let prepared = WatchCenterApp(store: store, configuration: CenterConfiguration(), now: { Make.now })
                await prepared.prepare()
                let warm = try await Application(router: prepared.router(context: BasicRequestContext.self)).test(.router) { client in
                    String(buffer: try await client.execute(uri: "/", method: .get).body)
                }
                #expect(warm.contains("<tr><td>12.1.0.9</td><td>7</td><td>2001-07-19T00:10:00Z</td></tr>"))
            }
        }
    }
}
