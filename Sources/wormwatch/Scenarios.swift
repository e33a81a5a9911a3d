import ArgumentParser
import OutbreakScenarios
import WormWatchCore

struct Scenarios: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in scenarios, or print one as a starting point for your own.",
        discussion: """
        Examples:
          wormwatch scenarios
          wormwatch scenarios show codered-ii > my-worm.yaml
        """,
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the presets with a one-line summary.")
        func run() throws {
            var table = TextTable(header: ["name", "hosts", "hours", "summary"])
            for name in ScenarioPresets.names {
                guard let s = try? ScenarioPresets.scenario(named: name) else { continue }
                table.add([name, String(s.population.size), formatHours(s.duration), s.summary])
            }
            print(table.render(), terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a preset's scenario file, with its comments.")
        @Argument(help: "The preset's name.") var name: String
        func run() throws {
            try reporting {
                guard let text = ScenarioPresets.text(named: name) else {
                    throw ReportedError(location: name, reason: "no such preset", exitStatus: .usage,
                                        hint: "presets: \(ScenarioPresets.names.joined(separator: ", "))")
                }
                print(text, terminator: "")
            }
        }
    }
}

func formatHours(_ seconds: Double) -> String {
    let h = seconds / 3600
    return h == h.rounded() ? String(Int(h)) : String(h)
}
