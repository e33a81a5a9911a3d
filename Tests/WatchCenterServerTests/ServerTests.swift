import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Sensor
import Testing
import WatchCenterTestSupport
import WatchCenter
import WatchCenterServer
import WormWatchCore
import WormWatchTestSupport
import Yams

/// The HTTP application through Hummingbird's router test client, on both stores.
@Suite struct ServerTests {
    static let keyHeader = HTTPField.Name("Idempotency-Key")!

    /// Runs `body` with a fresh store, a registered sensor `isc` (its token returned) and a
    /// router-test client.
    static func withCenter(
        _ backend: Backend, configuration: CenterConfiguration = CenterConfiguration(),
        _ body: @Sendable @escaping (any TestClientProtocol, any ObservationStore, String) async throws -> Void
    ) async throws {
        try await StoreFixture.with(backend) { f in
            try await run(f.store, configuration: configuration, body)
        }
    }

    static func run<S: ObservationStore>(
        _ store: S, configuration: CenterConfiguration, _ body: @Sendable @escaping (any TestClientProtocol, any ObservationStore, String) async throws -> Void
    ) async throws {
        let (_, token) = try await SensorRegistration.register(name: "isc", monitors: [IPv4Prefix("44.0.0.0/8")!], in: store, now: Make.now)
        let center = WatchCenterApp(store: store, configuration: configuration, now: { Make.now })
        let app = Application(router: center.router(context: BasicRequestContext.self))
        try await app.test(.router) { client in try await body(client, store, token.text) }
    }

    static func post(_ client: any TestClientProtocol, _ body: String, token: String?, key: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-ndjson"]
        if let token { headers[.authorization] = "Bearer " + token }
        if let key { headers[keyHeader] = key }
        return try await client.execute(uri: "/api/v1/observations", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [String: Any])
    }

    static func errorOf(_ r: TestResponse) throws -> [String: Any] {
        let body = try json(r)
        #expect(body["format"] as? String == "wormwatch.error/1")
        return try #require(body["error"] as? [String: Any])
    }

    static func events(_ n: Int, start: Int64 = Make.day + 600 * Make.minute) -> [SensorEvent] {
        (0..<n).map { Make.event(source: UInt32(0x0C00_0000 + $0 % 7), at: start + Int64($0) * 1_000_000_000, record: $0 + 1) }
    }

    static func ndjson(_ events: [SensorEvent]) -> String { String(decoding: IngestBatch(events: events).ndjson(), as: UTF8.self) }

    @Test(arguments: Backend.available)
    func aBatchIsStoredOnceAndServedBack(_ backend: Backend) async throws {
        try await Self.withCenter(backend) { client, store, token in
            let body = Self.ndjson(Self.events(20))
            let first = try await Self.post(client, body, token: token, key: "batch-1")
            #expect(first.status == .ok)
            #expect(first.headers[.contentType] == "application/json")
            let receipt = try Self.json(first)
            #expect(receipt["format"] as? String == "wormwatch.receipt/1" && receipt["events"] as? Int == 20 && receipt["new_sources"] as? Int == 7)
            let again = try await Self.post(client, body, token: token, key: "batch-1")
            #expect(again.status == .ok && again.body == first.body)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true" && first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            let reused = try await Self.post(client, Self.ndjson(Self.events(3)), token: token, key: "batch-1")
            #expect(reused.status == .unprocessableContent)
            #expect(try Self.errorOf(reused)["code"] as? String == "idempotency_key_reused")

            let families = try Self.json(try await client.execute(uri: "/api/v1/families", method: .get))
            #expect(families["format"] as? String == "wormwatch.families/1")
            let list = try #require(families["families"] as? [[String: Any]])
            #expect(list.count == 1 && list[0]["family"] as? String == "code-red-v2" && list[0]["events"] as? Int == 20 && list[0]["sources"] as? Int == 7)

            let series = try Self.json(
                try await client.execute(uri: "/api/v1/series?family=code-red-v2&from=2001-07-19T10:00:00Z&to=2001-07-19T10:02:00Z&step=60", method: .get))
            let points = try #require(series["points"] as? [[String: Any]])
            #expect(points.count == 2)
            #expect(points[0]["start"] as? String == "2001-07-19T10:00:00Z" && points[0]["events"] as? Int == 20 && points[0]["peak_minute_sources"] as? Int == 7)
            #expect(points[1]["cumulative_sources"] as? Int == 7)
            // Without from/to: the last 24 hours of data.
            let recent = try Self.json(try await client.execute(uri: "/api/v1/series?family=code-red-v2&step=3600", method: .get))
            #expect((recent["points"] as? [[String: Any]])?.count == 25 && recent["to"] as? String == "2001-07-19T10:01:00Z")

            let page = try Self.json(try await client.execute(uri: "/api/v1/sources?family=code-red-v2&limit=5", method: .get))
            let sources = try #require(page["sources"] as? [[String: Any]])
            #expect(sources.count == 5 && sources[0]["source"] as? String == "12.0.0.0" && (sources[0]["sensors"] as? [String]) == ["isc"])
            let cursor = try #require(page["next_cursor"] as? String)
            let rest = try Self.json(try await client.execute(uri: "/api/v1/sources?family=code-red-v2&limit=5&cursor=\(cursor)", method: .get))
            #expect((rest["sources"] as? [[String: Any]])?.count == 2 && rest["next_cursor"] is NSNull)

            let sensors = try Self.json(try await client.execute(uri: "/api/v1/sensors", method: .get))
            let isc = try #require((sensors["sensors"] as? [[String: Any]])?.first)
            #expect(isc["name"] as? String == "isc" && isc["batches"] as? Int == 1 && isc["events"] as? Int == 20)
            #expect(!String(buffer: try await client.execute(uri: "/api/v1/sensors", method: .get).body).contains(token))

            let range = "from=2001-07-19T00:00:00Z&to=2001-07-20T00:00:00Z"
            let exported = try await client.execute(uri: "/api/v1/export/events.ndjson?\(range)", method: .get)
            #expect(exported.status == .ok && String(buffer: exported.body) == body)
            let csv = String(buffer: try await client.execute(uri: "/api/v1/export/events.csv?\(range)&sensor=isc", method: .get).body)
            let rows = csv.split(separator: "\n")
            #expect(rows.count == 21 && rows[0].hasPrefix("time,sensor,source,") && rows[1].hasPrefix("2001-07-19T10:00:00Z,isc,12.0.0.0,44.0.0.1,80,tcp,code-red-v2"))
            _ = store
        }
    }

    @Test(arguments: Backend.available)
    func nothingChangesWithoutAValidToken(_ backend: Backend) async throws {
        try await Self.withCenter(backend) { client, store, token in
            let body = Self.ndjson(Self.events(2))
            let none = try await Self.post(client, body, token: nil, key: "k")
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate] == "Bearer realm=\"wormwatch\"")
            #expect(try Self.errorOf(none)["code"] as? String == "missing_token")
            let wrong = try await Self.post(client, body, token: "ww_not-a-token", key: "k")
            #expect(wrong.status == .unauthorized)
            #expect(try Self.errorOf(wrong)["code"] as? String == "unknown_token")
            var basic: HTTPFields = [.authorization: "Basic dXNlcjpwYXNz"]
            basic[Self.keyHeader] = "k"
            let scheme = try await client.execute(uri: "/api/v1/observations", method: .post, headers: basic, body: ByteBuffer(string: body))
            #expect(scheme.status == .unauthorized)
            _ = try await store.revokeSensor(name: "isc", now: Make.now)
            let revoked = try await Self.post(client, body, token: token, key: "k")
            #expect(revoked.status == .forbidden)
            #expect(try Self.errorOf(revoked)["code"] as? String == "sensor_revoked")
            #expect(try await store.families().isEmpty)
            #expect(try await store.sensors().first?.batches == 0)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"wormwatch_batches_refused_total{reason="unknown_token"} 1"#))
            #expect(metrics.contains(#"wormwatch_batches_refused_total{reason="missing_token"} 2"#))
            #expect(metrics.contains(#"wormwatch_batches_refused_total{reason="sensor_revoked"} 1"#))
            #expect(!metrics.contains(token))
        }
    }

    @Test(arguments: Backend.available)
    func aBadLineRefusesTheWholeBatch(_ backend: Backend) async throws {
        try await Self.withCenter(backend) { client, store, token in
            var lines = Self.ndjson(Self.events(500)).split(separator: "\n").map(String.init)
            lines[499] = lines[499].replacingOccurrences(of: "\"source\":\"12.0.0.", with: "\"source\":\"12.0.0.300")
            let r = try await Self.post(client, lines.joined(separator: "\n"), token: token, key: "k")
            #expect(r.status == .badRequest)
            let e = try Self.errorOf(r)
            #expect(e["code"] as? String == "invalid_value" && e["line"] as? Int == 500 && e["field"] as? String == "source")
            #expect(try await store.families().isEmpty)
            #expect(try await store.sensors().first?.batches == 0)
            // The key was not spent: the corrected batch goes through under it.
            #expect(try await Self.post(client, Self.ndjson(Self.events(500)), token: token, key: "k").status == .ok)
            let missingKey = try await Self.post(client, Self.ndjson(Self.events(1)), token: token, key: nil)
            #expect(missingKey.status == .badRequest)
            #expect(try Self.errorOf(missingKey)["field"] as? String == "Idempotency-Key")
            let malformed = try await Self.post(client, "{\"format\":\"wormwatch.event/1\",", token: token, key: "k2")
            #expect(malformed.status == .badRequest)
            #expect(try Self.errorOf(malformed)["code"] as? String == "malformed_json")
        }
    }

    @Test func limitsAnswer413And429() async throws {
        var configuration = CenterConfiguration(batchesPerSecond: 0.01, burst: 2)
        configuration.limits.maxBodyBytes = 4_096
        configuration.limits.maxLines = 5
        try await Self.withCenter(.sqlite, configuration: configuration) { client, store, token in
            let big = try await Self.post(client, Self.ndjson(Self.events(30)), token: token, key: "a")
            #expect(big.status == .contentTooLarge)
            #expect(try Self.errorOf(big)["code"] as? String == "body_too_large")
            let many = try await Self.post(client, Self.ndjson(Self.events(6)), token: token, key: "b")
            #expect(many.status == .contentTooLarge)
            #expect(try Self.errorOf(many)["code"] as? String == "too_many_lines")
            let limited = try await Self.post(client, Self.ndjson(Self.events(1)), token: token, key: "c")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try Self.errorOf(limited)["code"] as? String == "rate_limited")
            #expect(try await store.families().isEmpty)
        }
    }

    @Test func badQueriesAnswer4xxWithTheParameter() async throws {
        try await Self.withCenter(.sqlite) { client, _, _ in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/api/v1/series?from=yesterday", .badRequest, "from"),
                ("/api/v1/series?step=90", .badRequest, "step"),
                ("/api/v1/series?step=60&from=2001-01-01T00:00:00Z&to=2001-02-01T00:00:00Z", .badRequest, "step"),
                ("/api/v1/series?family=code%20red", .badRequest, "family"),
                ("/api/v1/series?sensor=isx&from=2001-07-19T00:00:00Z&to=2001-07-19T01:00:00Z", .notFound, "sensor"),
                ("/api/v1/sources?limit=0", .badRequest, "limit"),
                ("/api/v1/sources?cursor=garbage!", .badRequest, "cursor"),
                ("/api/v1/export/events.ndjson?from=2001-07-19T00:00:00Z", .badRequest, "to"),
                ("/api/v1/export/events.csv?from=2001-07-20T00:00:00Z&to=2001-07-19T00:00:00Z", .badRequest, "from"),
            ]
            for (uri, status, field) in cases {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == status, "\(uri)")
                #expect(try Self.errorOf(r)["field"] as? String == field, "\(uri)")
            }
            let unknown = try Self.errorOf(try await client.execute(uri: "/api/v1/series?sensor=isx&from=2001-07-19T00:00:00Z&to=2001-07-19T01:00:00Z", method: .get))
            #expect(unknown["message"] as? String == "no sensor 'isx' (did you mean 'isc'?)")
        }
    }

    @Test func healthMetricsAndTheAPIDescription() async throws {
        try await Self.withCenter(.sqlite) { client, _, token in
            #expect(String(buffer: try await client.execute(uri: "/healthz", method: .get).body) == "ok\n")
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            _ = try await Self.post(client, Self.ndjson(Self.events(3)), token: token, key: "m")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"wormwatch_observations_ingested_total{kind="event"} 3"#))
            #expect(metrics.contains("wormwatch_batches_accepted_total 1"))
            #expect(metrics.contains(#"wormwatch_http_request_duration_seconds_count{route="/api/v1/observations",method="POST",status="200"} 1"#))
            #expect(metrics.range(of: #"wormwatch_storage_bytes [1-9][0-9]*"#, options: .regularExpression) != nil)
            let yaml = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(yaml.status == .ok)
            let spec = try #require(try Yams.load(yaml: String(buffer: yaml.body)) as? [String: Any])
            #expect(spec["openapi"] as? String == "3.1.0")
            let paths = Set(try #require(spec["paths"] as? [String: Any]).keys)
            #expect(paths == [
                "/api/v1/observations", "/api/v1/families", "/api/v1/series", "/api/v1/sources", "/api/v1/sensors",
                "/api/v1/export/events.ndjson", "/api/v1/export/events.csv", "/healthz", "/readyz", "/metrics", "/openapi.yaml",
                "/api/v1/alerts", "/api/v1/estimates", "/api/v1/top", "/api/v1/advisories", "/advisories", "/advisories.atom", "/", "/dashboard/stream",
            ])
        }
    }

    static let hasSpecValidator: Bool = {
        ExternalTool.isCI || (try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import openapi_spec_validator"]).status) == 0
    }()

    @Test(.enabled(if: hasSpecValidator, "needs Python's openapi-spec-validator (pip install openapi-spec-validator)"))
    func theAPIDescriptionValidatesAsOpenAPI31() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("openapi.yaml", OpenAPIDocument.text)
        let r = try ExternalTool.run("/usr/bin/env", [
            "python3", "-c",
            "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0]); print('valid')",
            path,
        ])
        #expect(r.status == 0 && r.stdout == "valid\n", "\(r.stderr)")
    }
}
