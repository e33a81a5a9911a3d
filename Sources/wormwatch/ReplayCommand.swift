import ArgumentParser
import Foundation
import OutbreakReplay
import WatchCenter
import WormWatchCore

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a simulated outbreak into a Watch Center, each monitor as a sensor.",
        discussion: """
        Runs the scenario once, then pushes what each of its monitors saw: per
        interval, probes, distinct sources and new sources (named when the
        monitor records probes, counted otherwise), in wormwatch.observation/1
        lines, each interval when it ends in simulated time divided by --speed.
        Each monitor pushes with its own sensor's token, read from
        --token-dir/MONITOR.token; a missing one is reported with the command
        that registers it.

        Examples:
          wormwatch replay codered-v2 --speed 600 \\
            --push http://127.0.0.1:8080 --token-dir tokens
          wormwatch replay my-worm.yaml --speed max \\
            --push http://127.0.0.1:8080 --token-dir tokens
        """
    )

    @Argument(help: "A preset (wormwatch scenarios) or a scenario file.")
    var scenario: String

    @Option(help: ArgumentHelp("Simulated seconds per wall second, or max.", valueName: "x|max"))
    var speed: String = "600"

    @Option(help: ArgumentHelp("The Watch Center (http://host:port).", valueName: "url"))
    var push: String

    @Option(help: ArgumentHelp("The folder of the monitors' tokens, one MONITOR.token each.", valueName: "dir"))
    var tokenDir: String

    @Option(help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Hours to simulate (default: the scenario's duration).", valueName: "hours"))
    var hours: Double?

    @Option(help: ArgumentHelp("The family the counts are filed under (default: the scenario's name).", valueName: "name"))
    var family: String?

    @Option(help: ArgumentHelp("Where batches wait for the center.", valueName: "dir"))
    var spool = "wormwatch-spool"

    @Option(help: ArgumentHelp("Seconds to wait at the end for the center to take what is left.", valueName: "seconds"))
    var pushTimeout = 60.0

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    var request: ReplayRequest {
        get throws {
            guard let parsed = ReplaySpeed(speed) else { throw ValidationError("--speed: '\(speed)' is not a positive number or max") }
            return ReplayRequest(
                scenario: scenario, seed: seed, hours: hours, speed: parsed, push: push, tokenDirectory: tokenDir, family: family, spoolRoot: spool)
        }
    }

    func validate() throws {
        _ = try request
        guard pushTimeout >= 0 && pushTimeout.isFinite else { throw ValidationError("--push-timeout: \(pushTimeout) is not a number of seconds") }
    }

    func run() throws {
        try reporting {
            let replay = try Replay(try request)
            let stop = CancellationFlag()
            let watch = SignalWatch { stop.cancel() }
            let duration = replay.study.scenario.duration
            if !quiet { Terminal.printError("wormwatch: simulating \(replay.study.scenario.name) …") }
            let showProgress = !quiet && Terminal.stderrIsTTY
            let summary = try replay.run(cancellation: stop, finishSeconds: pushTimeout) { simulated in
                if showProgress { Terminal.progress(String(format: "replayed %.1f of %.1f hours", simulated / 3600, duration / 3600)) }
            }
            _ = watch
            if showProgress { Terminal.printError("") }
            var pending = 0
            for (monitor, push) in summary.pushes.sorted(by: { $0.key < $1.key }) {
                let sent = summary.linesByMonitor[monitor] ?? 0
                if !quiet { Terminal.printError("wormwatch: \(monitor): \(sent) intervals pushed in \(push.batchesSent) batches") }
                if let fatal = push.fatal { Terminal.printError("wormwatch: error: \(monitor): \(fatal)") }
                pending += push.batchesPending + (push.fatal == nil ? 0 : 1)
            }
            if !quiet { Terminal.printError(String(format: "wormwatch: replay took %.1f s", summary.seconds)) }
            if pending > 0 {
                Terminal.printError("wormwatch: error: \(push): batches were left in \(spool): run the replay's push again once the center answers")
                throw ExitCode(ExitStatus.unavailable.rawValue)
            }
        }
    }
}
