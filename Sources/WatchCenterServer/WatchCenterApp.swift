import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WatchCenter
import WormWatchCore

/// The Watch Center's HTTP application: routes, middleware and background services over one
/// store. Generic over the store and the request context, so tests build the same router with
/// Hummingbird's test context and the server runs it with its own.
public struct WatchCenterApp<Store: ObservationStore>: Sendable {
    /// The store.
    public let store: Store
    /// How it runs.
    public let configuration: CenterConfiguration
    /// Its metrics.
    public let metrics: CenterMetrics
    /// The server's clock, nanoseconds since 1970 (tests move it).
    public let now: @Sendable () -> Int64
    /// The true curves of a replay the server runs itself (the demo), drawn on the dashboard.
    public let truth: ReplayTruth
    let limiter: RateLimiter
    let cache: AssessmentCache<Store>

    /// An application over `store`.
    public init(
        store: Store, configuration: CenterConfiguration, now: @escaping @Sendable () -> Int64 = WallClock.nanoseconds, truth: ReplayTruth = ReplayTruth()
    ) {
        self.store = store
        self.truth = truth
        self.configuration = configuration
        self.metrics = CenterMetrics()
        self.now = now
        self.limiter = RateLimiter(rate: configuration.batchesPerSecond, burst: configuration.burst)
        self.cache = AssessmentCache(store: store, maximumAgeSeconds: configuration.assessmentMaxAgeSeconds)
    }

    /// The advisories now, every family's, oldest first.
    public func advisories() async throws(StoreError) -> [Advisory] {
        try await cache.all().flatMap(Advisory.advisories(for:)).sorted { ($0.timeNanoseconds, $0.id) < ($1.timeNanoseconds, $1.id) }
    }

    /// The router: every route of the API.
    public func router<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        let ingest = IngestRoute(
            store: store, parser: IngestParser(limits: configuration.limits), limiter: limiter, metrics: metrics,
            bodyTimeout: .seconds(configuration.bodyTimeoutSeconds), now: now)
        let read = ReadRoutes(store: store, silentAfterSeconds: configuration.silentAfterSeconds, now: now)
        router.post("/api/v1/observations") { request, context in try await ingest.handle(request, context: context) }
        router.get("/api/v1/families") { request, context in try await read.families(request, context: context) }
        router.get("/api/v1/series") { request, context in try await read.series(request, context: context) }
        router.get("/api/v1/sources") { request, context in try await read.sources(request, context: context) }
        router.get("/api/v1/sensors") { request, context in try await read.sensors(request, context: context) }
        router.get("/api/v1/export/events.ndjson") { request, context in try await read.export(request, context: context, format: .ndjson) }
        router.get("/api/v1/export/events.csv") { request, context in try await read.export(request, context: context, format: .csv) }
        let cache = self.cache
        let warning = WarningRoutes(cache: cache)
        let dashboard = Dashboard(cache: cache, store: store, silentAfterSeconds: configuration.silentAfterSeconds, now: now, every: .seconds(2), truth: truth)
        router.get("/") { request, context in try await dashboard.page(request, context: context) }
        router.get("/dashboard/stream") { request, context in try await dashboard.stream(request, context: context) }
        router.get("/api/v1/alerts") { request, context in try await warning.alerts(request, context: context) }
        router.get("/api/v1/estimates") { request, context in try await warning.estimates(request, context: context) }
        router.get("/api/v1/top") { request, context in try await warning.top(request, context: context) }
        router.get("/api/v1/advisories") { request, context in try await warning.advisoriesJSON(request, context: context) }
        router.get("/advisories") { request, context in try await warning.advisoriesHTML(request, context: context) }
        router.get("/advisories.atom") { request, context in try await warning.advisoriesAtom(request, context: context) }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let store = self.store
        router.get("/readyz") { _, _ in
            do throws(StoreError) {
                try await store.ping()
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                throw APIError(error)
            }
        }
        let metrics = self.metrics
        router.get("/metrics") { _, _ in
            if let bytes = try? await store.storageBytes() { metrics.storageBytes(bytes) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        return router
    }

    /// The Hummingbird application, with the retention pass as a service.
    public func application(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(context: BasicRequestContext.self),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wormwatch"),
            services: services(logger: logger),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// The background services: retention, and the webhooks' deliveries when there are any.
    func services(logger: Logger) -> [any Service] {
        var services: [any Service] = [
            RetentionService(store: store, days: configuration.retainDays, every: .seconds(configuration.pruneIntervalSeconds), logger: logger)
        ]
        if configuration.assessmentMaxAgeSeconds > 0 {
            services.append(AssessmentWarmup(cache: cache, every: .milliseconds(Int64(configuration.assessmentMaxAgeSeconds * 1000))))
        }
        if !configuration.webhooks.isEmpty {
            let hooks = configuration.webhooks.map { AdvisoryWebhook(url: $0, secret: configuration.webhookSecret, now: now) }
            services.append(WebhookService(app: self, webhooks: hooks, every: .milliseconds(Int64(configuration.webhookIntervalSeconds * 1000)), logger: logger))
        }
        return services
    }

    /// Assesses every stored family and reads their top lists, waiting for both, so that the
    /// first requests are answered from memory like the others. ``run(logger:onServerRunning:)``
    /// does this before it listens.
    public func prepare() async {
        await cache.warm()
    }

    /// Runs the server until SIGINT or SIGTERM, then stops accepting, finishes the requests in
    /// flight, and returns (the caller closes the store).
    public func run(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        if configuration.assessmentMaxAgeSeconds > 0 {
            // Assess before listening: at 5 million sources this takes a few seconds, which
            // would otherwise fall on the first requests.
            let started = ContinuousClock.now
            await prepare()
            logger.info("assessed the stored families in \(ContinuousClock.now - started) before listening")
        }
        let app = application(logger: logger, onServerRunning: onServerRunning)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Deletes raw events older than the retention, at start and then periodically.
struct RetentionService<Store: ObservationStore>: Service {
    let store: Store
    let days: Int
    let every: Duration
    let logger: Logger

    func run() async throws {
        repeat {
            do {
                let deleted = try await store.pruneRawEvents(keepingDays: days)
                if deleted > 0 { logger.info("retention: deleted \(deleted) raw events older than \(days) days before the newest") }
            } catch {
                logger.warning("retention: \(error.description)")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
        } while !Task.isShuttingDownGracefully && !Task.isCancelled
    }
}

/// Keeps the assessments warm: assesses at start and then as often as they age, so no
/// request waits for the early warning to run over a month of minutes.
struct AssessmentWarmup<Store: ObservationStore>: Service {
    let cache: AssessmentCache<Store>
    let every: Duration

    func run() async throws {
        repeat {
            _ = try? await cache.all()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
        } while !Task.isShuttingDownGracefully && !Task.isCancelled
    }
}

/// Delivers the advisories to the webhooks: looks every few seconds, retries with backoff.
struct WebhookService<Store: ObservationStore>: Service {
    let app: WatchCenterApp<Store>
    let webhooks: [AdvisoryWebhook]
    let every: Duration
    let logger: Logger

    func run() async throws {
        repeat {
            do {
                let advisories = try await app.advisories()
                for hook in webhooks {
                    hook.offer(advisories)
                    await hook.deliverDue()
                }
            } catch {
                logger.warning("webhooks: \(error.description)")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                break
            }
        } while !Task.isShuttingDownGracefully && !Task.isCancelled
        for hook in webhooks { await hook.shutdown() }
    }
}

/// The wall clock in nanoseconds since 1970.
public enum WallClock {
    /// Now.
    @Sendable public static func nanoseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }
}
