import ArgumentParser
import Foundation
import Logging
import OutbreakReplay
import WatchCenter
import WatchCenterServer
import WormWatchCore

/// Where the data is: `--data DIR` (SQLite, the default) or `--database postgres://…`.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The embedded store's folder (SQLite; default ./\(StoreLocation.defaultFolder)).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("A PostgreSQL URL instead (postgres://user@host:5432/db); also from WORMWATCH_DATABASE.", valueName: "url"))
    var database: String?

    var location: StoreLocation {
        get throws {
            let url = database ?? ProcessInfo.processInfo.environment["WORMWATCH_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
            do {
                return try StoreLocation(data: data, database: data == nil ? url : database)
            } catch {
                throw CommandLineLocation.validationError(error)
            }
        }
    }

    func validate() throws { _ = try location }

    func open() async throws -> any ObservationStore {
        var logger = Logger(label: "wormwatch.store")
        logger.logLevel = .warning
        return try await location.open(logger: logger)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Watch Center: gather sensors' batches and serve what they saw.",
        discussion: """
        Stores data in SQLite in a folder (nothing to install) or, with --database,
        in PostgreSQL so that several servers can share it. Stops on SIGINT or
        SIGTERM after the requests in flight. The API is described at /openapi.yaml.

        Examples:
          wormwatch serve                        SQLite in ./wormwatch-data
          wormwatch serve --data /var/lib/wormwatch --port 9090
          wormwatch serve --database postgres://ww@db:5432/wormwatch --host 0.0.0.0
          wormwatch serve --demo                 a replay of 19 July 2001; the alarm within a minute
          wormwatch serve --webhook https://soc.example/hooks/wormwatch --webhook-secret-file hook.secret
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port; the chosen one is printed).")
    var port = 8080

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Days of raw events kept, counted back from the newest; aggregates are kept.", valueName: "days"))
    var retainDays = 30

    @Option(help: ArgumentHelp("The largest batch body, in bytes.", valueName: "bytes"))
    var maxBodyBytes = 16 << 20

    @Option(help: ArgumentHelp("The most lines in a batch.", valueName: "lines"))
    var maxLines = 10_000

    @Option(help: ArgumentHelp("Batches per second a sensor may send on average (bursts of twice that).", valueName: "rate"))
    var rateLimit = 50.0

    @Option(help: ArgumentHelp("Seconds a client may take to send a batch's body (408 after).", valueName: "seconds"))
    var bodyTimeout = 60

    @Option(help: ArgumentHelp("A URL that receives every advisory (POST, HMAC-signed); repeat for several.", valueName: "url"))
    var webhook: [String] = []

    @Option(help: ArgumentHelp("The file holding the webhooks' shared secret (also WORMWATCH_WEBHOOK_SECRET); never on the command line.", valueName: "file"))
    var webhookSecretFile: String?

    @Flag(help: "Run a demonstration: a temporary store fed a replay of Code Red v2 on 19 July 2001 seen by a /8 telescope.")
    var demo = false

    @Option(help: ArgumentHelp("The demo's replay speed (simulated seconds per second), or max.", valueName: "x|max"))
    var demoSpeed = "120"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port: \(port) is not a port (0 to 65535)") }
        guard (1...36_500).contains(retainDays) else { throw ValidationError("--retain-days: \(retainDays) is not between 1 and 36500") }
        guard (1_024...(1 << 30)).contains(maxBodyBytes) else { throw ValidationError("--max-body-bytes: \(maxBodyBytes) is not between 1024 and 1073741824") }
        guard (1...1_000_000).contains(maxLines) else { throw ValidationError("--max-lines: \(maxLines) is not between 1 and 1000000") }
        guard rateLimit > 0 && rateLimit.isFinite else { throw ValidationError("--rate-limit: \(rateLimit) is not a positive number") }
        guard (1...3_600).contains(bodyTimeout) else { throw ValidationError("--body-timeout: \(bodyTimeout) is not between 1 and 3600") }
        for url in webhook {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("--webhook: '\(url)' is not an http:// or https:// URL")
            }
        }
        if !webhook.isEmpty { _ = try webhookSecret() }
        guard ReplaySpeed(demoSpeed) != nil else { throw ValidationError("--demo-speed: '\(demoSpeed)' is not a positive number or max") }
        if demo && (store.data != nil || store.database != nil) { throw ValidationError("--demo: the demo keeps its data in a temporary folder; leave out --data and --database") }
    }

    /// The webhooks' secret: from --webhook-secret-file, else WORMWATCH_WEBHOOK_SECRET.
    func webhookSecret() throws -> String {
        if let file = webhookSecretFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("--webhook-secret-file: cannot read '\(file)'")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard secret.count >= 16 else { throw ValidationError("--webhook-secret-file: '\(file)': the secret is shorter than 16 characters") }
            return secret
        }
        guard let secret = ProcessInfo.processInfo.environment["WORMWATCH_WEBHOOK_SECRET"], secret.count >= 16 else {
            throw ValidationError("--webhook: give the shared secret (16 characters or more) in --webhook-secret-file or WORMWATCH_WEBHOOK_SECRET")
        }
        return secret
    }

    var configuration: CenterConfiguration {
        var limits = IngestLimits()
        limits.maxBodyBytes = maxBodyBytes
        limits.maxLines = maxLines
        var c = CenterConfiguration(
            host: host, port: port, limits: limits, batchesPerSecond: rateLimit, burst: 2 * rateLimit, retainDays: retainDays,
            bodyTimeoutSeconds: bodyTimeout)
        c.webhooks = webhook
        c.webhookSecret = (try? webhookSecret()) ?? ""
        return c
    }

    func run() async throws {
        if demo {
            try await reporting { try await runDemo() }
            return
        }
        try await reporting {
            let store = try await self.store.open()
            let started = try await serve(store)
            await store.close()
            if !started { throw ExitCode(ExitStatus.unavailable.rawValue) }
        }
    }

    /// Runs until a signal; false if the server could not start (the port taken).
    func serve(_ store: some ObservationStore) async throws -> Bool {
        let app = WatchCenterApp(store: store, configuration: configuration)
        var logger = Logger(label: "wormwatch.serve")
        logger.logLevel = .warning
        let where_ = store.description
        do {
            try await app.run(logger: logger) { port in
                Terminal.printError("wormwatch: Watch Center listening on http://\(host):\(port) (store: \(where_)); stop with Ctrl-C")
            }
            return true
        } catch {
            Terminal.printError("wormwatch: error: \(host):\(port): cannot serve: \(error)")
            return false
        }
    }
}
