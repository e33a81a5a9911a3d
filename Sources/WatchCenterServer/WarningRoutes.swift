import EarlyWarning
import Foundation
import Hummingbird
import NIOCore
import WatchCenter
import WormWatchCore

/// The early warning's routes: alert levels, estimates and forecasts, advisories (JSON, HTML,
/// Atom).
struct WarningRoutes<Store: ObservationStore>: Sendable {
    let cache: AssessmentCache<Store>

    func assessments() async throws -> [FamilyAssessment] {
        do throws(StoreError) { return try await cache.all() } catch { throw APIError(error) }
    }

    func assessment(_ family: String) async throws -> FamilyAssessment {
        let found: FamilyAssessment?
        do throws(StoreError) { found = try await cache.assessment(family: family) } catch { throw APIError(error) }
        guard let found else { throw Self.unknownFamily(family) }
        return found
    }

    /// The 404 for a family without data.
    static func unknownFamily(_ family: String) -> APIError {
        APIError(.notFound, code: "unknown_family", message: "no data for family '\(family)'", field: "family")
    }

    static func iso(_ seconds: Double) -> String { UTCCalendar.iso8601(nanoseconds: Int64((seconds * 1e9).rounded())) }

    static func band(_ key: String, _ band: ForecastBand, time: Bool, to w: inout JSONWriter) {
        w.openObject(key)
        if time {
            w.string("median", iso(band.median)); w.string("low", iso(band.low)); w.string("high", iso(band.high))
        } else {
            w.number("median", band.median.rounded()); w.number("low", band.low.rounded()); w.number("high", band.high.rounded())
        }
        w.closeObject()
    }

    static func summary(_ a: FamilyAssessment, to w: inout JSONWriter) {
        w.string("family", a.family)
        w.string("level", a.level.rawValue)
        w.string("colour", a.level.colour)
        if let last = a.changes.last { w.string("since", iso(last.time)) } else { w.null("since") }
        w.openArray("reasons")
        for reason in a.changes.last?.reasons ?? [] { w.string(nil, reason) }
        w.closeArray()
        w.int("monitored_addresses", Int(a.coverage.monitored))
        w.int("sensors", a.sensors)
        w.string("basis", a.basis)
        w.int("sources_seen", a.latest?.observed ?? 0)
        if let e = a.latest?.estimate {
            w.openObject("infected")
            w.string("at", iso(e.time))
            w.number("estimate", e.infected.rounded()); w.number("low", e.low.rounded()); w.number("high", e.high.rounded())
            w.number("probe_rate", e.probeRate)
            w.closeObject()
        } else {
            w.null("infected")
        }
        if let g = a.latest?.growthPerHour { w.number("growth_per_hour", g) } else { w.null("growth_per_hour") }
        if let f = a.forecast {
            w.openObject("forecast")
            w.string("at", iso(f.time))
            band("final_size", f.finalSize, time: false, to: &w)
            band("time_to_50_percent", f.timeTo50Percent, time: true, to: &w)
            band("time_to_90_percent", f.timeTo90Percent, time: true, to: &w)
            w.closeObject()
        } else {
            w.null("forecast")
        }
    }

    func alerts(_ request: Request, context: some RequestContext) async throws -> Response {
        let all = try await assessments()
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.alerts/1")
        w.string("level", (all.map(\.level).max() ?? .quiet).rawValue)
        w.openArray("families")
        for a in all {
            w.openObject()
            Self.summary(a, to: &w)
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return ReadRoutes<Store>.json(w)
    }

    /// `/api/v1/top?family=F`: the family's top sources and /16 prefixes (at most a minute old).
    func top(_ request: Request, context: some RequestContext) async throws -> Response {
        let p = ReadRoutes<Store>.Parameters(request)
        guard let family = try p.family() else { throw APIError.parameter("family", "name the family: family=…") }
        let found: TopSources?
        do throws(StoreError) { found = try await cache.top(family: family) } catch { throw APIError(error) }
        guard let top = found else { throw Self.unknownFamily(family) }
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.top/1")
        w.string("family", top.family)
        w.openArray("sources")
        for s in top.sources {
            w.openObject()
            w.string("source", IPv4Address(s.source).description); w.int("events", Int(s.events))
            w.string("first_seen", UTCCalendar.iso8601(nanoseconds: s.firstSeenNanoseconds))
            w.string("last_seen", UTCCalendar.iso8601(nanoseconds: s.lastSeenNanoseconds))
            w.closeObject()
        }
        w.closeArray()
        w.openArray("prefixes")
        for prefix in top.prefixes {
            w.openObject()
            w.string("prefix", "\(IPv4Address(prefix.network))/16"); w.int("sources", Int(prefix.sources))
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return ReadRoutes<Store>.json(w)
    }

    func estimates(_ request: Request, context: some RequestContext) async throws -> Response {
        let p = ReadRoutes<Store>.Parameters(request)
        guard let family = try p.family() else { throw APIError.parameter("family", "name the family: family=…") }
        let hours = try p.int("hours", in: 1...720) ?? 24
        let a = try await assessment(family)
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.estimates/1")
        Self.summary(a, to: &w)
        w.openArray("changes")
        for c in a.changes {
            w.openObject()
            w.string("time", Self.iso(c.time)); w.string("from", c.from.rawValue); w.string("to", c.to.rawValue)
            w.openArray("reasons")
            for r in c.reasons { w.string(nil, r) }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        w.int("hours", hours)
        w.openArray("points")
        for point in a.points.suffix(hours * 60) {
            w.openObject()
            w.string("time", UTCCalendar.iso8601(nanoseconds: point.timeNanoseconds))
            w.int("sources_seen", point.observed)
            w.int("new_sources", point.newSources)
            w.int("probes", point.probes)
            if let e = point.estimate {
                w.number("infected", e.infected.rounded()); w.number("low", e.low.rounded()); w.number("high", e.high.rounded())
            }
            if let g = point.growthPerHour { w.number("growth_per_hour", g) }
            w.string("level", point.level.rawValue)
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return ReadRoutes<Store>.json(w)
    }

    func advisories() async throws -> [Advisory] {
        try await assessments().flatMap(Advisory.advisories(for:)).sorted { ($0.timeNanoseconds, $0.id) > ($1.timeNanoseconds, $1.id) }
    }

    func advisoriesJSON(_ request: Request, context: some RequestContext) async throws -> Response {
        let list = try await advisories()
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.advisories/1")
        w.openArray("advisories")
        for a in list {
            w.openObject()
            w.string("id", a.id)
            w.string("family", a.family)
            w.string("time", UTCCalendar.iso8601(nanoseconds: a.timeNanoseconds))
            w.string("level", a.level.rawValue)
            w.string("previous", a.previous.rawValue)
            w.string("title", a.title)
            w.openArray("paragraphs")
            for p in a.paragraphs { w.string(nil, p) }
            w.closeArray()
            w.openArray("actions")
            for p in a.actions { w.string(nil, p) }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return ReadRoutes<Store>.json(w)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    func advisoriesHTML(_ request: Request, context: some RequestContext) async throws -> Response {
        let list = try await advisories()
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>WormWatch advisories</title>
            <link rel="alternate" type="application/atom+xml" href="/advisories.atom">
            <style>body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}
            article{border-left:.5em solid #999;padding:.2em 1em;margin:1.5em 0}.level{font-weight:bold;text-transform:uppercase}
            time{color:#555}</style></head><body>
            <h1>WormWatch Watch Center advisories</h1>

            """
        if list.isEmpty { html += "<p>No advisories: every family is quiet.</p>\n" }
        for a in list {
            html += "<article id=\"\(Self.escape(a.id))\" style=\"border-color:\(a.level.hex)\">\n"
            html += "<h2>\(Self.escape(a.title))</h2>\n"
            html += "<p><span class=\"level\" style=\"color:\(a.level.hex)\">\(a.level.rawValue) (\(a.level.colour))</span> · <time datetime=\"\(UTCCalendar.iso8601(nanoseconds: a.timeNanoseconds))\">\(UTCCalendar.iso8601(nanoseconds: a.timeNanoseconds))</time></p>\n"
            for p in a.paragraphs { html += "<p>\(Self.escape(p))</p>\n" }
            if !a.actions.isEmpty {
                html += "<h3>What to do</h3>\n<ul>\n"
                for action in a.actions { html += "<li>\(Self.escape(action))</li>\n" }
                html += "</ul>\n"
            }
            html += "</article>\n"
        }
        html += "</body></html>\n"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func advisoriesAtom(_ request: Request, context: some RequestContext) async throws -> Response {
        let list = try await advisories()
        let updated = list.first.map { UTCCalendar.iso8601(nanoseconds: $0.timeNanoseconds) } ?? "2001-07-19T00:00:00Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>WormWatch advisories</title>
            <id>urn:wormwatch:advisories</id>
            <updated>\(updated)</updated>
            <link rel="alternate" href="/advisories"/>

            """
        for a in list {
            let time = UTCCalendar.iso8601(nanoseconds: a.timeNanoseconds)
            let body = (a.paragraphs + a.actions.map { "What to do: " + $0 }).joined(separator: "\n\n")
            xml += "<entry><title>\(Self.escape(a.title))</title><id>urn:wormwatch:advisory:\(Self.escape(a.id))</id>"
            xml += "<updated>\(time)</updated><category term=\"\(a.level.rawValue)\"/>"
            xml += "<link rel=\"alternate\" href=\"/advisories#\(Self.escape(a.id))\"/><author><name>WormWatch Watch Center</name></author>"
            xml += "<content type=\"text\">\(Self.escape(body))</content></entry>\n"
        }
        xml += "</feed>\n"
        return Response(status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}
