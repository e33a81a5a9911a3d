import ArgumentParser

@main
struct WormWatch: ParsableCommand {
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
        """,
        subcommands: [Simulate.self, Scenarios.self]
    )
}
