import Outbreak
import Testing

/// Two-sample Kolmogorov–Smirnov statistic D = sup |F_a − F_b|.
func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
    let x = a.sorted(), y = b.sorted()
    var i = 0, j = 0, d = 0.0
    while i < x.count && j < y.count {
        let v = Swift.min(x[i], y[j])
        while i < x.count && x[i] <= v { i += 1 }
        while j < y.count && y[j] <= v { j += 1 }
        d = Swift.max(d, Swift.abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
    }
    return d
}

/// The KS critical value at significance 0.001: c(α)·sqrt((n+m)/(n·m)), c = 1.949.
func ksCritical(_ n: Int, _ m: Int) -> Double {
    1.949 * (Double(n + m) / Double(n * m)).squareRoot()
}

/// Runs `runs` seeds of both engines and returns a per-run statistic from each.
func bothEngines(_ scenario: Scenario, runs: Int, seed: UInt64 = 11, options: EngineOptions = EngineOptions(),
                 _ statistic: (OutbreakRecord) -> Double) throws -> (exact: [Double], reference: [Double]) {
    let exact = try ExactEngine(scenario: scenario)
    let reference = try ReferenceEngine(scenario: scenario)
    var a: [Double] = [], b: [Double] = []
    for r in 0..<runs {
        a.append(statistic(exact.run(seed: seed, run: r, options: options)))
        b.append(statistic(reference.run(seed: seed + 1_000_003, run: r, options: options)))
    }
    return (a, b)
}

func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

/// A small scenario for engine comparisons.
func smallScenario(bits: Int = 16, hosts: Int = 120, rate: Double = 1, hours: Double = 10,
                   initial: Int = 2, strategy: ScanStrategy = .uniform(exclude: []),
                   placement: Population.Placement = .uniform, events: HostEvents = HostEvents(),
                   delay: Double = 0, monitors: [Monitor] = [], congestion: Double = 0,
                   probeRate: ProbeRate? = nil, lifecycle: Lifecycle? = nil, start: Int64 = 0,
                   interval: Double = 60) -> Scenario {
    Scenario(
        name: "test", space: AddressSpace(bits: bits), population: Population(size: hosts, placement: placement),
        worm: Worm(probeRate: probeRate ?? .fixed(rate), infectionDelay: delay, strategy: strategy,
                   initialInfected: initial, lifecycle: lifecycle),
        hostEvents: events, network: Network(congestionExponent: congestion), monitors: monitors,
        startTime: start, duration: hours * 3600, interval: interval)
}

/// The time at which a record's ever-infected count first reached `count` (∞ if never).
func timeToReach(_ record: OutbreakRecord, _ count: Int) -> Double {
    guard record.infectionTimes.count >= count else { return .infinity }
    return record.infectionTimes[count - 1]
}

/// Compares a per-run statistic of two sets of runs with a two-sample KS test (α = 0.001).
struct RunComparison {
    let exact: [OutbreakRecord]
    let reference: [OutbreakRecord]
    var label = ""

    func callAsFunction(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ f: (OutbreakRecord) -> Double) {
        let x = exact.map(f), y = reference.map(f)
        #expect(ksStatistic(x, y) < ksCritical(x.count, y.count),
                "\(label.isEmpty ? "" : label + " ")\(what): D = \(ksStatistic(x, y)), means \(mean(x)) vs \(mean(y))",
                sourceLocation: sourceLocation)
    }
}
