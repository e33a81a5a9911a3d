import Foundation
import Outbreak
import Testing
import WormWatchTestSupport
@testable import OutbreakScenarios

/// Every numeric key of the scenario format (docs/scenario-format.md) at extreme values:
/// refused with its exact one-line error, or accepted and then simulated without a single
/// infinity or NaN in the result (issue 10, item 5).
@Suite("Scenario bounds")
struct ScenarioBoundsTests {
    /// A scenario that uses nearly every key, at ordinary values; each case changes one.
    static let base = """
        format: wormwatch.scenario/1
        name: bounds
        start: 1970-01-01T00:00:00Z
        duration_hours: 1
        interval_seconds: 60
        space:
          bits: 20
          reserved: []
        population:
          size: 1000
        worm:
          probe_rate: 10
          probe_bytes: 62
          infection_delay_seconds: 1
          initial_infected: 2
          lifecycle:
            spread_until_day: 19
            flood_until_day: 31
            flood_bits_per_second: 56000
        host_events:
          patch:
            - from_hours: 0.5
              rate_per_hour: 0.02
          clean_rate_per_hour: 0.01
          reboot_rate_per_hour: 0.05
          awareness_patch_rate_per_hour: 0.1
          diurnal:
            share: 0.2
            off_from_hour: 19
            off_until_hour: 7
            zones:
              - utc_offset_hours: -5
                weight: 0.6
              - utc_offset_hours: 9
                weight: 0.4
        network:
          congestion_exponent: 2
        monitors:
          - name: telescope
            prefixes: [0.0.0.0/16]
        """

    /// `base` with `old` replaced by `new` (which must be there).
    static func base(_ old: String, _ new: String) -> String {
        precondition(base.contains(old), "the base scenario has no '\(old)'")
        return base.replacingOccurrences(of: old, with: new)
    }

    /// A key under test: its field path in error messages and a scenario whose `VALUE` is its value.
    struct Key: Sendable {
        let field: String
        let template: String
        /// The line of `VALUE` in the template, where errors about the key point.
        var line: Int { Self.line(of: "VALUE", in: template) }
        func text(_ value: String) -> String { template.replacingOccurrences(of: "VALUE", with: value) }
        /// The 1-based line of the first line of `text` that contains `needle`.
        static func line(of needle: String, in text: String) -> Int {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
        }
    }

    /// What must happen to a value.
    enum Expect: Sendable {
        /// Refused; the message after `bad.yaml:LINE: FIELD: ` of the key itself.
        case refused(String)
        /// Refused at another field: its path, the text of its line, and the message.
        case refusedAt(field: String, lineWith: String, message: String)
        /// Accepted, and a short exact-engine run gives finite figures everywhere.
        case runs
        /// Accepted, but not simulated here: a billion hosts, or a population that fills its
        /// whole space or prefix (placement draws addresses until they are distinct, which
        /// takes time quadratic in the addresses when almost all of them are taken).
        case accepted
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let key: Key
        let value: String
        let expect: Expect
        var testDescription: String { "\(key.field) = \(value)" }
    }

    // MARK: The keys

    static let duration = Key(field: "duration_hours", template: base("duration_hours: 1", "duration_hours: VALUE"))
    static let interval = Key(field: "interval_seconds", template: base("interval_seconds: 60", "interval_seconds: VALUE"))
    static let bits = Key(field: "space.bits", template: base("bits: 20", "bits: VALUE"))
    static let size = Key(field: "population.size", template: base("size: 1000", "size: VALUE"))
    static let size32 = Key(field: "population.size", template: base("size: 1000", "size: VALUE").replacingOccurrences(of: "bits: 20", with: "bits: 32"))
    static let clusterWeight = Key(field: "population.clusters[0].weight", template: base("  size: 1000", """
          size: 1000
          placement: clustered
          clusters:
            - prefix: 0.0.0.0/16
              weight: VALUE
        """))
    static let prefixCount = Key(field: "population.prefix_counts[0].count", template: base("  size: 1000", """
          placement: prefix_counts
          prefix_counts:
            - prefix: 0.0.0.0/16
              count: VALUE
        """))
    static let probeRate = Key(field: "worm.probe_rate", template: base("probe_rate: 10", "probe_rate: VALUE"))
    static let fixedValue = Key(field: "worm.probe_rate", template: base("probe_rate: 10", "probe_rate: {distribution: fixed, value: VALUE}"))
    static let median = Key(field: "worm.probe_rate.median", template: base("  probe_rate: 10", """
          probe_rate:
            distribution: lognormal
            median: VALUE
            sigma: 0
        """))
    static let medianWide = Key(field: "worm.probe_rate.median", template: base("  probe_rate: 10", """
          probe_rate:
            distribution: lognormal
            median: VALUE
            sigma: 5
        """))
    static let sigma = Key(field: "worm.probe_rate.sigma", template: base("  probe_rate: 10", """
          probe_rate:
            distribution: lognormal
            median: 8
            sigma: VALUE
        """))
    static let uniformMin = Key(field: "worm.probe_rate.min", template: base("probe_rate: 10", "probe_rate: {distribution: uniform, min: VALUE, max: 1.5e8}"))
    static let uniformMax = Key(field: "worm.probe_rate.max", template: base("probe_rate: 10", "probe_rate: {distribution: uniform, min: 1, max: VALUE}"))
    static let discreteRate = Key(field: "worm.probe_rate.values[0].rate", template: base("  probe_rate: 10", """
          probe_rate:
            distribution: discrete
            values:
              - rate: VALUE
                weight: 1
              - rate: 5
                weight: 3
        """))
    static let discreteWeight = Key(field: "worm.probe_rate.values[1].weight", template: base("  probe_rate: 10", """
          probe_rate:
            distribution: discrete
            values:
              - rate: 20
                weight: 1
              - rate: 5
                weight: VALUE
        """))
    static let probeBytes = Key(field: "worm.probe_bytes", template: base("probe_bytes: 62", "probe_bytes: VALUE"))
    static let probeBytesFastest = Key(field: "worm.probe_bytes", template: base("probe_bytes: 62", "probe_bytes: VALUE")
        .replacingOccurrences(of: "probe_rate: 10", with: "probe_rate: 1.5e8"))
    static let delay = Key(field: "worm.infection_delay_seconds", template: base("infection_delay_seconds: 1", "infection_delay_seconds: VALUE"))
    static let initial = Key(field: "worm.initial_infected", template: base("initial_infected: 2", "initial_infected: VALUE"))
    static let anywhere = Key(field: "worm.scan.anywhere", template: base("  initial_infected: 2", """
          initial_infected: 2
          scan:
            strategy: localized
            anywhere: VALUE
            local:
              - prefix_length: 16
                weight: 0
        """))
    static let localWeight = Key(field: "worm.scan.local[0].weight", template: base("  initial_infected: 2", """
          initial_infected: 2
          scan:
            strategy: localized
            anywhere: 0
            local:
              - prefix_length: 16
                weight: VALUE
        """))
    static let prefixLength = Key(field: "worm.scan.local[0].prefix_length", template: base("  initial_infected: 2", """
          initial_infected: 2
          scan:
            strategy: localized
            anywhere: 0.5
            local:
              - prefix_length: VALUE
                weight: 0.5
        """))
    static let scanKey = Key(field: "worm.scan.key", template: base("  initial_infected: 2", "  initial_infected: 2\n  scan: {strategy: permutation, key: VALUE}"))
    static let sequences = Key(field: "worm.scan.sequences", template: base("  initial_infected: 2", "  initial_infected: 2\n  scan: {strategy: static-seed, sequences: VALUE}"))
    static let spreadDay = Key(field: "worm.lifecycle.spread_until_day", template: base("spread_until_day: 19", "spread_until_day: VALUE"))
    static let floodDay = Key(field: "worm.lifecycle.flood_until_day", template: base("flood_until_day: 31", "flood_until_day: VALUE"))
    /// Day 20 of the month: the worm floods all through the run.
    static let flood = Key(field: "worm.lifecycle.flood_bits_per_second", template: base("flood_bits_per_second: 56000", "flood_bits_per_second: VALUE")
        .replacingOccurrences(of: "start: 1970-01-01T00:00:00Z", with: "start: 1970-01-20T00:00:00Z"))
    static let patchFrom = Key(field: "host_events.patch[0].from_hours", template: base("from_hours: 0.5", "from_hours: VALUE"))
    static let patchRate = Key(field: "host_events.patch[0].rate_per_hour", template: base("rate_per_hour: 0.02", "rate_per_hour: VALUE"))
    static let patchRateAlone = Key(field: "host_events.patch_rate_per_hour", template: base("""
          patch:
            - from_hours: 0.5
              rate_per_hour: 0.02
        """, "  patch_rate_per_hour: VALUE"))
    static let clean = Key(field: "host_events.clean_rate_per_hour", template: base("clean_rate_per_hour: 0.01", "clean_rate_per_hour: VALUE"))
    static let reboot = Key(field: "host_events.reboot_rate_per_hour", template: base("reboot_rate_per_hour: 0.05", "reboot_rate_per_hour: VALUE"))
    static let awareness = Key(field: "host_events.awareness_patch_rate_per_hour",
                               template: base("awareness_patch_rate_per_hour: 0.1", "awareness_patch_rate_per_hour: VALUE"))
    static let share = Key(field: "host_events.diurnal.share", template: base("share: 0.2", "share: VALUE"))
    static let offFrom = Key(field: "host_events.diurnal.off_from_hour", template: base("off_from_hour: 19", "off_from_hour: VALUE"))
    static let offUntil = Key(field: "host_events.diurnal.off_until_hour", template: base("off_until_hour: 7", "off_until_hour: VALUE"))
    static let utcOffset = Key(field: "host_events.diurnal.zones[0].utc_offset_hours", template: base("utc_offset_hours: -5", "utc_offset_hours: VALUE"))
    static let zoneWeight = Key(field: "host_events.diurnal.zones[0].weight", template: base("weight: 0.6", "weight: VALUE"))
    static let congestion = Key(field: "network.congestion_exponent", template: base("congestion_exponent: 2", "congestion_exponent: VALUE"))

    // MARK: The limits, as the messages give them

    static let probeLimit = "must be at most 1.5e8 probes per second per host (the packet rate of a 100 Gb/s link)"
    static let weightLimit = "must be at most 1e9 (weights are relative; a ratio of 1e9 already gives one host in a billion)"
    static let perHourLimit = "must be at most 3600 per hour per host (a mean of one second)"
    static let yearInSeconds = "must be at most 31622400 seconds (one leap year, the longest run)"
    static let yearInHours = "must be at most 8784 hours (one leap year)"
    static let wholeNumber = "expected a whole number, got"

    /// The usual extremes of a plain number key: ±1e308, 9e15 and 0 refused with these messages.
    static func extremes(_ key: Key, above: String, zero: String?, negative: String = "must not be negative", huge: Bool = true) -> [Case] {
        var cases = [
            Case(key: key, value: "1e308", expect: .refused("\(above) (got 1e+308)")),
            Case(key: key, value: "-1e308", expect: .refused("\(negative) (got -1e+308)")),
        ]
        if huge { cases.append(Case(key: key, value: "9e15", expect: .refused("\(above) (got 9000000000000000.0)"))) }
        cases.append(Case(key: key, value: "0", expect: zero.map { .refused($0) } ?? .runs))
        return cases
    }

    /// A whole-number key: the reader refuses what no integer holds; 8e15 reaches validation.
    static func wholeExtremes(_ key: Key, huge: Expect, zero: Expect) -> [Case] {
        [
            Case(key: key, value: "1e308", expect: .refused("\(wholeNumber) 1e+308")),
            Case(key: key, value: "-1e308", expect: .refused("\(wholeNumber) -1e+308")),
            Case(key: key, value: "9e15", expect: .refused("\(wholeNumber) 9000000000000000.0")),
            Case(key: key, value: "8e15", expect: huge),
            Case(key: key, value: "0", expect: zero),
        ]
    }

    /// The limit itself passes; just above it does not.
    static func limit(_ key: Key, _ at: String, _ above: String, _ message: String, expect: Expect = .runs) -> [Case] {
        [Case(key: key, value: at, expect: expect), Case(key: key, value: above, expect: .refused(message))]
    }

    static let cases: [Case] = {
        var c: [Case] = []
        // The run.
        c += [Case(key: duration, value: "1e308", expect: .refused(yearInHours)),
              Case(key: duration, value: "-1e308", expect: .refused("must be greater than 0 (got -1e+308)")),
              Case(key: duration, value: "9e15", expect: .refused("\(yearInHours) (got 9000000000000000.0)")),
              Case(key: duration, value: "0", expect: .refused("must be greater than 0 (got 0.0)"))]
        c += limit(duration, "8784", "8784.001", "\(yearInHours) (got 8784.001)")
        c += extremes(interval, above: yearInSeconds, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(interval, "31622400", "31622400.5", "\(yearInSeconds) (got 31622400.5)")
        c += [Case(key: interval, value: "0.0036", expect: .runs),
              Case(key: interval, value: "0.0035", expect: .refused("gives more than 10^6 rows; choose a longer interval"))]
        // The space and the population.
        c += wholeExtremes(bits, huge: .refused("must be between 16 and 32 (got 8000000000000000)"), zero: .refused("must be between 16 and 32 (got 0)"))
        c += limit(bits, "32", "33", "must be between 16 and 32 (got 33)")
        c += wholeExtremes(size, huge: .refused("must be at most 10^9 hosts (got 8000000000000000)"), zero: .refused("must be at least 1 (got 0)"))
        c += limit(size, "1048576", "1048577", "1048577 hosts do not fit in the 1048576 routable addresses of the space", expect: .accepted)
        c += [Case(key: size, value: "524288", expect: .runs)]
        c += limit(size32, "1e9", "1000000001", "must be at most 10^9 hosts (got 1000000001)", expect: .accepted)
        c += [Case(key: clusterWeight, value: "1e308", expect: .refused("must be between 0 and 1 (got 1e+308)")),
              Case(key: clusterWeight, value: "-1e308", expect: .refused("must be between 0 and 1 (got -1e+308)")),
              Case(key: clusterWeight, value: "9e15", expect: .refused("must be between 0 and 1 (got 9000000000000000.0)")),
              Case(key: clusterWeight, value: "0", expect: .runs)]
        c += limit(clusterWeight, "1", "1.0000001", "must be between 0 and 1 (got 1.0000001)")
        // Validation reports a prefix count at its entry ('- prefix: …'), the reader at the count itself.
        func entry(_ message: String) -> Expect { .refusedAt(field: "population.prefix_counts[0]", lineWith: "- prefix: 0.0.0.0/16", message: message) }
        c += wholeExtremes(prefixCount, huge: entry("8000000000000000 hosts do not fit in 0.0.0.0/16"),
                           zero: .refusedAt(field: "population.size", lineWith: "population:", message: "must be at least 1 (got 0)"))
        c += [Case(key: prefixCount, value: "-1", expect: entry("count must not be negative (got -1)"))]
        // A full /16 is accepted (not simulated: see `Expect.accepted`).
        c += [Case(key: prefixCount, value: "65536", expect: .accepted),
              Case(key: prefixCount, value: "65537", expect: entry("65537 hosts do not fit in 0.0.0.0/16"))]
        // The probe rate, in each of its forms.
        c += extremes(probeRate, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(probeRate, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        c += extremes(fixedValue, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(fixedValue, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        c += extremes(median, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(median, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        // With sigma 5 the fastest of the 64 classes probes e^(5 × 2.4176) ≈ 177,690 times the median.
        c += limit(medianWide, "844", "845", "with sigma 5.0 the fastest of the 64 rate classes probes 1.501e+08 times a second, more than 1.5e8 (the packet rate of a 100 Gb/s link)")
        c += extremes(sigma, above: "must be at most 5", zero: nil)
        c += limit(sigma, "5", "5.0001", "must be at most 5 (got 5.0001)")
        c += extremes(uniformMin, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(uniformMin, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        c += extremes(uniformMax, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(uniformMax, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        c += [Case(key: uniformMax, value: "0.5", expect: .refusedAt(field: "worm.probe_rate", lineWith: "probe_rate:", message: "min (1.0) is larger than max (0.5)"))]
        c += extremes(discreteRate, above: probeLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(discreteRate, "1.5e8", "150000001", "\(probeLimit) (got 150000001.0)")
        c += extremes(discreteWeight, above: weightLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(discreteWeight, "1e9", "1000000001", "\(weightLimit) (got 1000000001.0)")
        // The rest of the worm.
        c += wholeExtremes(probeBytes, huge: .refused("must be 20 to 65535 (got 8000000000000000)"), zero: .refused("must be 20 to 65535 (got 0)"))
        c += limit(probeBytes, "65535", "65536", "must be 20 to 65535 (got 65536)")
        // At 1.5e8 probes a second, 83-byte probes fill 99.6 Gb/s; 84-byte ones would need more than the link.
        c += [Case(key: probeBytesFastest, value: "83", expect: .runs),
              Case(key: probeBytesFastest, value: "84", expect: .refusedAt(
                  field: "worm.probe_rate", lineWith: "probe_rate:",
                  message: "1.5e+08 probes per second of 84 bytes (worm.probe_bytes) are 1.008e+11 bits per second, more than a 100 Gb/s link carries (1e11)"))]
        c += extremes(delay, above: yearInSeconds, zero: nil)
        c += limit(delay, "31622400", "31622401", "\(yearInSeconds) (got 31622401.0)")
        c += wholeExtremes(initial, huge: .refused("more initial infections (8000000000000000) than vulnerable hosts (1000)"),
                           zero: .refused("at least one host must be infected at the start"))
        c += [Case(key: initial, value: "-1", expect: .refused("must not be negative"))]
        c += limit(initial, "1000", "1001", "more initial infections (1001) than vulnerable hosts (1000)")
        // Scanning.
        c += [Case(key: anywhere, value: "1e308", expect: .refused("must be between 0 and 1 (got 1e+308)")),
              Case(key: anywhere, value: "-1e308", expect: .refused("must be between 0 and 1 (got -1e+308)")),
              Case(key: anywhere, value: "9e15", expect: .refused("must be between 0 and 1 (got 9000000000000000.0)")),
              Case(key: anywhere, value: "0", expect: .refusedAt(field: "worm.scan", lineWith: "scan:", message: "weights sum to 0.0, not 1"))]
        c += limit(anywhere, "1", "1.0000001", "must be between 0 and 1 (got 1.0000001)")
        c += [Case(key: localWeight, value: "1e308", expect: .refused("must be between 0 and 1 (got 1e+308)")),
              Case(key: localWeight, value: "-1e308", expect: .refused("must be between 0 and 1 (got -1e+308)")),
              Case(key: localWeight, value: "9e15", expect: .refused("must be between 0 and 1 (got 9000000000000000.0)")),
              Case(key: localWeight, value: "0", expect: .refusedAt(field: "worm.scan", lineWith: "scan:", message: "weights sum to 0.0, not 1"))]
        c += limit(localWeight, "1", "1.0000001", "must be between 0 and 1 (got 1.0000001)")
        c += wholeExtremes(prefixLength, huge: .refused("must be between 12 and 16 for a 2^20 space (got 8000000000000000)"),
                           zero: .refused("must be between 12 and 16 for a 2^20 space (got 0)"))
        c += limit(prefixLength, "16", "17", "must be between 12 and 16 for a 2^20 space (got 17)")
        c += limit(prefixLength, "12", "11", "must be between 12 and 16 for a 2^20 space (got 11)")
        c += wholeExtremes(scanKey, huge: .runs, zero: .runs)
        c += [Case(key: scanKey, value: "-1", expect: .refused("must not be negative (got -1)"))]
        c += wholeExtremes(sequences, huge: .refused("must be 1 to 64 (got 8000000000000000)"), zero: .refused("must be 1 to 64 (got 0)"))
        c += limit(sequences, "64", "65", "must be 1 to 64 (got 65)")
        // The lifecycle.
        c += wholeExtremes(spreadDay, huge: .refused("must be 1 to 31"), zero: .refused("must be 1 to 31"))
        c += limit(spreadDay, "31", "32", "must be 1 to 31")
        c += wholeExtremes(floodDay, huge: .refused("must be between spread_until_day and 31"), zero: .refused("must be between spread_until_day and 31"))
        c += limit(floodDay, "31", "32", "must be between spread_until_day and 31")
        c += extremes(flood, above: "must be at most 1e11 bits per second per host (a 100 Gb/s link)", zero: nil)
        c += limit(flood, "1e11", "100000000001", "must be at most 1e11 bits per second per host (a 100 Gb/s link) (got 100000000001.0)")
        // Host events: per hour in the file, per second inside; messages in the file's unit.
        c += [Case(key: patchFrom, value: "1e308", expect: .refused("must be at most 8784 hours (one leap year, the longest run)")),
              Case(key: patchFrom, value: "-1e308", expect: .refused("must not be negative (got -1e+308)")),
              Case(key: patchFrom, value: "9e15", expect: .refused("must be at most 8784 hours (one leap year, the longest run) (got 9000000000000000.0)")),
              Case(key: patchFrom, value: "0", expect: .runs)]
        c += limit(patchFrom, "8784", "8784.5", "must be at most 8784 hours (one leap year, the longest run) (got 8784.5)")
        c += extremes(patchRate, above: perHourLimit, zero: nil)
        c += limit(patchRate, "3600", "3600.001", "\(perHourLimit) (got 3600.001)")
        c += extremes(patchRateAlone, above: perHourLimit, zero: nil)
        c += limit(patchRateAlone, "3600", "3600.5", "\(perHourLimit) (got 3600.5)")
        c += extremes(clean, above: perHourLimit, zero: nil)
        c += limit(clean, "3600", "3600.5", "\(perHourLimit) (got 3600.5)")
        c += extremes(reboot, above: perHourLimit, zero: nil)
        c += limit(reboot, "3600", "3600.5", "\(perHourLimit) (got 3600.5)")
        c += extremes(awareness, above: perHourLimit, zero: nil)
        c += limit(awareness, "3600", "3600.5", "\(perHourLimit) (got 3600.5)")
        c += [Case(key: share, value: "1e308", expect: .refused("must be between 0 and 1 (got 1e+308)")),
              Case(key: share, value: "-1e308", expect: .refused("must be between 0 and 1 (got -1e+308)")),
              Case(key: share, value: "9e15", expect: .refused("must be between 0 and 1 (got 9000000000000000.0)")),
              Case(key: share, value: "0", expect: .runs)]
        c += limit(share, "1", "1.5", "must be between 0 and 1 (got 1.5)")
        for key in [offFrom, offUntil] {
            c += [Case(key: key, value: "1e308", expect: .refused("must be an hour from 0 to 24 (got 1e+308)")),
                  Case(key: key, value: "-1e308", expect: .refused("must be an hour from 0 to 24 (got -1e+308)")),
                  Case(key: key, value: "9e15", expect: .refused("must be an hour from 0 to 24 (got 9000000000000000.0)")),
                  Case(key: key, value: "0", expect: .runs)]
            c += limit(key, "24", "24.5", "must be an hour from 0 to 24 (got 24.5)")
        }
        c += [Case(key: offUntil, value: "19", expect: .refused("equals off_from_hour: machines would never be off"))]
        c += [Case(key: utcOffset, value: "1e308", expect: .refused("must be between -12 and 14 (got 1e+308)")),
              Case(key: utcOffset, value: "-1e308", expect: .refused("must be between -12 and 14 (got -1e+308)")),
              Case(key: utcOffset, value: "9e15", expect: .refused("must be between -12 and 14 (got 9000000000000000.0)")),
              Case(key: utcOffset, value: "0", expect: .runs)]
        c += limit(utcOffset, "14", "14.5", "must be between -12 and 14 (got 14.5)")
        c += limit(utcOffset, "-12", "-12.5", "must be between -12 and 14 (got -12.5)")
        c += extremes(zoneWeight, above: weightLimit, zero: "must be greater than 0 (got 0.0)", negative: "must be greater than 0")
        c += limit(zoneWeight, "1e9", "1000000001", "\(weightLimit) (got 1000000001.0)")
        // The network.
        c += extremes(congestion, above: "must be at most 1000 (already (1 - I/N)^1000 < 5e-5 once 1 % of the hosts are infected)", zero: nil)
        c += limit(congestion, "1000", "1000.5", "must be at most 1000 (already (1 - I/N)^1000 < 5e-5 once 1 % of the hosts are infected) (got 1000.5)")
        return c
    }()

    @Test("every numeric key at its extremes and limits", arguments: cases)
    func bound(_ c: Case) throws {
        let text = c.key.text(c.value)
        switch c.expect {
        case .refused(let message):
            #expect(loadError(text) == "bad.yaml:\(c.key.line): \(c.key.field): \(message)")
        case .refusedAt(let field, let needle, let message):
            #expect(loadError(text) == "bad.yaml:\(Key.line(of: needle, in: text)): \(field): \(message)")
        case .accepted:
            #expect(loadError(text) == nil)
        case .runs:
            let scenario = try ScenarioFile.parse(text, file: "bad.yaml")
            try expectFinite(scenario)
        }
    }

    @Test("the issue's case: probe_rate 1e308 with 1,000 hosts is refused, not run to a wrong answer")
    func issueCase() {
        let text = """
            format: wormwatch.scenario/1
            name: absurd
            duration_hours: 1
            space:
              bits: 20
              reserved: []
            population:
              size: 1000
            worm:
              probe_rate: 1e308
            """
        #expect(loadError(text, file: "absurd.yaml")
            == "absurd.yaml:10: worm.probe_rate: must be at most 1.5e8 probes per second per host (the packet rate of a 100 Gb/s link) (got 1e+308)")
        // Built directly, bypassing the file: the engine refuses it too.
        var scenario = Scenario(name: "absurd", space: AddressSpace(bits: 20), population: Population(size: 1000),
                                worm: Worm(probeRate: .fixed(1e308)), duration: 3600)
        #expect(throws: ScenarioError.self) { _ = try ExactEngine(scenario: scenario) }
        scenario.worm.probeRate = .fixed(.infinity)
        #expect(throws: ScenarioError(field: "worm.probe_rate", message: "must be at most 1.5e8 probes per second per host (the packet rate of a 100 Gb/s link) (got inf)")) {
            try scenario.validate()
        }
        scenario.worm.probeRate = .fixed(.nan)
        #expect(throws: ScenarioError(field: "worm.probe_rate", message: "must be a finite number")) { try scenario.validate() }
    }

    @Test("every key at its limit at once still gives finite figures")
    func everythingAtItsLimit() throws {
        let text = Self.base
            .replacingOccurrences(of: "probe_rate: 10", with: "probe_rate: 1.5e8")
            .replacingOccurrences(of: "probe_bytes: 62", with: "probe_bytes: 83")
            .replacingOccurrences(of: "flood_bits_per_second: 56000", with: "flood_bits_per_second: 1e11")
            .replacingOccurrences(of: "spread_until_day: 19", with: "spread_until_day: 1")
            .replacingOccurrences(of: "rate_per_hour: 0.02", with: "rate_per_hour: 3600")
            .replacingOccurrences(of: "clean_rate_per_hour: 0.01", with: "clean_rate_per_hour: 3600")
            .replacingOccurrences(of: "reboot_rate_per_hour: 0.05", with: "reboot_rate_per_hour: 3600")
            .replacingOccurrences(of: "awareness_patch_rate_per_hour: 0.1", with: "awareness_patch_rate_per_hour: 3600")
            .replacingOccurrences(of: "weight: 0.6", with: "weight: 1e9")
            .replacingOccurrences(of: "congestion_exponent: 2", with: "congestion_exponent: 1000")
            // From the last hour of the 1st into the 2nd: spreading, then flooding.
            .replacingOccurrences(of: "start: 1970-01-01T00:00:00Z", with: "start: 1970-01-01T23:30:00Z")
        try expectFinite(try ScenarioFile.parse(text, file: "limits.yaml"))
    }

    @Test("a counting monitor's probes in one interval must fit its 64-bit count")
    func monitorCountBound() {
        // A billion hosts at 1.5e8 probes a second: half of the space reaches 7.5e16 probes a second.
        let text = """
            format: wormwatch.scenario/1
            name: huge
            duration_hours: 24
            interval_seconds: INTERVAL
            space:
              bits: 32
              reserved: []
            population:
              size: 1e9
            worm:
              probe_rate: 1.5e8
            monitors:
              - name: half
                prefixes: [0.0.0.0/1]
            """
        #expect(loadError(text.replacingOccurrences(of: "INTERVAL", with: "3600"))
            == "bad.yaml:13: monitors[0]: could receive up to 2.7e+20 probes in one interval, more than the 1e18 a per-interval count may hold; choose a shorter interval_seconds")
        #expect(loadError(text.replacingOccurrences(of: "INTERVAL", with: "10")) == nil)
        // A monitor that records its probes counts them one by one.
        #expect(loadError(text.replacingOccurrences(of: "INTERVAL", with: "3600") + "\n    record_probes: true") == nil)
    }

    @Test("counts in a prefix_counts_file are bounded like inline ones, at the file's line")
    func prefixCountsFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = Self.base("  size: 1000", "  placement: prefix_counts\n  prefix_counts_file: counts.csv")
        try folder.write("counts.csv", "prefix,count\n0.0.0.0/16,9000000000000000\n")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:11: population.prefix_counts_file: line 2: 9000000000000000 hosts do not fit in 0.0.0.0/16")
        try folder.write("counts.csv", "0.0.0.0/16,1e308\n")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:11: population.prefix_counts_file: line 1: expected 'PREFIX,COUNT' such as '24.0.0.0/8,1200'")
        try folder.write("counts.csv", "0.0.0.0/16,30000\n")
        try expectFinite(try ScenarioFile.parse(text, file: "bad.yaml", baseDirectory: folder.path))
    }

    @Test("validation reports per-hour rates and hours in the file's unit, also for scenarios built in code")
    func fileUnits() {
        var scenario = Scenario(name: "units", space: AddressSpace(bits: 20), population: Population(size: 100),
                                worm: Worm(probeRate: .fixed(10)), duration: 3600)
        scenario.hostEvents.cleanRate = -0.5 / 3600
        #expect(throws: ScenarioError(field: "host_events.clean_rate_per_hour", message: "must not be negative (got -0.5)")) { try scenario.validate() }
        scenario.hostEvents.cleanRate = 7200.0 / 3600
        #expect(throws: ScenarioError(field: "host_events.clean_rate_per_hour", message: "must be at most 3600 per hour per host (a mean of one second) (got 7200.0)")) {
            try scenario.validate()
        }
        scenario.hostEvents.cleanRate = 0
        scenario.duration = 9000 * 3600
        #expect(throws: ScenarioError(field: "duration_hours", message: "must be at most 8784 hours (one leap year) (got 9000.0)")) { try scenario.validate() }
        scenario.duration = .infinity
        #expect(throws: ScenarioError(field: "duration_hours", message: "must be at most 8784 hours (one leap year)")) { try scenario.validate() }
    }

    /// Runs the scenario briefly with the exact engine and checks that no figure is infinite or NaN.
    func expectFinite(_ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let record = try ExactEngine(scenario: scenario).run(seed: 7)
        let s = record.summary
        var figures = [s.peakNewInfectionsPerMinute, s.peakTime, s.totalProbes, s.peakTrafficBitsPerSecond]
        figures += [s.timeTo10Percent, s.timeTo50Percent, s.timeTo90Percent].compactMap { $0 }
        for row in record.rows { figures += [row.time, row.probesPerSecond, row.trafficBitsPerSecond] }
        #expect(!record.rows.isEmpty, sourceLocation: sourceLocation)
        let notFinite = figures.filter { !$0.isFinite }
        #expect(notFinite.isEmpty, "\(notFinite.count) figures are not finite", sourceLocation: sourceLocation)
        #expect(record.rows.allSatisfy { $0.susceptible >= 0 && $0.infected >= 0 && $0.removed >= 0 }, sourceLocation: sourceLocation)
        #expect(s.everInfected <= s.population && s.everInfected >= 1, sourceLocation: sourceLocation)
    }
}
