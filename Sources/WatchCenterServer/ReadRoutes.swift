import Hummingbird
import NIOCore
import Sensor
import WatchCenter
import WormWatchCore

/// The read API: JSON documents with a `format` key, and the event exports.
struct ReadRoutes<Store: ObservationStore>: Sendable {
    let store: Store
    let silentAfterSeconds: Int
    let now: @Sendable () -> Int64

    static func json(_ writer: JSONWriter) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: writer.text + "\n")))
    }

    static func iso(_ ns: Int64) -> String { UTCCalendar.iso8601(nanoseconds: ns) }

    // MARK: Query parameters

    struct Parameters {
        let items: [(String, String)]

        init(_ request: Request) {
            items = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        }

        func string(_ name: String) -> String? {
            items.first { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
        }

        func time(_ name: String) throws -> Int64? {
            guard let text = string(name) else { return nil }
            guard let ns = UTCCalendar.parseISO8601Nanoseconds(text) else {
                throw APIError.parameter(name, "'\(text.prefix(40))' is not an ISO 8601 UTC time like 2001-07-19T10:00:00Z")
            }
            return ns
        }

        func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = string(name) else { return nil }
            guard let v = Int(text), range.contains(v) else {
                throw APIError.parameter(name, "'\(text.prefix(40))' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }

        func family() throws -> String? {
            guard let f = string("family") else { return nil }
            guard FamilyName.isValid(f) else { throw APIError.parameter("family", FamilyName.rule) }
            return f
        }

        func sensor() throws -> String? {
            guard let s = string("sensor") else { return nil }
            guard SensorName.isValid(s) else { throw APIError.parameter("sensor", SensorName.rule) }
            return s
        }
    }

    func families() async throws -> [FamilySummary] {
        do throws(StoreError) { return try await store.families() } catch { throw APIError(error) }
    }

    func series(_ query: SeriesQuery) async throws -> [SeriesPoint] {
        do throws(StoreError) { return try await store.series(query) } catch { throw APIError(error) }
    }

    func sources(_ query: SourcesQuery) async throws -> SourcesPage {
        do throws(StoreError) { return try await store.sources(query) } catch { throw APIError(error) }
    }

    func sensors() async throws -> [SensorRecord] {
        do throws(StoreError) { return try await store.sensors() } catch { throw APIError(error) }
    }

    func events(_ query: EventsQuery) async throws -> [StoredEvent] {
        do throws(StoreError) { return try await store.events(query) } catch { throw APIError(error) }
    }

    // MARK: Routes

    func families(_ request: Request, context: some RequestContext) async throws -> Response {
        let families = try await families()
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.families/1")
        w.openArray("families")
        for f in families {
            w.openObject()
            w.string("family", f.family)
            w.int("sources", Int(f.sources))
            w.int("events", Int(f.events))
            w.int("probes", Int(f.probes))
            w.string("first", Self.iso(f.firstNanoseconds))
            w.string("last", Self.iso(f.lastNanoseconds))
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return Self.json(w)
    }

    func series(_ request: Request, context: some RequestContext) async throws -> Response {
        let p = Parameters(request)
        let family = try p.family()
        let sensor = try p.sensor()
        let step = try p.int("step", in: 60...2_592_000) ?? 60
        guard step % 60 == 0 else { throw APIError.parameter("step", "the step is whole minutes: a multiple of 60 seconds") }
        var to = try p.time("to")
        if to == nil {
            let families = try await families()
            let last = families.filter { family == nil || $0.family == family }.map(\.lastNanoseconds).max()
            to = last.map { $0 + 60_000_000_000 } ?? now()
        }
        let end = to ?? now()
        let from = try p.time("from") ?? (end - 86_400 * 1_000_000_000)
        guard from < end else { throw APIError.parameter("from", "'from' is not before 'to'") }
        let points = (end - from) / (Int64(step) * 1_000_000_000) + 1
        guard points <= Int64(SeriesQuery.maxPoints) else {
            throw APIError.parameter("step", "\(points) steps; at most \(SeriesQuery.maxPoints) — choose a larger step or a shorter range")
        }
        let query = SeriesQuery(family: family, sensor: sensor, fromNanoseconds: from, toNanoseconds: end, stepSeconds: Int64(step))
        let series = try await series(query)
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.series/1")
        if let family { w.string("family", family) } else { w.null("family") }
        if let sensor { w.string("sensor", sensor) } else { w.null("sensor") }
        w.string("from", Self.iso(from))
        w.string("to", Self.iso(end))
        w.int("step", step)
        w.openArray("points")
        for point in series {
            w.openObject()
            w.string("start", Self.iso(point.startNanoseconds))
            w.int("events", Int(point.events))
            w.int("probes", Int(point.probes))
            w.int("peak_minute_sources", Int(point.peakMinuteSources))
            w.int("new_sources", Int(point.newSources))
            w.int("cumulative_sources", Int(point.cumulativeSources))
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return Self.json(w)
    }

    func sources(_ request: Request, context: some RequestContext) async throws -> Response {
        let p = Parameters(request)
        var cursor: SourceCursor?
        if let text = p.string("cursor") {
            guard let c = SourceCursor(text: text) else { throw APIError.parameter("cursor", "not a cursor this server gave") }
            cursor = c
        }
        let query = SourcesQuery(family: try p.family(), sinceNanoseconds: try p.time("since"), limit: try p.int("limit", in: 1...10_000) ?? 100, after: cursor)
        let page = try await sources(query)
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.sources/1")
        w.openArray("sources")
        for s in page.sources {
            w.openObject()
            w.string("family", s.family)
            w.string("source", IPv4Address(s.source).description)
            w.string("first_seen", Self.iso(s.firstSeenNanoseconds))
            w.string("last_seen", Self.iso(s.lastSeenNanoseconds))
            w.int("events", Int(s.events))
            w.openArray("sensors")
            for name in s.sensors { w.string(nil, name) }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        if let next = page.next { w.string("next_cursor", next.text) } else { w.null("next_cursor") }
        w.closeObject()
        return Self.json(w)
    }

    func sensors(_ request: Request, context: some RequestContext) async throws -> Response {
        let sensors = try await sensors()
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.sensors/1")
        w.openArray("sensors")
        let clock = now()
        for s in sensors {
            SensorJSON.write(s, silentAfterSeconds: silentAfterSeconds, now: clock, to: &w)
        }
        w.closeArray()
        w.closeObject()
        return Self.json(w)
    }

    // MARK: Exports

    enum ExportFormat { case ndjson, csv }

    func export(_ request: Request, context: some RequestContext, format: ExportFormat) async throws -> Response {
        let p = Parameters(request)
        guard let from = try p.time("from") else { throw APIError.parameter("from", "an export names its range: from=…&to=… (ISO 8601)") }
        guard let to = try p.time("to") else { throw APIError.parameter("to", "an export names its range: from=…&to=… (ISO 8601)") }
        guard from < to else { throw APIError.parameter("from", "'from' is not before 'to'") }
        let family = try p.family()
        let sensor = try p.sensor()
        // The first page is read before answering, so that a bad sensor name is a 404, not a cut stream.
        let first = EventsQuery(fromNanoseconds: from, toNanoseconds: to, family: family, sensor: sensor, limit: 5_000)
        let firstPage = try await events(first)
        let routes = self
        let contentType = format == .ndjson ? "application/x-ndjson" : "text/csv; charset=utf-8"
        return Response(
            status: .ok, headers: [.contentType: contentType],
            body: ResponseBody { writer in
                var page = firstPage
                var query = first
                if format == .csv {
                    try await writer.write(ByteBuffer(string: "time,sensor,source,destination,destination_port,protocol,family,rule,severity,evidence,input,record_kind,record\n"))
                }
                while !page.isEmpty {
                    var out: [UInt8] = []
                    out.reserveCapacity(page.count * 260)
                    for e in page {
                        switch format {
                        case .ndjson: EventNDJSON.append(e.event, to: &out)
                        case .csv: Self.appendCSV(e, to: &out)
                        }
                    }
                    try await writer.write(ByteBuffer(bytes: out))
                    guard page.count == query.limit, let last = page.last else { break }
                    query.after = (last.event.timeNanoseconds, last.id)
                    let next = query
                    page = try await routes.events(next)
                }
                try await writer.finish(nil)
            })
    }

    static func appendCSV(_ e: StoredEvent, to out: inout [UInt8]) {
        let ev = e.event
        let fields = [
            iso(ev.timeNanoseconds), e.sensor, ev.source == 0 ? "" : IPv4Address(ev.source).description,
            ev.destination == 0 ? "" : IPv4Address(ev.destination).description, String(ev.destinationPort), ev.transport.rawValue,
            ev.family, ev.ruleID, ev.severity.rawValue, ev.evidence, ev.input, ev.recordKind == .line ? "line" : "packet", String(ev.record),
        ]
        out.append(contentsOf: fields.map(CSV.field).joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
    }
}

/// A sensor as the API and `sensor list --format json` show it: never its token.
public enum SensorJSON {
    /// Writes one sensor object, with `silent_since` when it has been quiet longer than
    /// `silentAfterSeconds` (or never sent anything).
    public static func write(_ s: SensorRecord, silentAfterSeconds: Int, now: Int64, to w: inout JSONWriter) {
        w.openObject()
        w.string("name", s.name)
        w.openArray("monitors")
        for m in s.monitors { w.string(nil, m.description) }
        w.closeArray()
        w.int("monitored_addresses", Int(s.monitoredAddresses))
        w.string("created", UTCCalendar.iso8601(nanoseconds: s.createdNanoseconds))
        if let r = s.revokedNanoseconds { w.string("revoked", UTCCalendar.iso8601(nanoseconds: r)) } else { w.null("revoked") }
        if let l = s.lastBatchNanoseconds { w.string("last_batch", UTCCalendar.iso8601(nanoseconds: l)) } else { w.null("last_batch") }
        w.int("batches", Int(s.batches))
        w.int("events", Int(s.events))
        w.int("observations", Int(s.observations))
        if let silent = silentSince(s, silentAfterSeconds: silentAfterSeconds, now: now) {
            w.string("silent_since", UTCCalendar.iso8601(nanoseconds: silent))
        } else {
            w.null("silent_since")
        }
        w.closeObject()
    }

    /// When a sensor went quiet, if it has been quiet longer than the threshold: its last
    /// batch, or its registration if it never sent one. Revoked sensors are not flagged.
    public static func silentSince(_ s: SensorRecord, silentAfterSeconds: Int, now: Int64) -> Int64? {
        guard !s.isRevoked else { return nil }
        let last = s.lastBatchNanoseconds ?? s.createdNanoseconds
        return now - last > Int64(silentAfterSeconds) * 1_000_000_000 ? last : nil
    }
}
