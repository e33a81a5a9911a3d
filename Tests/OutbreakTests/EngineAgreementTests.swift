import Testing
import Outbreak
import WormWatchCore

/// The exact engine against the per-probe reference engine: the same model, so the same
/// distributions. Each test compares a per-run statistic over independent runs with a
/// two-sample Kolmogorov–Smirnov test at α = 0.001 (fixed seeds: deterministic).
@Suite("Exact engine agrees with the per-probe reference")
struct EngineAgreementTests {
    let keep = EngineOptions(keepInfectionTimes: true, keepFirstSeen: true, keepProbes: true)

    @Test("uniform scanning: time to infect half the hosts")
    func uniform() throws {
        let s = smallScenario(hosts: 120, rate: 1, hours: 2)
        let (a, b) = try bothEngines(s, runs: 150, options: keep) { timeToReach($0, 60) }
        #expect(ksStatistic(a, b) < ksCritical(a.count, b.count), "D = \(ksStatistic(a, b))")
        #expect(Swift.abs(mean(a) / mean(b) - 1) < 0.1)
    }

    @Test("uniform scanning: a shifted statistic is detected (the test has power)")
    func power() throws {
        let s = smallScenario(hosts: 120, rate: 1, hours: 2)
        var faster = s
        faster.worm.probeRate = .fixed(1.3)
        let exact = try ExactEngine(scenario: s), other = try ReferenceEngine(scenario: faster)
        let a = (0..<150).map { timeToReach(exact.run(seed: 3, run: $0, options: keep), 60) }
        let b = (0..<150).map { timeToReach(other.run(seed: 4, run: $0, options: keep), 60) }
        #expect(ksStatistic(a, b) > ksCritical(a.count, b.count))
    }

    @Test("patching, cleaning, reboots and an infection delay")
    func hostEvents() throws {
        let events = HostEvents(patchSchedule: [.init(start: 0, rate: 0.05 / 3600), .init(start: 3 * 3600, rate: 0.4 / 3600)],
                                cleanRate: 0.1 / 3600, rebootRate: 0.3 / 3600, awarenessPatchRate: 0.5 / 3600)
        let s = smallScenario(hosts: 120, rate: 1, hours: 3, initial: 3, events: events, delay: 120)
        let ever = try bothEngines(s, runs: 150) { Double($0.summary.everInfected) }
        #expect(ksStatistic(ever.exact, ever.reference) < ksCritical(150, 150), "ever infected D = \(ksStatistic(ever.exact, ever.reference))")
        let removed = try bothEngines(s, runs: 150) { Double($0.rows[170].removed) }
        #expect(ksStatistic(removed.exact, removed.reference) < ksCritical(150, 150))
        let infectedNow = try bothEngines(s, runs: 150) { Double($0.rows[90].infected) }
        #expect(ksStatistic(infectedNow.exact, infectedNow.reference) < ksCritical(150, 150))
    }

    @Test("localized scanning (Code Red II weights) on a clustered population")
    func localized() throws {
        let strategy = ScanStrategy.localized(anywhere: 0.125, components: [.init(length: 15, weight: 0.5), .init(length: 16, weight: 0.375)], exclude: [])
        let placement = Population.Placement.clustered([.init(prefix: IPv4Prefix("0.2.0.0/16")!, weight: 0.5),
                                                        .init(prefix: IPv4Prefix("0.0.0.0/15")!, weight: 0.3)])
        let s = smallScenario(bits: 18, hosts: 150, rate: 1, hours: 3, initial: 2, strategy: strategy, placement: placement)
        let (a, b) = try bothEngines(s, runs: 120, options: keep) { timeToReach($0, 75) }
        #expect(ksStatistic(a, b) < ksCritical(a.count, b.count), "D = \(ksStatistic(a, b))")
    }

    @Test("uniform scanning with excluded blocks and heterogeneous probe rates")
    func excludedAndRates() throws {
        let rates = ProbeRate.discrete([.init(rate: 0.5, weight: 3), .init(rate: 3, weight: 1)])
        let s = smallScenario(bits: 17, hosts: 120, hours: 2, strategy: .uniform(exclude: [IPv4Prefix("0.1.0.0/16")!]),
                              placement: .clustered([.init(prefix: IPv4Prefix("0.0.0.0/16")!, weight: 1)]), probeRate: rates)
        let (a, b) = try bothEngines(s, runs: 150, options: keep) { timeToReach($0, 60) }
        #expect(ksStatistic(a, b) < ksCritical(a.count, b.count), "D = \(ksStatistic(a, b))")
    }

    @Test("congestion feedback slows infection the same way")
    func congestion() throws {
        let s = smallScenario(hosts: 120, rate: 1, hours: 4, congestion: 2)
        let (a, b) = try bothEngines(s, runs: 150, options: keep) { timeToReach($0, 80) }
        #expect(ksStatistic(a, b) < ksCritical(a.count, b.count), "D = \(ksStatistic(a, b))")
    }

    @Test("monitors: sources seen, probes and distinct sources per interval")
    func monitors() throws {
        let monitors = [Monitor(name: "quarter", prefixes: [IPv4Prefix("0.0.0.0/18")!]),
                        Monitor(name: "pots", prefixes: [IPv4Prefix("0.0.1.0/28")!, IPv4Prefix("0.0.200.7/32")!])]
        let events = HostEvents(rebootRate: 0.5 / 3600)
        let s = smallScenario(hosts: 120, rate: 1, hours: 2, events: events, delay: 30, monitors: monitors, interval: 300)
        let runs = 150
        let exact = try ExactEngine(scenario: s), reference = try ReferenceEngine(scenario: s)
        let a = (0..<runs).map { exact.run(seed: 5, run: $0, options: keep) }
        let b = (0..<runs).map { reference.run(seed: 6, run: $0, options: keep) }
        let compare = RunComparison(exact: a, reference: b)
        compare("quarter sources") { Double($0.summary.monitorSources[0]) }
        compare("pots sources") { Double($0.summary.monitorSources[1]) }
        compare("quarter probes, row 10") { Double($0.rows[10].monitors[0].probes) }
        compare("quarter distinct, row 10") { Double($0.rows[10].monitors[0].distinctSources) }
        compare("quarter new, row 10") { Double($0.rows[10].monitors[0].newSources) }
        compare("quarter distinct, row 20") { Double($0.rows[20].monitors[0].distinctSources) }
        compare("pots probes, total") { Double($0.rows.reduce(0) { $0 + $1.monitors[1].probes }) }
        compare("quarter first seen of 10th source") { $0.firstSeenTimes[0].count >= 10 ? $0.firstSeenTimes[0][9] : .infinity }
        // Within a run the counts are consistent with each other.
        for record in a {
            for row in record.rows {
                for m in row.monitors {
                    #expect(m.newSources <= m.distinctSources && m.distinctSources <= m.probes)
                }
            }
            #expect(record.firstSeenTimes[0].count == record.summary.monitorSources[0])
        }
    }

    @Test("monitors that record every probe: counts and destinations")
    func recordedProbes() throws {
        let strategy = ScanStrategy.localized(anywhere: 0.25, components: [.init(length: 16, weight: 0.75)], exclude: [IPv4Prefix("0.0.0.0/24")!])
        let monitors = [Monitor(name: "slash20", prefixes: [IPv4Prefix("0.0.0.0/20")!], recordProbes: true),
                        Monitor(name: "far", prefixes: [IPv4Prefix("0.2.16.0/20")!, IPv4Prefix("0.3.0.9/32")!], recordProbes: true)]
        let s = smallScenario(bits: 18, hosts: 120, rate: 1, hours: 2, strategy: strategy,
                              placement: .clustered([.init(prefix: IPv4Prefix("0.0.0.0/16")!, weight: 0.6)]),
                              events: HostEvents(rebootRate: 0.5 / 3600), monitors: monitors, interval: 300)
        let runs = 150
        let exact = try ExactEngine(scenario: s), reference = try ReferenceEngine(scenario: s)
        let a = (0..<runs).map { exact.run(seed: 8, run: $0, options: keep) }
        let b = (0..<runs).map { reference.run(seed: 9, run: $0, options: keep) }
        let compare = RunComparison(exact: a, reference: b)
        for m in 0..<2 {
            compare("monitor \(m) sources") { Double($0.summary.monitorSources[m]) }
            compare("monitor \(m) probes, row 12") { Double($0.rows[12].monitors[m].probes) }
            compare("monitor \(m) distinct, row 12") { Double($0.rows[12].monitors[m].distinctSources) }
            compare("monitor \(m) all probes") { Double($0.probes[m].count) }
            compare("monitor \(m) share of probes into the excluded 0.0.0.0/24 (local probes only)") {
                let p = $0.probes[m]
                return p.isEmpty ? 0 : Double(p.filter { $0.destination >> 8 == 0 }.count) / Double(p.count)
            }
            compare("monitor \(m) share of probes from inside 0.0/16") {
                let p = $0.probes[m]
                return p.isEmpty ? 0 : Double(p.filter { $0.source >> 16 == 0 }.count) / Double(p.count)
            }
        }
        for record in a {
            for (m, monitor) in monitors.enumerated() {
                let probes = record.probes[m]
                #expect(probes.allSatisfy { p in monitor.prefixes.contains { $0.contains(p.destination) } })
                #expect(zip(probes, probes.dropFirst()).allSatisfy { $0.time <= $1.time })
                #expect(probes.count == record.rows.reduce(0) { $0 + $1.monitors[m].probes })
                #expect(Set(probes.map(\.source)).count == record.summary.monitorSources[m])
            }
        }
    }

    @Test("diurnal on/off: machines switched off at night in several time zones")
    func diurnal() throws {
        let zones = [Diurnal.Zone(utcOffsetHours: -5, weight: 3), .init(utcOffsetHours: 9, weight: 1), .init(utcOffsetHours: 1, weight: 1)]
        let events = HostEvents(patchSchedule: [.init(start: 0, rate: 0.02 / 3600)], rebootRate: 0.2 / 3600,
                                diurnal: Diurnal(share: 0.6, offFromHour: 20, offUntilHour: 7, zones: zones))
        let monitors = [Monitor(name: "m", prefixes: [IPv4Prefix("0.0.0.0/17")!])]
        let start = UTCCalendar.seconds(year: 2001, month: 7, day: 1, hour: 0)
        let s = smallScenario(hosts: 120, rate: 0.25, hours: 30, initial: 3, events: events, delay: 60, monitors: monitors,
                              start: start, interval: 600)
        let runs = 150
        let exact = try ExactEngine(scenario: s), reference = try ReferenceEngine(scenario: s)
        let a = (0..<runs).map { exact.run(seed: 12, run: $0, options: keep) }
        let b = (0..<runs).map { reference.run(seed: 13, run: $0, options: keep) }
        let compare = RunComparison(exact: a, reference: b)
        compare("time to 40 infected") { timeToReach($0, 40) }
        compare("ever infected") { Double($0.summary.everInfected) }
        compare("infected at 10 h") { Double($0.rows[59].infected) }
        compare("probes/s at 4 h (night in UTC−5)") { $0.rows[23].probesPerSecond }
        compare("monitor sources") { Double($0.summary.monitorSources[0]) }
        compare("monitor distinct at 20 h") { Double($0.rows[119].monitors[0].distinctSources) }
        // Switching off really stops probing: the rate drops when UTC−5 goes to sleep (01:00 UTC).
        let before = mean(a.map { $0.rows[5].probesPerSecond / Swift.max(1, Double($0.rows[5].infected)) })
        let after = mean(a.map { $0.rows[7].probesPerSecond / Swift.max(1, Double($0.rows[7].infected)) })
        #expect(after < before * 0.9, "per-host probe rate \(before) before, \(after) after")
    }

    @Test("the day-of-month lifecycle stops spreading at midnight on the 20th")
    func lifecycle() throws {
        let start = UTCCalendar.seconds(year: 2001, month: 7, day: 19, hour: 23, minute: 30)
        let s = smallScenario(hosts: 120, rate: 1, hours: 1.5, initial: 2, lifecycle: Lifecycle(), start: start)
        let (a, b) = try bothEngines(s, runs: 150) { Double($0.summary.everInfected) }
        #expect(ksStatistic(a, b) < ksCritical(150, 150))
        let record = try ExactEngine(scenario: s).run(seed: 1, options: keep)
        #expect(record.infectionTimes.allSatisfy { $0 <= 1800 })
        #expect(record.rows[30...].allSatisfy { $0.newInfections == 0 && $0.probesPerSecond == 0 })
        #expect(record.rows[29].probesPerSecond > 0)
        // Waking on the 1st: a run that starts dormant on the 31st resumes at midnight.
        let dormant = smallScenario(hosts: 120, rate: 1, hours: 6, initial: 4, lifecycle: Lifecycle(),
                                    start: UTCCalendar.seconds(year: 2001, month: 7, day: 31, hour: 22))
        let woke = try ExactEngine(scenario: dormant).run(seed: 1, options: keep)
        #expect(woke.infectionTimes.dropFirst(4).allSatisfy { $0 >= 2 * 3600 })
        #expect(woke.summary.everInfected > 4)
    }

    @Test("permutation scanning (Warhol): start after own position, jump on hitting an infected host")
    func permutation() throws {
        let s = smallScenario(hosts: 120, rate: 1, hours: 2, strategy: .permutation(key: 7))
        let (a, b) = try bothEngines(s, runs: 150, options: keep) { timeToReach($0, 60) }
        #expect(ksStatistic(a, b) < ksCritical(a.count, b.count), "D = \(ksStatistic(a, b))")
    }

    @Test("static seed (Code Red v1) with two sequences, reboots and patching")
    func staticSeed() throws {
        let events = HostEvents(patchSchedule: [.init(start: 0, rate: 0.1 / 3600)], rebootRate: 0.5 / 3600)
        let s = smallScenario(hosts: 120, rate: 4, hours: 1, initial: 3, strategy: .staticSeed(sequences: 2, key: 3), events: events)
        let (a, b) = try bothEngines(s, runs: 150) { Double($0.summary.everInfected) }
        #expect(ksStatistic(a, b) < ksCritical(150, 150), "D = \(ksStatistic(a, b)), means \(mean(a)) vs \(mean(b))")
    }

    @Test("sequential scanning from a random start and from the host's own address")
    func sequential() throws {
        let random = smallScenario(hosts: 120, rate: 1, hours: 2, strategy: .sequential(start: .random))
        let r = try bothEngines(random, runs: 150, options: keep) { timeToReach($0, 60) }
        #expect(ksStatistic(r.exact, r.reference) < ksCritical(150, 150), "random start D = \(ksStatistic(r.exact, r.reference))")
        let own = smallScenario(hosts: 120, rate: 1, hours: 1, strategy: .sequential(start: .own),
                                placement: .clustered([.init(prefix: IPv4Prefix("0.0.64.0/18")!, weight: 1)]), delay: 20)
        let o = try bothEngines(own, runs: 150, options: keep) { timeToReach($0, 30) }
        #expect(ksStatistic(o.exact, o.reference) < ksCritical(150, 150), "own start D = \(ksStatistic(o.exact, o.reference))")
    }

    @Test("monitors watching sequence-walking worms", arguments: [
        ScanStrategy.permutation(key: 7), .staticSeed(sequences: 2, key: 3), .sequential(start: .random), .sequential(start: .own),
    ])
    func sequenceMonitors(strategy: ScanStrategy) throws {
        let monitors = [Monitor(name: "block", prefixes: [IPv4Prefix("0.0.192.0/18")!]),
                        Monitor(name: "pots", prefixes: [IPv4Prefix("0.0.7.0/28")!, IPv4Prefix("0.0.99.1/32")!], recordProbes: true)]
        let events = HostEvents(rebootRate: 0.4 / 3600,
                                diurnal: Diurnal(share: 0.5, offFromHour: 0.5, offUntilHour: 1.2, zones: [.init(utcOffsetHours: 0, weight: 1)]))
        let s = smallScenario(hosts: 120, rate: 2, hours: 1.5, initial: 3, strategy: strategy, events: events,
                              monitors: monitors, interval: 300)
        let runs = 150
        let exact = try ExactEngine(scenario: s), reference = try ReferenceEngine(scenario: s)
        let a = (0..<runs).map { exact.run(seed: 21, run: $0, options: keep) }
        let b = (0..<runs).map { reference.run(seed: 22, run: $0, options: keep) }
        let compare = RunComparison(exact: a, reference: b, label: "\(strategy)")
        for m in 0..<2 {
            compare("monitor \(m) sources") { Double($0.summary.monitorSources[m]) }
            compare("monitor \(m) probes") { Double($0.rows.reduce(0) { $0 + $1.monitors[m].probes }) }
            compare("monitor \(m) probes, row 8") { Double($0.rows[8].monitors[m].probes) }
            compare("monitor \(m) distinct, row 5") { Double($0.rows[5].monitors[m].distinctSources) }
        }
        compare("first source seen by the block") { $0.firstSeenTimes[0].first ?? .infinity }
        for record in a {
            #expect(record.probes[1].allSatisfy { p in monitors[1].prefixes.contains { $0.contains(p.destination) } })
            #expect(record.probes[1].count == record.rows.reduce(0) { $0 + $1.monitors[1].probes })
        }
    }

    @Test("a sequence scanner paused by the lifecycle resumes where it was")
    func pauseAndResume() throws {
        // Spreads on the 19th until midnight, sleeps, wakes on 1 September.
        let life = Lifecycle(spreadUntilDay: 19, floodUntilDay: 19)
        let start = UTCCalendar.seconds(year: 2001, month: 8, day: 19, hour: 23, minute: 30)
        let hours = 0.5 + 12 * 24 + 0.5
        let s = smallScenario(hosts: 120, rate: 2, hours: hours, initial: 2, strategy: .staticSeed(sequences: 1, key: 5),
                              lifecycle: life, start: start, interval: 3600)
        let (a, b) = try bothEngines(s, runs: 150) { Double($0.summary.everInfected) }
        #expect(ksStatistic(a, b) < ksCritical(150, 150), "D = \(ksStatistic(a, b)), means \(mean(a)) vs \(mean(b))")
    }
}

@Suite("Sequence-walking worms")
struct SequenceWormTests {
    @Test("a static seed gives roughly linear growth at r·N/Ω infections per second")
    func staticSeedIsLinear() throws {
        let s = smallScenario(bits: 20, hosts: 2000, rate: 10, hours: 10, initial: 1, strategy: .staticSeed(sequences: 1, key: 1))
        let engine = try ExactEngine(scenario: s)
        let runs = (0..<8).map { engine.run(seed: 77, run: $0) }
        let at5 = mean(runs.map { Double($0.rows[299].everInfected) })
        let at10 = mean(runs.map { Double($0.rows[599].everInfected) })
        let expected = 10.0 * 2000 / Double(1 << 20) * 3600  // per hour
        #expect(Swift.abs(at5 / (5 * expected) - 1) < 0.15, "after 5 h: \(at5), expected about \(5 * expected)")
        #expect(Swift.abs(at10 / (10 * expected) - 1) < 0.15, "after 10 h: \(at10), expected about \(10 * expected)")
        // Uniform scanning with the same parameters has long saturated.
        var uniform = s
        uniform.worm.strategy = .uniform(exclude: [])
        #expect(try ExactEngine(scenario: uniform).run(seed: 77).rows[299].everInfected > 1900)
    }

    @Test("the address permutation is a bijection and its inverse is exact")
    func permutationIsBijection() {
        for bits in [16, 17, 20] {
            let p = AddressPermutation(bits: bits, key: 99)
            var seen = [Bool](repeating: false, count: 1 << bits)
            for i in 0..<UInt64(1 << bits) {
                let a = p.forward(i)
                #expect(a < UInt64(1 << bits))
                #expect(!seen[Int(a)])
                seen[Int(a)] = true
                #expect(p.inverse(a) == i)
            }
        }
        let full = AddressPermutation(bits: 32, key: 1)
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<10_000 {
            let x = rng.next() & 0xFFFF_FFFF
            #expect(full.inverse(full.forward(x)) == x)
        }
    }
}
