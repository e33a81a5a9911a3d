import EpidemicModels
import Testing
import Outbreak

/// The exact engine's mean curve against the classic deterministic models. With thousands
/// of hosts and 2 % of them infected at the start, the mean of 16 runs follows the
/// mean-field equations to within about one per cent of N.
@Suite("Exact engine follows the analytic models")
struct TheoryTests {
    static let space = 26
    static let hosts = 20_000
    static let initial = 400
    static let rate = 100.0
    static let omega = Double(1 << space)

    func scenario(events: HostEvents = HostEvents(), congestion: Double = 0, minutes: Double = 12) -> Scenario {
        smallScenario(bits: Self.space, hosts: Self.hosts, rate: Self.rate, hours: minutes / 60,
                      initial: Self.initial, events: events, congestion: congestion, interval: 10)
    }

    /// Mean infected (now) per row over runs, and the rows' times.
    func meanCurve(_ s: Scenario, runs: Int = 16) throws -> (times: [Double], infected: [Double], removed: [Double]) {
        let e = try Ensemble.run(s, seed: 2001, runs: runs, threads: 0)
        let times = e.records[0].rows.map(\.time)
        let infected = times.indices.map { k in e.records.reduce(0.0) { $0 + Double($1.rows[k].infected) } / Double(runs) }
        let removed = times.indices.map { k in e.records.reduce(0.0) { $0 + Double($1.rows[k].removed) } / Double(runs) }
        return (times, infected, removed)
    }

    @Test("uniform scanning without removals follows the logistic dI/dt = (η/Ω)·I·(N − I)")
    func logistic() throws {
        let curve = try meanCurve(scenario())
        let model = try LogisticModel(population: Double(Self.hosts), initialInfected: Double(Self.initial),
                                      probeRate: Self.rate, addressSpace: Self.omega)
        let worst = zip(curve.times, curve.infected).map { Swift.abs($1 - model.infected(at: $0)) }.max() ?? .infinity
        #expect(worst < 0.01 * Double(Self.hosts), "largest gap \(worst) hosts")
        // And the curve really is the logistic's S shape, not a flat line.
        #expect(curve.infected.last ?? 0 > 0.95 * Double(Self.hosts))
    }

    @Test("patching, cleaning and reboots follow the mean-field ODE")
    func removals() throws {
        let events = HostEvents(patchSchedule: [.init(start: 0, rate: 0.002)], cleanRate: 0.004, rebootRate: 0.003)
        let curve = try meanCurve(scenario(events: events))
        let ode = try RandomScanningODE(population: Double(Self.hosts), initialInfected: Double(Self.initial),
                                        probeRate: Self.rate, addressSpace: Self.omega,
                                        patchRate: 0.002, cleanRate: 0.004, rebootRate: 0.003)
        let states = try ode.solve(times: curve.times, maxStep: 1)
        let worstI = zip(curve.infected, states).map { Swift.abs($0 - $1.infected) }.max() ?? .infinity
        let worstR = zip(curve.removed, states).map { Swift.abs($0 - $1.removed) }.max() ?? .infinity
        #expect(worstI < 0.01 * Double(Self.hosts), "infected: largest gap \(worstI)")
        #expect(worstR < 0.01 * Double(Self.hosts), "removed: largest gap \(worstR)")
        #expect(curve.removed.last ?? 0 > 0.1 * Double(Self.hosts))
    }

    @Test("with patching and removal the curve follows the AAWP discrete-time model")
    func aawp() throws {
        // AAWP removes a fraction d + p of the infected and patches a fraction p of the
        // susceptible each tick; the engine's rates per second are those fractions per tick.
        let tick = 0.05, d = 0.003 * tick, p = 0.002 * tick
        let events = HostEvents(patchSchedule: [.init(start: 0, rate: 0.002)], cleanRate: 0.005)
        let curve = try meanCurve(scenario(events: events))
        let model = try AAWPModel(population: Double(Self.hosts), addressSpace: Self.omega, probeRate: Self.rate,
                                  tickSeconds: tick, deathRate: d, patchRate: p, initialInfected: Double(Self.initial))
        let states = try model.run(ticks: Int((curve.times.last ?? 0) / tick) + 1)
        let worst = zip(curve.times, curve.infected).map { t, i in Swift.abs(i - states[Int((t / tick).rounded())].infected) }.max() ?? .infinity
        #expect(worst < 0.015 * Double(Self.hosts), "largest gap \(worst) hosts")
    }

    @Test("congestion and awareness patching follow Zou's two-factor model")
    func twoFactor() throws {
        let awareness = 0.02, clean = 0.003
        let events = HostEvents(cleanRate: clean, awarenessPatchRate: awareness)
        let curve = try meanCurve(scenario(events: events, congestion: 3, minutes: 20))
        let model = try TwoFactorModel(population: Double(Self.hosts), initialInfected: Double(Self.initial),
                                       beta0: Self.rate / Self.omega, eta: 3, gamma: clean, mu: awareness / Double(Self.hosts))
        let states = try model.solve(times: curve.times, maxStep: 0.5)
        let worst = zip(curve.infected, states).map { Swift.abs($0 - $1.infected) }.max() ?? .infinity
        #expect(worst < 0.01 * Double(Self.hosts), "largest gap \(worst) hosts")
        // Congestion matters here: without it the curve would be far from this one.
        let free = try LogisticModel(population: Double(Self.hosts), initialInfected: Double(Self.initial),
                                     probeRate: Self.rate, addressSpace: Self.omega)
        let gap = zip(curve.times, curve.infected).map { Swift.abs($1 - free.infected(at: $0)) }.max() ?? 0
        #expect(gap > 0.1 * Double(Self.hosts))
    }
}
