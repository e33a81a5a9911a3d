import Metrics
import Prometheus

/// The server's metrics, through swift-metrics into its own Prometheus registry (served at
/// `/metrics`): observations ingested, batches accepted and refused by reason, request
/// latency histograms by route, storage size.
public final class CenterMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let storage: Metrics.Gauge

    /// A fresh registry (one per server, so tests can run several).
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
        storage = Metrics.Gauge(label: "wormwatch_storage_bytes", factory: factory)
    }

    /// Lines stored, by kind (`event`, `observation`).
    func ingested(events: Int, observations: Int) {
        Metrics.Counter(label: "wormwatch_observations_ingested_total", dimensions: [("kind", "event")], factory: factory).increment(by: events)
        Metrics.Counter(label: "wormwatch_observations_ingested_total", dimensions: [("kind", "observation")], factory: factory)
            .increment(by: observations)
        Metrics.Counter(label: "wormwatch_batches_accepted_total", factory: factory).increment()
    }

    /// A batch refused, by the error's code.
    func refused(_ reason: String) {
        Metrics.Counter(label: "wormwatch_batches_refused_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// A replayed batch (same key, same body).
    func replayed() {
        Metrics.Counter(label: "wormwatch_batches_replayed_total", factory: factory).increment()
    }

    /// One request's latency.
    func request(route: String, method: String, status: Int, duration: Duration) {
        Metrics.Timer(
            label: "wormwatch_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The store's size.
    func storageBytes(_ bytes: Int64) {
        storage.record(bytes)
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

import Hummingbird

/// Records each request's latency under its route pattern (`/api/v1/series`, not the full URI).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: CenterMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, response.status.code, start)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, error.status.code, start)
            throw error
        } catch {
            record(request, context, 500, start)
            throw error
        }
    }

    func record(_ request: Request, _ context: Context, _ status: Int, _ start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: status, duration: ContinuousClock.now - start)
    }
}
