import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
            let center = WatchCenterApp(store: store, configuration: configuration, now: { Make.now })
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
}
