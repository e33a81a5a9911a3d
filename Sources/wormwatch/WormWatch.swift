import ArgumentParser
import Foundation
import WormWatchCore

@main
struct WormWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wormwatch",
        abstract: "Simulate, detect and follow Internet worm outbreaks such as Code Red (2001).",
        discussion: """
        Everything WormWatch does is defensive: probes exist only inside the simulation.

        Examples:
          wormwatch simulate codered-v2                 one full-scale Code Red v2 day
          wormwatch simulate codered-v2 --runs 100 --plot cr.svg
          wormwatch scenarios                           list the built-in scenarios
          wormwatch scenarios show codered-v2 > my.yaml start your own scenario
          wormwatch fit observed.csv --model logistic   fit a model to a time series
          wormwatch scan access.log capture.pcap        find worm probes in logs and captures
          wormwatch serve                               run the Watch Center on 127.0.0.1:8080
          wormwatch sensor add isc --monitors 44.0.0.0/8 > isc.token
          wormwatch replay codered-v2 --speed 600 --push http://127.0.0.1:8080 --token-dir tokens
        """,
        subcommands: [Simulate.self, Scenarios.self, Fit.self, Validate.self, Sweep.self, Merge.self, Scan.self, Serve.self, SensorCommand.self, ReplayCommand.self, Evaluate.self]
    )

    /// Parses and runs, reporting every error as `wormwatch: error: <where>: <what>` on
    /// stderr with its sysexits status (conventions.md); help goes to stdout.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(ExitStatus.success.rawValue)
            }
            var text = message(for: error)
            if text.hasPrefix("Error: ") { text.removeFirst(7) }
            let location = optionName(in: text)
            if let location, !text.hasPrefix(location + ":"), !text.hasPrefix(location + " ") { text = location + ": " + text }
            Terminal.printError("wormwatch: error: " + text)
            Terminal.printError("hint: see 'wormwatch help' or add --help after the subcommand")
            // ArgumentParser says 1 or "validation failure" for a bad option: that is usage (64).
            Foundation.exit(code == .validationFailure || code.rawValue == ExitStatus.findings.rawValue ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }

    /// The first `--option` or `-o` named in an argument parser message.
    static func optionName(in text: String) -> String? {
        let words = text.split(whereSeparator: { " '\"<>,.:".contains($0) })
        return words.first { $0.hasPrefix("--") && $0.count > 2 }.map(String.init)
    }
}
