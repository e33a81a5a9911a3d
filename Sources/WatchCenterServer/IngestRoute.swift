import Crypto
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WatchCenter

/// `POST /api/v1/observations`: a sensor's batch, applied once, whole or not at all.
///
/// 1. `Authorization: Bearer TOKEN` names the sensor (401 unknown, 403 revoked);
/// 2. `Idempotency-Key` names the batch (400 missing);
/// 3. the sensor's rate limit (429 with Retry-After);
/// 4. the body, at most the configured bytes (413) within the configured time (408);
/// 5. every line checked (400/413 naming the line and field);
/// 6. stored in one transaction, committed before the answer.
struct IngestRoute<Store: ObservationStore>: Sendable {
    let store: Store
    let parser: IngestParser
    let limiter: RateLimiter
    let metrics: CenterMetrics
    let bodyTimeout: Duration
    let now: @Sendable () -> Int64

    static var keyHeader: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }
    static var replayedHeader: HTTPField.Name { HTTPField.Name("Idempotent-Replayed")! }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        do {
            return try await ingest(request, context: context)
        } catch let error as APIError {
            metrics.refused(error.code)
            throw error
        }
    }

    func ingest(_ request: Request, context: some RequestContext) async throws -> Response {
        let sensor = try await authenticate(request)
        guard let key = request.headers[Self.keyHeader], !key.isEmpty else {
            throw APIError(.badRequest, code: "missing_idempotency_key", message: "every batch names itself in an Idempotency-Key header", field: "Idempotency-Key")
        }
        guard key.utf8.count <= 200, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIError(.badRequest, code: "invalid_idempotency_key", message: "the key is 1 to 200 printable ASCII characters", field: "Idempotency-Key")
        }
        if let wait = limiter.take(sensor.id) {
            throw APIError(
                .tooManyRequests, code: "rate_limited", message: "sensor '\(sensor.name)' is sending faster than the center's limit; retry in \(wait) s",
                headers: [.retryAfter: String(wait)])
        }
        let limit = parser.limits.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError(IngestError(code: .bodyTooLarge, message: "the body has \(declared) bytes; the limit is \(limit)"))
        }
        let body = try await collect(request, limit: limit)
        let batch: IngestBatch
        do throws(IngestError) {
            batch = try parser.parse(body.readableBytesView, now: now())
        } catch {
            throw APIError(error)
        }
        let digest = body.withUnsafeReadableBytes { SHA256.hash(data: $0).hexString }
        let receipt: IngestReceipt
        do throws(StoreError) {
            receipt = try await store.ingest(batch, sensor: sensor, key: key, bodyDigest: digest, now: now())
        } catch {
            throw APIError(error)
        }
        if receipt.replayed {
            metrics.replayed()
        } else {
            metrics.ingested(events: receipt.events, observations: receipt.observations)
        }
        var headers: HTTPFields = [.contentType: "application/json"]
        if receipt.replayed { headers[Self.replayedHeader] = "true" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: receipt.json())))
    }

    func authenticate(_ request: Request) async throws -> SensorRecord {
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"wormwatch\""]
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "missing_token", message: "send the sensor's token as 'Authorization: Bearer TOKEN'", headers: challenge)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].utf8.count <= 256 else {
            throw APIError(.unauthorized, code: "missing_token", message: "send the sensor's token as 'Authorization: Bearer TOKEN'", headers: challenge)
        }
        let sensor: SensorRecord?
        do throws(StoreError) {
            sensor = try await store.sensor(tokenHash: SensorToken.hash(of: String(parts[1])))
        } catch {
            throw APIError(error)
        }
        guard let sensor else {
            throw APIError(.unauthorized, code: "unknown_token", message: "the token belongs to no sensor", headers: challenge)
        }
        guard !sensor.isRevoked else {
            throw APIError(.forbidden, code: "sensor_revoked", message: "sensor '\(sensor.name)' was revoked")
        }
        return sensor
    }

    func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        let timeout = bodyTimeout
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await request.body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                guard let first = try await group.next(), let buffer = first else {
                    group.cancelAll()
                    throw APIError(.requestTimeout, code: "body_timeout", message: "the body did not arrive within \(timeout)")
                }
                group.cancelAll()
                return buffer
            }
        } catch let error as APIError {
            throw error
        } catch is NIOTooManyBytesError {
            throw APIError(IngestError(code: .bodyTooLarge, message: "the body is larger than \(limit) bytes"))
        }
    }
}
