/// Where a host stands in the outbreak (one byte in ``HostRecord``).
///
/// The exact engine keeps each /16 block's hosts in segments ordered S | L | I | R | OFF:
/// susceptible, latent, infected, removed (patched or cleaned) and switched off at night
/// (whatever the state).
enum HostState: UInt8 {
    /// Vulnerable and not infected.
    case susceptible
    /// Infected, waiting out the infection delay before it starts scanning.
    case latent
    /// Infected and scanning (unless switched off for the night).
    case infected
    /// Patched before it was infected: removed for good.
    case patched
    /// Infected, then cleaned (and patched): removed for good.
    case cleaned
}
