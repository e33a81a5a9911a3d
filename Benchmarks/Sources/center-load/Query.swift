import AsyncHTTPClient
import Foundation
import NIOCore
import WatchCenter
import WormWatchCore

/// `center-load query URL --family F`: latencies of the read API over a month of data, one
/// request at a time (after a few unmeasured ones):
///   series-30d    `/api/v1/series?family=F&from=…&to=…&step=3600` (the whole month, 721 points)
///   series-24h    the same for one day chosen at random, step=60 (1,441 points)
///   sources-first `/api/v1/sources?family=F&limit=100`, the first page
///   sources-walk  following `next_cursor` page after page from the first
///   sources-deep  a page after a cursor at a random instant of the month (deep in the table)
///   sources-since `since=` a random instant, first page
///   sources-all   all families, a page after a cursor at a random instant (merged pages)
///   alerts-first  the early warning's first request, timed before the others (it waits for
///                 the assessment the server starts with); then alerts, estimates, dashboard,
///                 advisories (served from the cache while the data does not change)
enum QueryLoad {
    static func run(_ o: Options) async throws {
        guard let url = o.words.first else { throw Failure("query URL [--family F] [--requests N] [--days D] [--limit L] [--seed S]") }
        let base = try Loopback.check(url)
        let family = o.string("family") ?? "code-red-i"
        let requests = max(1, try o.int("requests", 300))
        let days = max(1, try o.int("days", 30))
        let limit = max(1, try o.int("limit", 100))
        var rng = SplitMix64(seed: UInt64(try o.int("seed", 7)))
        let from = Month.startNanoseconds
        let to = from + Int64(days) * Month.day
        let client = makeClient(connections: 1)

        func get(_ path: String) async throws -> (Double, String) {
            let t0 = ContinuousClock.now
            let response = try await client.execute(HTTPClientRequest(url: base + path), timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 64 << 20)
            let elapsed = (ContinuousClock.now - t0).seconds
            guard response.status == .ok else { throw Failure("GET \(path): HTTP \(response.status.code): \(String(buffer: body).prefix(300))", status: 69) }
            return (elapsed, String(buffer: body))
        }
        func iso(_ ns: Int64) -> String { UTCCalendar.iso8601(nanoseconds: ns) }
        func nextCursor(_ body: String) -> String? {
            guard let r = body.range(of: "\"next_cursor\":\"") else { return nil }
            let rest = body[r.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }
        func count(_ body: String) -> Int { body.components(separatedBy: "\"source\":").count - 1 }

        var rows: [(String, Latencies, String)] = []
        func measure(_ name: String, _ note: String, _ path: (inout SplitMix64) -> String) async throws {
            for _ in 0..<5 { _ = try await get(path(&rng)) }
            var l = Latencies()
            for _ in 0..<requests { l.values.append(try await get(path(&rng)).0) }
            rows.append((name, l, note))
            log("center-load: \(name): p50 \(ms(l.percentile(0.5))) ms, p99 \(ms(l.percentile(0.99))) ms")
        }
        let first = try await get("/api/v1/sources?family=\(family)&limit=\(limit)").1
        guard count(first) > 0 else { throw Failure("query: no sources of '\(family)' in the store", status: 69) }
        // The early warning's first request waits for the assessment the server starts with
        // (30 days of minutes); timed first, so that the reads below do not share the
        // machine's two cores with that start-up work.
        var cold = Latencies()
        cold.values.append(try await get("/api/v1/alerts").0)
        rows.append(("alerts-first", cold, "this client's first request, right after start (the server assesses at start, then when data change, at most every 5 s)"))

        try await measure("series-30d", "family=\(family), \(days) days, step=3600") { _ in
            "/api/v1/series?family=\(family)&from=\(iso(from))&to=\(iso(to))&step=3600"
        }
        try await measure("series-24h", "family=\(family), one day at random, step=60") { rng in
            let d = from + Int64(rng.below(days)) * Month.day
            return "/api/v1/series?family=\(family)&from=\(iso(d))&to=\(iso(d + Month.day))&step=60"
        }
        try await measure("sources-first", "family=\(family), limit=\(limit)") { _ in "/api/v1/sources?family=\(family)&limit=\(limit)" }
        // The walk: each request is the page after the previous one.
        var cursor = nextCursor(first)
        var walked = 1
        var walk = Latencies()
        for i in 0..<(requests + 5) {
            guard let c = cursor else { break }
            let (t, body) = try await get("/api/v1/sources?family=\(family)&limit=\(limit)&cursor=\(c)")
            if i >= 5 { walk.values.append(t) }
            cursor = nextCursor(body)
            walked += 1
        }
        rows.append(("sources-walk", walk, "next_cursor, pages 2–\(walked)"))
        try await measure("sources-deep", "cursor at a random instant of the month") { rng in
            let c = SourceCursor(
                firstSeenNanoseconds: from + Int64(rng.below(Int(to - from))), family: family, source: UInt32(truncatingIfNeeded: rng.next()))
            return "/api/v1/sources?family=\(family)&limit=\(limit)&cursor=\(c.text)"
        }
        try await measure("sources-since", "since= a random instant, first page") { rng in
            "/api/v1/sources?family=\(family)&limit=\(limit)&since=\(iso(from + Int64(rng.below(Int(to - from)))))"
        }
        // Every family at once: each family's page from its index, merged.
        try await measure("sources-all", "all families, cursor at a random instant of the month") { rng in
            let c = SourceCursor(
                firstSeenNanoseconds: from + Int64(rng.below(Int(to - from))), family: family, source: UInt32(truncatingIfNeeded: rng.next()))
            return "/api/v1/sources?limit=\(limit)&cursor=\(c.text)"
        }
        // The early warning, answered from the assessment in memory.
        for (name, path) in [("alerts", "/api/v1/alerts"), ("estimates", "/api/v1/estimates?family=\(family)"), ("top", "/api/v1/top?family=\(family)"), ("dashboard", "/"), ("advisories", "/api/v1/advisories")] {
            try await measure(name, "cached assessment") { _ in path }
        }
        try? await client.shutdown()
        for (name, l, note) in rows {
            print("query \(name) (\(note)): \(l.values.count) requests, p50 \(ms(l.percentile(0.5))) ms, p99 \(ms(l.percentile(0.99))) ms, max \(ms(l.max)) ms")
        }
        for (name, l, _) in rows {
            print("RESULT mode=query name=\(name) requests=\(l.values.count) p50_ms=\(ms(l.percentile(0.5))) p99_ms=\(ms(l.percentile(0.99))) max_ms=\(ms(l.max))")
        }
    }
}
