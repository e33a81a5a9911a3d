import Foundation
import Outbreak
import Testing
@testable import OutbreakScenarios
import WormWatchTestSupport

/// Every bad input gives one exact line, `file:line: field: message` (conventions.md).
@Suite("Scenario file errors")
struct ScenarioErrorTests {
    static let topKeys = "format, name, summary, start, duration_hours, interval_seconds, space, population, worm, host_events, network, monitors"

    @Test("the tiny fixture itself is valid")
    func tinyIsValid() throws {
        let scenario = try ScenarioFile.parse(tiny, file: "tiny.yaml")
        #expect(scenario.population.size == 100)
        #expect(scenario.space == AddressSpace(bits: 20, reserved: []))
    }

    // MARK: Unknown keys

    @Test("an unknown top-level key names the key it resembles")
    func unknownTopKey() {
        #expect(loadError(tiny(replacing: "duration_hours: 1", with: "duraton_hours: 1"))
            == "bad.yaml:3: duraton_hours: unknown key (did you mean 'duration_hours'?); known keys here: \(Self.topKeys)")
    }

    @Test("an unknown nested key gives its full path and the keys known there")
    func unknownNestedKey() {
        #expect(loadError(tiny(replacing: "  size: 100", with: "  size: 100\n  placment: uniform"))
            == "bad.yaml:9: population.placment: unknown key (did you mean 'placement'?); known keys here: size, placement, clusters, addresses, addresses_file, prefix_counts, prefix_counts_file")
    }

    @Test("an unknown key far from every known one gets no hint")
    func unknownKeyWithoutHint() {
        #expect(loadError(tiny + "\ncolour: red")
            == "bad.yaml:11: colour: unknown key; known keys here: \(Self.topKeys)")
    }

    // MARK: Types and numbers

    @Test("text where a number is expected")
    func textForNumber() {
        #expect(loadError(tiny(replacing: "duration_hours: 1", with: "duration_hours: two"))
            == "bad.yaml:3: duration_hours: expected a number, got 'two'")
        #expect(loadError(tiny(replacing: "probe_rate: 10", with: "probe_rate: fast"))
            == "bad.yaml:10: worm.probe_rate: expected a number, got 'fast'")
    }

    @Test("a quoted number is text, and the message says so")
    func quotedNumber() {
        #expect(loadError(tiny(replacing: "duration_hours: 1", with: "duration_hours: \"2\""))
            == "bad.yaml:3: duration_hours: expected a number, got the quoted text '2' (leave out the quotes)")
    }

    @Test("a fraction where a whole number is expected")
    func fractionForWholeNumber() {
        #expect(loadError(tiny(replacing: "size: 100", with: "size: 2.5"))
            == "bad.yaml:8: population.size: expected a whole number, got 2.5")
    }

    @Test("a list where a mapping is expected")
    func listForMapping() {
        #expect(loadError(tiny(replacing: "space:\n  bits: 20\n  reserved: []", with: "space: [20]"))
            == "bad.yaml:4: space: expected a mapping of keys (bits, reserved)")
    }

    @Test("a negative probe rate")
    func negativeProbeRate() {
        #expect(loadError(tiny(replacing: "probe_rate: 10", with: "probe_rate: -5"))
            == "bad.yaml:10: worm.probe_rate: must be greater than 0 (got -5.0)")
    }

    @Test("negative per-hour rates are reported in the file's unit")
    func negativeHourlyRates() {
        #expect(loadError(tiny + "\nhost_events:\n  clean_rate_per_hour: -0.1")
            == "bad.yaml:12: host_events.clean_rate_per_hour: must not be negative (got -0.1)")
        #expect(loadError(tiny + "\nhost_events:\n  reboot_rate_per_hour: -2")
            == "bad.yaml:12: host_events.reboot_rate_per_hour: must not be negative (got -2.0)")
        #expect(loadError(tiny + "\nhost_events:\n  patch_rate_per_hour: -0.2")
            == "bad.yaml:12: host_events.patch_rate_per_hour: must not be negative (got -0.2)")
        #expect(loadError(tiny + "\nhost_events:\n  patch:\n    - from_hours: 1\n      rate_per_hour: -0.5")
            == "bad.yaml:14: host_events.patch[0].rate_per_hour: must not be negative (got -0.5)")
    }

    @Test("a duration that is not positive is reported in hours")
    func negativeDuration() {
        #expect(loadError(tiny(replacing: "duration_hours: 1", with: "duration_hours: -1"))
            == "bad.yaml:3: duration_hours: must be greater than 0 (got -1.0)")
        #expect(loadError(tiny(replacing: "duration_hours: 1", with: "duration_hours: 0"))
            == "bad.yaml:3: duration_hours: must be greater than 0 (got 0.0)")
    }

    @Test("a negative rate inside a discrete distribution names the file's field and line")
    func negativeDiscreteRate() {
        let text = tiny(replacing: "  probe_rate: 10", with: """
              probe_rate:
                distribution: discrete
                values:
                  - rate: 5
                    weight: 1
                  - rate: -1
                    weight: 1
            """)
        #expect(loadError(text) == "bad.yaml:15: worm.probe_rate.values[1].rate: must be greater than 0 (got -1.0)")
    }

    @Test("an unknown probe-rate distribution")
    func unknownDistribution() {
        let text = tiny(replacing: "  probe_rate: 10", with: "  probe_rate:\n    distribution: poisson\n    value: 3")
        #expect(loadError(text) == "bad.yaml:11: worm.probe_rate.distribution: 'poisson' is not one of fixed, discrete, lognormal, uniform")
    }

    // MARK: Consistency

    @Test("a population larger than the space")
    func populationTooLarge() {
        #expect(loadError(tiny(replacing: "size: 100", with: "size: 2000000"))
            == "bad.yaml:8: population.size: 2000000 hosts do not fit in the 1048576 routable addresses of the space")
    }

    @Test("localized scan weights that do not sum to 1")
    func weightsDoNotSumToOne() {
        let text = tiny + """

              scan:
                strategy: localized
                anywhere: 0.125
                local:
                  - prefix_length: 12
                    weight: 0.5
                  - prefix_length: 16
                    weight: 0.25
            """
        #expect(loadError(text) == "bad.yaml:11: worm.scan: weights sum to 0.875, not 1")
    }

    @Test("a localized scan without its 'anywhere' share")
    func localizedWithoutAnywhere() {
        let text = tiny + "\n  scan:\n    strategy: localized\n    local: [{prefix_length: 16, weight: 1}]"
        #expect(loadError(text) == "bad.yaml:12: worm.scan.anywhere: missing (the share of probes to random addresses)")
    }

    @Test("cluster weights above 1 in total")
    func clusterWeightsTooLarge() {
        let text = tiny(replacing: "  size: 100", with: """
              size: 100
              placement: clustered
              clusters:
                - prefix: 0.0.0.0/14
                  weight: 0.75
                - prefix: 0.4.0.0/14
                  weight: 0.5
            """)
        #expect(loadError(text) == "bad.yaml:10: population.clusters: weights sum to 1.25, more than 1")
    }

    @Test("clusters where no host could be placed would never finish placing: refused")
    func clustersWithoutRoom() {
        let blocked = tiny(replacing: "  size: 100", with: """
              size: 100
              placement: clustered
              clusters:
                - prefix: 0.1.0.0/16
                  weight: 0.5
            """).replacingOccurrences(of: "reserved: []", with: "reserved: [0.1.0.0/16]")
        #expect(loadError(blocked) == "bad.yaml:11: population.clusters[0].prefix: 0.1.0.0/16 lies entirely in reserved or never-scanned blocks: no host can be placed there")
        let full = tiny(replacing: "  size: 100", with: """
              size: 100
              placement: clustered
              clusters:
                - prefix: 0.0.0.0/26
                  weight: 1
            """)
        #expect(loadError(full) == "bad.yaml:10: population.clusters: the clusters hold 64 usable addresses, fewer than the 100 hosts their weights (summing to 1) place in them")
    }

    @Test("a monitor outside the space")
    func monitorOutsideSpace() {
        #expect(loadError(tiny + "\nmonitors:\n  - name: ucsd\n    prefixes: [44.0.0.0/8]")
            == "bad.yaml:13: monitors[0].prefixes[0]: 44.0.0.0/8 lies outside the address space 0.0.0.0/12")
    }

    @Test("a monitor address outside the space names the address, not a prefix index")
    func monitorAddressOutsideSpace() {
        let text = tiny + "\nmonitors:\n  - name: pots\n    prefixes: [0.0.0.0/16]\n    addresses:\n      - 0.2.0.0\n      - 44.0.0.1"
        #expect(loadError(text) == "bad.yaml:16: monitors[0].addresses[1]: 44.0.0.1/32 lies outside the address space 0.0.0.0/12")
    }

    @Test("overlapping monitor prefixes")
    func overlappingMonitorPrefixes() {
        let text = tiny + """

            monitors:
              - name: quarter
                prefixes:
                  - 0.0.0.0/14
                  - 0.1.0.0/16
            """
        #expect(loadError(text) == "bad.yaml:15: monitors[0].prefixes[1]: 0.1.0.0/16 overlaps 0.0.0.0/14")
    }

    @Test("two monitors with one name")
    func duplicateMonitorName() {
        let text = tiny + "\nmonitors:\n  - name: m\n    prefixes: [0.0.0.0/14]\n  - name: m\n    prefixes: [0.8.0.0/14]"
        #expect(loadError(text) == "bad.yaml:14: monitors[1].name: 'm' is used twice")
    }

    @Test("a prefix with host bits set")
    func hostBitsSet() {
        #expect(loadError(tiny + "\nmonitors:\n  - name: m\n    prefixes: [0.1.2.0/14]")
            == "bad.yaml:13: monitors[0].prefixes[0]: '0.1.2.0/14' has host bits set; did you mean 0.0.0.0/14?")
        #expect(loadError(tiny(replacing: "reserved: []", with: "reserved: [0.0.0.1/16]"))
            == "bad.yaml:6: space.reserved[0]: '0.0.0.1/16' has host bits set; did you mean 0.0.0.0/16?")
    }

    @Test("a prefix that is not CIDR")
    func notAPrefix() {
        #expect(loadError(tiny + "\nmonitors:\n  - name: m\n    prefixes: [0.0.0.0/33]")
            == "bad.yaml:13: monitors[0].prefixes[0]: '0.0.0.0/33' is not a CIDR prefix such as 44.0.0.0/8")
    }

    // MARK: Required keys and the version

    @Test("missing required keys", arguments: [
        ("format: wormwatch.scenario/1\n", "bad.yaml:1: format: missing; the first line should be 'format: wormwatch.scenario/1'"),
        ("name: tiny\n", "bad.yaml:1: name: missing"),
        ("duration_hours: 1\n", "bad.yaml:1: duration_hours: missing"),
        ("population:\n  size: 100\n", "bad.yaml:1: population: missing"),
        ("worm:\n  probe_rate: 10", "bad.yaml:1: worm: missing"),
    ])
    func missingKey(removed: String, expected: String) {
        #expect(tiny.contains(removed))
        #expect(loadError(tiny.replacingOccurrences(of: removed, with: "")) == expected)
    }

    @Test("a population without its size, a worm without its probe rate")
    func missingNestedKeys() {
        #expect(loadError(tiny(replacing: "  size: 100", with: "  placement: uniform")) == "bad.yaml:8: population.size: missing")
        #expect(loadError(tiny(replacing: "  probe_rate: 10", with: "  probe_bytes: 62")) == "bad.yaml:10: worm.probe_rate: missing")
    }

    @Test("a format version this version does not read")
    func wrongFormatVersion() {
        #expect(loadError(tiny(replacing: "wormwatch.scenario/1", with: "wormwatch.scenario/2"))
            == "bad.yaml:1: format: 'wormwatch.scenario/2' is not a format this version reads (wormwatch.scenario/1)")
    }

    // MARK: YAML

    @Test("invalid YAML gives the line where the parser stopped")
    func invalidYAML() {
        #expect(loadError("format: wormwatch.scenario/1\nname: [tiny\nduration_hours: 1\n")
            == "bad.yaml:3: not valid YAML: did not find expected ',' or ']'")
        #expect(loadError("format: wormwatch.scenario/1\nname: tiny\n  duration_hours: 1\n")
            == "bad.yaml:3: not valid YAML: mapping values are not allowed in this context")
        #expect(loadError("format: wormwatch.scenario/1\nname: tiny\n\tduration_hours: 1\n")
            == "bad.yaml:3: not valid YAML: found a tab character that violates indentation")
    }

    @Test("a key given twice has a line")
    func duplicateKey() {
        #expect(loadError(tiny + "\nname: again")
            == "bad.yaml:2: not valid YAML: the key 'name' appears more than once in the same mapping (first on this line)")
    }

    @Test("a file that is not a mapping")
    func notAMapping() {
        #expect(loadError("- a\n- b\n") == "bad.yaml:1: expected a mapping of keys (\(Self.topKeys))")
    }

    @Test("an empty file", arguments: ["", "\n\n", "# only a comment\n"])
    func emptyFile(text: String) {
        #expect(loadError(text) == "bad.yaml:1: the file is empty")
    }

    // MARK: Strategies

    @Test("a hit list is not a strategy")
    func hitListStrategy() {
        #expect(loadError(tiny + "\n  scan:\n    strategy: hit-list")
            == "bad.yaml:12: worm.scan.strategy: 'hit-list' is not a strategy: a hit list is worm.initial_infected (the hosts infected at the start)")
    }

    @Test("sequence-walking strategies and their keys")
    func sequenceStrategies() throws {
        #expect(loadError(tiny + "\n  scan:\n    strategy: sequential\n    start: nearby")
            == "bad.yaml:13: worm.scan.start: 'nearby' is not one of random, own")
        #expect(loadError(tiny + "\n  scan:\n    strategy: permutation\n    sequences: 3")
            == "bad.yaml:13: worm.scan.sequences: does not apply to strategy 'permutation'")
        #expect(loadError(tiny + "\n  scan:\n    strategy: static-seed\n    sequences: 0")
            == "bad.yaml:13: worm.scan.sequences: must be 1 to 64 (got 0)")
        #expect(loadError(tiny + "\n  scan:\n    strategy: static-seed\n    exclude: [127.0.0.0/8]")
            == "bad.yaml:13: worm.scan.exclude: does not apply to strategy 'static-seed'")
    }

    @Test("an unknown scan strategy")
    func unknownStrategy() {
        #expect(loadError(tiny + "\n  scan:\n    strategy: random")
            == "bad.yaml:12: worm.scan.strategy: 'random' is not one of uniform, localized, permutation, static-seed, sequential")
    }

    @Test("keys that do not apply to the strategy or placement")
    func keysThatDoNotApply() {
        #expect(loadError(tiny + "\n  scan:\n    anywhere: 0.5")
            == "bad.yaml:12: worm.scan.anywhere: does not apply to strategy 'uniform'")
        #expect(loadError(tiny(replacing: "  size: 100", with: "  size: 100\n  addresses: [0.0.1.1]"))
            == "bad.yaml:9: population.addresses: does not apply to placement 'uniform'")
        #expect(loadError(tiny(replacing: "probe_rate: 10", with: "probe_rate: {distribution: fixed, value: 4, sigma: 1}"))
            == "bad.yaml:10: worm.probe_rate.sigma: does not apply to distribution 'fixed'")
    }

    // MARK: Explicit populations and files

    @Test("duplicate addresses in an explicit population")
    func duplicateAddresses() {
        let text = tiny(replacing: "  size: 100", with: """
              placement: addresses
              addresses:
                - 0.0.1.1
                - 0.0.2.2
                - 0.0.1.1
            """)
        #expect(loadError(text) == "bad.yaml:12: population.addresses[2]: 0.0.1.1 is listed twice")
    }

    @Test("initial addresses must be in an explicit population")
    func initialAddressNotInPopulation() {
        let text = tiny(replacing: "  size: 100", with: "  placement: addresses\n  addresses: [0.0.1.1, 0.0.2.2]")
            + "\n  initial_addresses: [0.0.9.9]"
        #expect(loadError(text) == "bad.yaml:12: worm.initial_addresses[0]: 0.0.9.9 is not in the population's address list")
    }

    @Test("an addresses_file that cannot be read is an unreadable error")
    func unreadableAddressesFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = tiny(replacing: "  size: 100", with: "  placement: addresses\n  addresses_file: missing.txt")
        do {
            _ = try ScenarioFile.parse(text, file: "bad.yaml", baseDirectory: folder.path)
            Issue.record("parsed a scenario whose addresses_file is missing")
        } catch {
            let expectedPath = folder.url.appendingPathComponent("missing.txt").path
            guard case .unreadable(let path, let reason) = error else {
                Issue.record("expected .unreadable, got \(error)")
                return
            }
            #expect(path == expectedPath)
            #expect(reason == "no such file (named by population.addresses_file in bad.yaml)")
            #expect(error.description == "\(expectedPath): cannot read: no such file (named by population.addresses_file in bad.yaml)")
        }
    }

    @Test("a monitor addresses_file that is a folder")
    func monitorAddressesFileIsAFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("pots"), withIntermediateDirectories: false)
        let text = tiny + "\nmonitors:\n  - name: pots\n    addresses_file: pots"
        #expect(loadError(text, baseDirectory: folder.path)
            == "\(folder.path)/pots: cannot read: is a directory (named by monitors[0].addresses_file in bad.yaml)")
    }

    @Test("a bad line in an addresses_file gives the file's line")
    func badLineInAddressesFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("hosts.txt", "# victims\n0.0.1.1\n0.0.300.1\n")
        let text = tiny(replacing: "  size: 100", with: "  placement: addresses\n  addresses_file: hosts.txt")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:9: population.addresses_file: line 3: '0.0.300.1' is not an IPv4 address")
    }

    @Test("a duplicate address in an addresses_file gives the file's line")
    func duplicateInAddressesFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("hosts.txt", "0.0.1.1\n0.0.2.2\n\n# again:\n0.0.3.3   # fine\n0.0.1.1\n")
        let text = tiny(replacing: "  size: 100", with: "  placement: addresses\n  addresses: [0.0.4.4]\n  addresses_file: hosts.txt")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:10: population.addresses_file: line 6: 0.0.1.1 is listed twice")
    }

    @Test("a monitor's addresses_file entry that overlaps its prefixes gives the file's line")
    func overlapFromMonitorFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("pots.txt", "0.8.0.1\n0.0.1.1\n")
        let text = tiny + "\nmonitors:\n  - name: m\n    prefixes: [0.0.0.0/16]\n    addresses_file: pots.txt"
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:14: monitors[0].addresses_file: line 2: 0.0.1.1/32 overlaps 0.0.0.0/16")
    }

    @Test("prefix_counts_file problems give the file's line")
    func prefixCountsFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = tiny(replacing: "  size: 100", with: "  placement: prefix_counts\n  prefix_counts_file: counts.csv")
        try folder.write("counts.csv", "prefix,count\n0.0.0.0/16,10\n0.1.0.0/16 ten\n")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:9: population.prefix_counts_file: line 3: expected 'PREFIX,COUNT' such as '24.0.0.0/8,1200'")
        try folder.write("counts.csv", "0.0.0.0/16,10\n0.1.2.0/16,10\n")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:9: population.prefix_counts_file: line 2: '0.1.2.0/16' has host bits set; did you mean 0.1.0.0/16?")
        try folder.write("counts.csv", "0.0.0.0/16,10\n# a comment\n0.0.0.0/24,10\n")
        #expect(loadError(text, baseDirectory: folder.path)
            == "bad.yaml:9: population.prefix_counts_file: line 3: 0.0.0.0/24 overlaps entry 0 (0.0.0.0/16)")
    }

    @Test("a scenario file that does not exist")
    func missingScenarioFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.url.appendingPathComponent("nope.yaml").path
        #expect(throws: ScenarioLoadError.self) { try ScenarioFile.load(path: path) }
        do { _ = try ScenarioFile.load(path: path) } catch {
            #expect(error.description == "\(path): cannot read: no such file")
        }
    }

    @Test("errors from a loaded file name the path given")
    func loadNamesThePath() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("worm.yaml", tiny(replacing: "size: 100", with: "size: 0"))
        do {
            _ = try ScenarioFile.load(path: path)
            Issue.record("loaded a scenario with an empty population")
        } catch {
            #expect(error.description == "\(path):8: population.size: must be at least 1 (got 0)")
        }
    }
}
