import Charts
import EarlyWarning
import Foundation
import Hummingbird
import NIOCore
import WatchCenter
import WormWatchCore

/// The dashboard at `/`: each family's level, numbers and charts (sources seen, the estimate of
/// infected hosts with its band, the forecast; new sources and probes per minute), the latest
/// top sources and /16 prefixes, the latest advisories and each sensor's health. Server-rendered HTML with inline SVG (no scripts or
/// styles from elsewhere: it works without Internet access); it updates itself from
/// `/dashboard/stream`, server-sent events carrying the same HTML fragment.
struct Dashboard<Store: ObservationStore>: Sendable {
    let cache: AssessmentCache<Store>
    let store: Store
    let silentAfterSeconds: Int
    let now: @Sendable () -> Int64
    /// Seconds between updates of the stream.
    let every: Duration
    /// A replay's true curves, when the server runs the replay.
    let truth: ReplayTruth

    static func escape(_ s: String) -> String { WarningRoutes<Store>.escape(s) }


    static func inline(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return svg }
        return String(svg[start.lowerBound...])
    }

    /// The live part of the page.
    func fragment() async throws -> String {
        let assessments: [FamilyAssessment]
        let sensors: [SensorRecord]
        var tops: [String: TopSources] = [:]
        do throws(StoreError) {
            assessments = try await cache.all()
            sensors = try await store.sensors()
            tops = try await cache.tops()
        } catch {
            throw APIError(error)
        }
        let overall = assessments.map(\.level).max() ?? .quiet
        var html = "<section class=\"overall\" data-level=\"\(overall.rawValue)\" style=\"background:\(overall.hex)\">"
        html += "<span class=\"badge\">\(overall.rawValue.uppercased())</span> InfoCon \(overall.colour) · \(assessments.count) famil\(assessments.count == 1 ? "y" : "ies") · updated \(UTCCalendar.iso8601(nanoseconds: now()))</section>\n"
        if assessments.isEmpty { html += "<p>No data yet: sensors push to <code>POST /api/v1/observations</code>.</p>\n" }
        for a in assessments { html += family(a, top: tops[a.family]) }
        // Advisories.
        let advisories = assessments.flatMap(Advisory.advisories(for:)).sorted { $0.timeNanoseconds > $1.timeNanoseconds }
        html += "<section><h2>Advisories</h2>"
        if advisories.isEmpty { html += "<p>None: every family is quiet.</p>" }
        html += "<ul class=\"advisories\">"
        for a in advisories.prefix(5) {
            html += "<li><a href=\"/advisories#\(Self.escape(a.id))\" style=\"color:\(a.level.hex)\">\(Self.escape(a.title))</a> <time>\(UTCCalendar.iso8601(nanoseconds: a.timeNanoseconds))</time></li>"
        }
        html += "</ul><p><a href=\"/advisories\">All advisories</a> · <a href=\"/advisories.atom\">Atom feed</a></p></section>\n"
        // Sensors.
        html += "<section><h2>Sensors</h2><table><tr><th>sensor</th><th>watches</th><th>last batch</th><th>batches</th><th>observations</th><th>events</th><th>health</th></tr>"
        let clock = now()
        for s in sensors {
            let silent = SensorJSON.silentSince(s, silentAfterSeconds: silentAfterSeconds, now: clock)
            let health = s.isRevoked ? "revoked" : silent.map { "silent since " + UTCCalendar.iso8601(nanoseconds: $0) } ?? "reporting"
            html += "<tr><td>\(Self.escape(s.name))</td><td>\(s.monitors.map(\.description).joined(separator: ", "))</td>"
            html += "<td>\(s.lastBatchNanoseconds.map { UTCCalendar.iso8601(nanoseconds: $0) } ?? "never")</td><td>\(s.batches)</td><td>\(s.observations)</td><td>\(s.events)</td>"
            html += "<td class=\"\(silent == nil && !s.isRevoked ? "ok" : "warn")\">\(health)</td></tr>"
        }
        html += "</table></section>\n"
        return html
    }

    func family(_ a: FamilyAssessment, top: TopSources?) -> String {
        var html = "<section class=\"family\" id=\"family-\(Self.escape(a.family))\" data-level=\"\(a.level.rawValue)\">"
        html += "<h2><span class=\"badge\" style=\"background:\(a.level.hex)\">\(a.level.rawValue.uppercased())</span> \(Self.escape(a.family))</h2>"
        for reason in a.changes.last?.reasons ?? [] { html += "<p class=\"reason\">\(Self.escape(reason))</p>" }
        html += "<dl>"
        html += "<dt>sources seen</dt><dd>\(Figures.count(Double(a.latest?.observed ?? 0)))</dd>"
        if let e = a.latest?.estimate {
            html += "<dt>infected (estimate)</dt><dd>\(Figures.count(e.infected)) <small>(90 %: \(Figures.count(e.low))–\(Figures.count(e.high)))</small></dd>"
            html += "<dt>probes per host</dt><dd>\(String(format: "%.2f", e.probeRate))/s</dd>"
        }
        if let g = a.latest?.growthPerHour { html += "<dt>growth</dt><dd>\(String(format: "%.2f", g))/h</dd>" }
        if let f = a.forecast {
            html += "<dt>final size (forecast)</dt><dd>\(Figures.count(f.finalSize.median)) <small>(90 %: \(Figures.count(f.finalSize.low))–\(Figures.count(f.finalSize.high)))</small></dd>"
            html += "<dt>half infected by</dt><dd>\(UTCCalendar.iso8601(nanoseconds: Int64(f.timeTo50Percent.median) * 1_000_000_000))</dd>"
        }
        html += "<dt>monitored</dt><dd>\(Figures.count(Double(a.coverage.monitored))) addresses, \(a.sensors) sensor\(a.sensors == 1 ? "" : "s") (\(Self.escape(a.basis)))</dd></dl>"
        // At most ~1,500 points a chart: a month of minutes is thinned by taking every k-th
        // (the counts per minute averaged over the k).
        let k = max(1, (a.points.count + 1_499) / 1_500)
        let points: [AssessmentPoint] = stride(from: 0, to: a.points.count, by: k).map { i in
            var p = a.points[min(a.points.count - 1, i + k - 1)]
            let slice = a.points[i..<min(a.points.count, i + k)]
            p.newSources = slice.reduce(0) { $0 + $1.newSources } / slice.count
            p.probes = slice.reduce(0) { $0 + $1.probes } / slice.count
            return p
        }
        if let first = points.first {
            let t0 = Double(first.timeNanoseconds) / 3.6e12
            let x = points.map { Double($0.timeNanoseconds) / 3.6e12 - t0 }
            var series = [ChartSeries(name: "sources seen", x: x, y: points.map { Double($0.observed) }, color: "#1565c0")]
            var bands: [ChartBand] = []
            let estimated = points.map { $0.estimate?.infected ?? .nan }
            if estimated.contains(where: \.isFinite) {
                series.append(ChartSeries(name: "infected (estimate)", x: x, y: estimated, color: "#c62828"))
                bands.append(ChartBand(name: "infected (estimate)", x: x, lower: points.map { $0.estimate?.low ?? .nan },
                                       upper: points.map { $0.estimate?.high ?? .nan }, color: "#c62828"))
            }
            if let curve = truth.curve(family: a.family), let lastPoint = points.last {
                // Up to the latest minute with data: the truth as far as the replay has come.
                let end = Double(lastPoint.timeNanoseconds) / 1e9 + 60
                let shown = curve.times.indices.filter { curve.times[$0] <= end }
                if !shown.isEmpty {
                    series.append(ChartSeries(
                        name: "infected (true, replay)", x: shown.map { curve.times[$0] / 3600 - t0 }, y: shown.map { curve.everInfected[$0] },
                        color: "#000000", dashed: true))
                }
            }
            var markers: [ChartMarkers] = []
            if let f = a.forecast, let last = x.last {
                series.append(ChartSeries(name: "final size (forecast)", x: [0, last], y: [f.finalSize.median, f.finalSize.median], color: "#6a1b9a", dashed: true))
            }
            let changes = a.changes.filter { $0.to != .quiet }
            if !changes.isEmpty {
                markers.append(ChartMarkers(
                    name: "level changes", x: changes.map { $0.time / 3600 - t0 },
                    y: changes.map { c in Double(points.last { Double($0.timeNanoseconds) / 1e9 <= c.time }?.observed ?? 0) },
                    color: "#000000", labels: changes.map(\.to.rawValue)))
            }
            let infected = LineChart(
                title: "Infected hosts", subtitle: "sources seen, bias-corrected estimate (90 % band), forecast",
                xAxis: Axis(label: "hours since " + UTCCalendar.iso8601(nanoseconds: first.timeNanoseconds)), yAxis: Axis(label: "hosts", min: 0),
                series: series, bands: bands, markers: markers, width: 720, height: 360)
            let traffic = LineChart(
                title: k == 1 ? "New sources and probes per minute" : "New sources and probes per minute (mean of \(k) minutes)", xAxis: Axis(label: "hours"), yAxis: Axis(label: "new sources per minute", min: 0),
                y2Axis: Axis(label: "probes per minute", min: 0),
                series: [
                    ChartSeries(name: "new sources", x: x, y: points.map { Double($0.newSources) }, color: "#2e7d32"),
                    ChartSeries(name: "probes", x: x, y: points.map { Double($0.probes) }, color: "#9e9e9e", useSecondaryAxis: true),
                ], width: 720, height: 300)
            html += "<div class=\"charts\">" + Self.inline(infected.svg()) + Self.inline(traffic.svg())
            if a.forecasts.count >= 2 {
                let fx = a.forecasts.map { $0.time / 3600 - t0 }
                var forecastSeries = [ChartSeries(name: "final size (forecast)", x: fx, y: a.forecasts.map(\.finalSize.median), color: "#6a1b9a")]
                if let final = truth.curve(family: a.family)?.everInfected.last, let first = fx.first, let last = fx.last {
                    // The replay's own final size: what the forecasts converge on.
                    forecastSeries.append(ChartSeries(name: "final size (true, replay)", x: [first, last], y: [final, final], color: "#000000", dashed: true))
                }
                let forecast = LineChart(
                    title: "Forecast of the final size, as it was made", subtitle: "median and 90 % band at each time",
                    xAxis: Axis(label: "hours"), yAxis: Axis(label: "hosts", min: 0),
                    series: forecastSeries,
                    bands: [ChartBand(name: "final size (forecast)", x: fx, lower: a.forecasts.map(\.finalSize.low), upper: a.forecasts.map(\.finalSize.high), color: "#6a1b9a")],
                    width: 720, height: 300)
                html += Self.inline(forecast.svg())
            }
            html += "</div>"
        }
        if let top, !top.sources.isEmpty { html += Self.tables(top) }
        html += "</section>\n"
        return html
    }

    /// The top sources and /16 prefixes, side by side.
    static func tables(_ top: TopSources) -> String {
        var html = "<div class=\"tops\"><table class=\"top-sources\"><caption>Top sources</caption><tr><th>source</th><th>events</th><th>first seen</th></tr>"
        for s in top.sources {
            html += "<tr><td>\(IPv4Address(s.source))</td><td>\(s.events)</td><td>\(UTCCalendar.iso8601(nanoseconds: s.firstSeenNanoseconds))</td></tr>"
        }
        html += "</table><table class=\"top-prefixes\"><caption>Top /16 prefixes</caption><tr><th>prefix</th><th>sources</th></tr>"
        for p in top.prefixes { html += "<tr><td>\(IPv4Address(p.network))/16</td><td>\(p.sources)</td></tr>" }
        return html + "</table></div>"
    }

    static var style: String { """
        body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
        header{padding:.6em 1em;background:#263238;color:#fff}header a{color:#cfd8dc}
        main{max-width:76em;margin:0 auto;padding:0 1em 2em}
        .overall{color:#fff;padding:.6em 1em;margin:1em 0;border-radius:.3em;font-size:1.1em}
        .badge{display:inline-block;padding:.1em .5em;border-radius:.2em;color:#fff;font-weight:bold}
        .overall .badge{background:rgba(0,0,0,.25)}
        section.family{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.2em 1em 1em;margin:1em 0}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#555}dd{margin:0}
        .charts svg{max-width:100%;height:auto;display:block;margin:.5em 0}
        table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
        .tops{display:flex;flex-wrap:wrap;gap:2em;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold;padding:.3em 0}
        .ok{color:#2e7d32}.warn{color:#c62828}.reason{margin:.3em 0;color:#333}
        """
    }

    static var script: String { """
        const live = document.getElementById('live');
        if (window.EventSource) {
          const stream = new EventSource('/dashboard/stream');
          stream.onmessage = (e) => { live.innerHTML = e.data; document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1); };
        }
        """
    }

    func page(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await fragment()
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>WormWatch Watch Center</title><style>\(Self.style)</style></head>
            <body><header><strong>WormWatch Watch Center</strong> · <a href="/advisories">advisories</a> · <a href="/api/v1/alerts">alerts (JSON)</a> · <a href="/openapi.yaml">API</a></header>
            <main id="live">\(body)</main>
            <script>\(Self.script)</script></body></html>

            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// One server-sent event carrying `html`: each line a `data:` line.
    static func event(_ html: String) -> String {
        html.split(separator: "\n", omittingEmptySubsequences: false).map { "data: " + $0 }.joined(separator: "\n") + "\n\n"
    }

    /// `/dashboard/stream`: the fragment now, then again whenever it changes (checked every
    /// ``every``), until the client goes; `?once=1` sends one event and ends.
    func stream(_ request: Request, context: some RequestContext) async throws -> Response {
        let once = request.uri.queryParameters["once"] == "1"
        let first = try await fragment()
        let dashboard = self
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: Self.event(first)))
                var last = first
                while !once && !Task.isCancelled {
                    try await Task.sleep(for: dashboard.every)
                    guard let next = try? await dashboard.fragment() else { continue }
                    // The clock line changes every time; send when anything else did.
                    if Self.withoutClock(next) != Self.withoutClock(last) {
                        try await writer.write(ByteBuffer(string: Self.event(next)))
                        last = next
                    } else {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }

    static func withoutClock(_ html: String) -> Substring {
        guard let r = html.range(of: " · updated ") , let end = html[r.upperBound...].firstIndex(of: "<") else { return Substring(html) }
        return html[..<r.lowerBound] + html[end...]
    }
}
