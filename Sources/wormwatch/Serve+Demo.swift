import ArgumentParser
import Dispatch
import Foundation
import Logging
import OutbreakReplay
import OutbreakScenarios
import WatchCenter
import WatchCenterServer
import WormWatchCore

/// `wormwatch serve --demo`: a Watch Center on SQLite in a temporary folder, fed a replay of
/// 19 July 2001 as seen by UCSD's /8 telescope, fast enough that the alarm goes off within
/// about a minute. The folder is removed at the end.
extension Serve {
    /// The demo's scenario: Code Red v2 seen by the /8 alone (a telescope counts its sources
    /// without naming them, and counts of several sensors cannot be told apart).
    static func demoScenario() throws -> String {
        guard let text = ScenarioPresets.text(named: "codered-v2"), let cut = text.range(of: "\nmonitors:") else {
            throw ValidationError("the codered-v2 preset is missing")
        }
        return String(text[..<cut.lowerBound]) + "\nmonitors:\n  - name: ucsd-8\n    prefixes: [44.0.0.0/8]\n"
    }

    func runDemo() async throws {
        guard let speed = ReplaySpeed(demoSpeed) else { throw ValidationError("--demo-speed: '\(demoSpeed)' is not a positive number or max") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        let tokens = folder.appendingPathComponent("tokens").path
        do {
            try FileManager.default.createDirectory(atPath: tokens, withIntermediateDirectories: true)
        } catch {
            throw ReportedError(location: folder.path, reason: "cannot create the demo's folder: \(error.localizedDescription)", exitStatus: .cannotCreate)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenarioPath = folder.appendingPathComponent("codered-v2-ucsd.yaml").path
        try Self.demoScenario().write(toFile: scenarioPath, atomically: true, encoding: .utf8)
        var logger = Logger(label: "wormwatch.serve")
        logger.logLevel = .warning
        let store: any ObservationStore
        do {
            store = try await StoreLocation(data: folder.appendingPathComponent("data").path, database: nil).open(logger: logger)
        } catch {
            throw ReportedError(location: folder.path, reason: (error as? any UserFacingError)?.reason ?? "\(error)", exitStatus: .unavailable)
        }
        let (_, token) = try await SensorRegistration.register(name: "ucsd-8", monitors: [IPv4Prefix(base: 0x2C00_0000, length: 8)], in: store, now: WallClock.nanoseconds())
        try (token.text + "\n").write(toFile: tokens + "/ucsd-8.token", atomically: true, encoding: .utf8)
        let started = try await demo(store, scenario: scenarioPath, tokens: tokens, spool: folder.appendingPathComponent("spool").path, speed: speed)
        await store.close()
        if !started { throw ExitCode(ExitStatus.unavailable.rawValue) }
    }

    func demo(_ store: some ObservationStore, scenario: String, tokens: String, spool: String, speed: ReplaySpeed) async throws -> Bool {
        let app = WatchCenterApp(store: store, configuration: configuration)
        var logger = Logger(label: "wormwatch.serve")
        logger.logLevel = .warning
        let stop = CancellationFlag()
        let finished = DispatchSemaphore(value: 0)
        let host = self.host
        let truth = app.truth
        defer { stop.cancel() }
        do {
            try await app.run(logger: logger) { port in
                Terminal.printError("wormwatch: demo Watch Center listening on http://\(host):\(port)/ — Code Red v2 on 19 July 2001, seen by UCSD's /8, replayed at \(speed); the alarm goes off after about \(Self.alarmSeconds(speed)); stop with Ctrl-C")
                let request = ReplayRequest(scenario: scenario, seed: 1, hours: nil, speed: speed, push: "http://127.0.0.1:\(port)", tokenDirectory: tokens, family: "codered-v2", spoolRoot: spool)
                DispatchQueue.global().async {
                    defer { finished.signal() }
                    do {
                        let summary = try Replay(request).run(cancellation: stop, finishSeconds: 2, simulated: { record in
                            // The dashboard draws the truth beside the estimate.
                            truth.set(
                                family: "codered-v2", times: record.rows.map { Double(record.startTime) + $0.time },
                                everInfected: record.rows.map { Double($0.everInfected) })
                        })
                        if !stop.isCancelled { Terminal.printError(String(format: "wormwatch: demo replay done after %.0f s; the center keeps serving", summary.seconds)) }
                    } catch {
                        if !stop.isCancelled { Terminal.printError("wormwatch: error: demo replay: \((error as? any UserFacingError)?.reason ?? "\(error)")") }
                    }
                }
            }
        } catch {
            Terminal.printError("wormwatch: error: \(host):\(port): cannot serve: \(error)")
            return false
        }
        stop.cancel()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { _ = finished.wait(timeout: .now() + 10); c.resume() }
        }
        return true
    }

    /// When the demo's alarm goes off in wall time: Code Red is declared about 1.5 simulated
    /// hours after 10:00 with the /8 (11:23 with seed 1).
    static func alarmSeconds(_ speed: ReplaySpeed) -> String {
        guard case .factor(let x) = speed else { return "a second" }
        return String(format: "%.0f s", 5_000 / x)
    }
}
