/// The rates, per second, of what goes on at the current state until the next event or
/// breakpoint: the random events (infections, patches, cleanings, reboots) and the worm's
/// probe and flood traffic.
struct EventRates {
    /// The share of infection attempts that get through the congested network.
    let congestion: Double
    /// Infection pressure of the 'anywhere' component of scanning, before congestion.
    let anyPressure: Double
    /// Infections: congestion × the pressure of all scanning.
    let infection: Double
    /// Patches of susceptible hosts (schedule and awareness).
    let patch: Double
    /// Cleanings of infected hosts.
    let clean: Double
    /// Reboots of infected hosts.
    let reboot: Double
    /// All random events: infection + patch + clean + reboot.
    let total: Double
    /// Probes sent per second (traffic, not events).
    let probe: Double
    /// Flood traffic, bits per second.
    let flood: Double
}

extension EventRates {
    /// The run's fixed rate coefficients, read once before the event loop.
    struct Coefficients {
        /// 'Anywhere' infection pressure per probe per second and susceptible host: the
        /// anywhere weight over the addresses it draws from.
        let anywhere: Double
        /// Cleanings per infected host per second.
        let clean: Double
        /// Reboots per infected host per second.
        let reboot: Double
        /// Awareness patching per susceptible host per second, per host infected or cleaned.
        let awareness: Double
        /// Flood bits per second per infected host, in the flood phase.
        let floodBits: Double

        /// The coefficients of `plan` for a population of `n` hosts.
        init(plan: ScenarioPlan, population n: Int) {
            let scenario = plan.scenario
            anywhere = plan.anyWeight / plan.anySpace
            clean = scenario.hostEvents.cleanRate
            reboot = scenario.hostEvents.rebootRate
            awareness = scenario.hostEvents.awarenessPatchRate / Double(n)
            floodBits = scenario.worm.lifecycle?.floodBitsPerSecond ?? 0
        }
    }
}
