import Foundation
import Outbreak
import WormWatchCore
import Yams

/// Walks a scenario's YAML tree into a ``Scenario`` (the generic walking, with lines and
/// "did you mean", is ``YAMLWalker``).
final class ScenarioReader {
    let yaml: YAMLWalker<ScenarioLoadError>
    let baseDirectory: String
    /// Field paths that ``Scenario/validate()`` uses but the file spells differently (a
    /// monitor's `addresses` become its prefixes, entries of an `*_file` live in that file,
    /// discrete rates are `values`): validation path → the file's field, its line and a
    /// note that goes before the message (`line 3: ` for a line of an `*_file`).
    var origins: [String: (field: String, line: Int?, note: String)] = [:]

    init(file: String, baseDirectory: String) {
        yaml = YAMLWalker(file: file) { .invalid(ScenarioError($0)) }
        self.baseDirectory = baseDirectory
    }

    var file: String { yaml.file }

    func fail(_ node: Node?, _ field: String, _ message: String) -> ScenarioLoadError { yaml.fail(node, field, message) }

    /// A validation error with the file, the line and the field as the file spells it.
    func locate(_ error: ScenarioError) -> ScenarioError {
        var located = error
        located.file = file
        if let origin = origins[error.field] {
            located.field = origin.field
            located.line = origin.line ?? yaml.nearestLine(origin.field)
            located.message = origin.note + error.message
        } else {
            located.line = yaml.nearestLine(error.field)
        }
        return located
    }

    // MARK: Typed readers

    /// A number that must not be negative. Fields in hours are checked here, in the file's
    /// unit, because validation sees them converted to seconds.
    func nonNegative(_ node: Node, _ field: String) throws(ScenarioLoadError) -> Double {
        let value = try yaml.number(node, field)
        guard value >= 0 else { throw fail(node, field, "must not be negative (got \(value))") }
        return value
    }

    /// Lines of a text file named by a `*_file` key, with `#` comments and blanks dropped.
    func fileLines(_ node: Node, _ field: String) throws(ScenarioLoadError) -> [(line: Int, text: Substring)] {
        let name = try yaml.string(node, field)
        let path = name.hasPrefix("/") ? name : (baseDirectory as NSString).appendingPathComponent(name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable(path: path, reason: ScenarioFile.readFailure(path) + " (named by \(field) in \(file))")
        }
        var result: [(Int, Substring)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { result.append((i + 1, Substring(trimmed))) }
        }
        return result
    }

    // MARK: The scenario

    func scenario(_ root: Node) throws(ScenarioLoadError) -> Scenario {
        let top = try yaml.mapping(root, "", keys: [
            "format", "name", "summary", "start", "duration_hours", "interval_seconds",
            "space", "population", "worm", "host_events", "network", "monitors",
        ])
        guard let formatNode = top["format"] else { throw fail(root, "format", "missing; the first line should be 'format: \(ScenarioFile.formatVersion)'") }
        let format = try yaml.string(formatNode, "format")
        guard format == ScenarioFile.formatVersion else {
            throw fail(formatNode, "format", "'\(format)' is not a format this version reads (\(ScenarioFile.formatVersion))")
        }
        guard let nameNode = top["name"] else { throw fail(root, "name", "missing") }
        let name = try yaml.string(nameNode, "name")
        let summary = try top["summary"].map { node throws(ScenarioLoadError) in try yaml.string(node, "summary") } ?? ""
        var start: Int64 = 0
        if let node = top["start"] {
            let text = try yaml.string(node, "start")
            guard let t = UTCCalendar.parseISO8601(text) else { throw fail(node, "start", "'\(text)' is not a UTC time like 2001-07-19T10:00:00Z") }
            start = t
        }
        guard let durationNode = top["duration_hours"] else { throw fail(root, "duration_hours", "missing") }
        let hours = try yaml.number(durationNode, "duration_hours")
        guard hours > 0 else { throw fail(durationNode, "duration_hours", "must be greater than 0 (got \(hours))") }
        let duration = hours * 3600
        let interval = try top["interval_seconds"].map { node throws(ScenarioLoadError) in try yaml.number(node, "interval_seconds") } ?? 60
        let space = try top["space"].map { node throws(ScenarioLoadError) in try readSpace(node) } ?? .ipv4
        guard let populationNode = top["population"] else { throw fail(root, "population", "missing") }
        let population = try readPopulation(populationNode)
        guard let wormNode = top["worm"] else { throw fail(root, "worm", "missing") }
        let worm = try readWorm(wormNode)
        let events = try top["host_events"].map { node throws(ScenarioLoadError) in try readHostEvents(node) } ?? HostEvents()
        var network = Network()
        if let node = top["network"] {
            let map = try yaml.mapping(node, "network", keys: ["congestion_exponent"])
            if let c = map["congestion_exponent"] { network.congestionExponent = try yaml.number(c, "network.congestion_exponent") }
        }
        var monitors: [Monitor] = []
        if let node = top["monitors"] {
            for (i, item) in try yaml.sequence(node, "monitors").enumerated() { monitors.append(try readMonitor(item, "monitors[\(i)]")) }
        }
        return Scenario(name: name, summary: summary, space: space, population: population, worm: worm,
                        hostEvents: events, network: network, monitors: monitors, startTime: start,
                        duration: duration, interval: interval)
    }

    func readSpace(_ node: Node) throws(ScenarioLoadError) -> AddressSpace {
        let map = try yaml.mapping(node, "space", keys: ["bits", "reserved"])
        let bits = try map["bits"].map { n throws(ScenarioLoadError) in try yaml.integer(n, "space.bits") } ?? 32
        var reserved = bits == 32 ? AddressSpace.ipv4Reserved : []
        if let r = map["reserved"] {
            if let text = r.scalar?.string, r.scalar?.style == .plain, text == "default" {
                reserved = AddressSpace.ipv4Reserved.filter { $0.length >= 32 - bits && UInt64($0.base) < (UInt64(1) << bits) }
            } else {
                reserved = try yaml.prefixList(r, "space.reserved")
            }
        }
        return AddressSpace(bits: bits, reserved: reserved)
    }

    func readPopulation(_ node: Node) throws(ScenarioLoadError) -> Population {
        let map = try yaml.mapping(node, "population", keys: [
            "size", "placement", "clusters", "addresses", "addresses_file", "prefix_counts", "prefix_counts_file",
        ])
        let placementName = try map["placement"].map { n throws(ScenarioLoadError) in try yaml.string(n, "population.placement") } ?? "uniform"
        let size = try map["size"].map { n throws(ScenarioLoadError) in try yaml.integer(n, "population.size") }
        func need(_ key: String) throws(ScenarioLoadError) -> Node {
            guard let n = map[key] else { throw fail(node, "population.\(key)", "missing (placement '\(placementName)' needs it)") }
            return n
        }
        func unused(_ keys: [String]) throws(ScenarioLoadError) {
            for key in keys where map[key] != nil { throw fail(map[key], "population.\(key)", "does not apply to placement '\(placementName)'") }
        }
        switch placementName {
        case "uniform":
            try unused(["clusters", "addresses", "addresses_file", "prefix_counts", "prefix_counts_file"])
            guard let size else { throw fail(node, "population.size", "missing") }
            return Population(size: size, placement: .uniform)
        case "clustered":
            try unused(["addresses", "addresses_file", "prefix_counts", "prefix_counts_file"])
            guard let size else { throw fail(node, "population.size", "missing") }
            var clusters: [Population.Cluster] = []
            for (i, item) in try yaml.sequence(try need("clusters"), "population.clusters").enumerated() {
                let f = "population.clusters[\(i)]"
                let m = try yaml.mapping(item, f, keys: ["prefix", "weight"])
                guard let p = m["prefix"], let w = m["weight"] else { throw fail(item, f, "needs prefix and weight") }
                clusters.append(.init(prefix: try yaml.prefix(p, f + ".prefix"), weight: try yaml.number(w, f + ".weight")))
            }
            return Population(size: size, placement: .clustered(clusters))
        case "addresses":
            try unused(["clusters", "prefix_counts", "prefix_counts_file"])
            var list: [UInt32] = []
            if let inline = map["addresses"] {
                for (i, item) in try yaml.sequence(inline, "population.addresses").enumerated() { list.append(try yaml.address(item, "population.addresses[\(i)]").value) }
            }
            if let fileNode = map["addresses_file"] {
                for (line, text) in try fileLines(fileNode, "population.addresses_file") {
                    guard let a = IPv4Address(text) else {
                        throw fail(fileNode, "population.addresses_file", "line \(line): '\(text.prefix(40))' is not an IPv4 address")
                    }
                    origins["population.addresses[\(list.count)]"] = ("population.addresses_file", yaml.lines["population.addresses_file"], "line \(line): ")
                    list.append(a.value)
                }
            }
            guard !list.isEmpty else { throw fail(node, "population.addresses", "placement 'addresses' needs addresses or addresses_file") }
            return Population(size: size ?? list.count, placement: .addresses(list))
        case "prefix_counts":
            try unused(["clusters", "addresses", "addresses_file"])
            var list: [Population.PrefixCount] = []
            if let inline = map["prefix_counts"] {
                for (i, item) in try yaml.sequence(inline, "population.prefix_counts").enumerated() {
                    let f = "population.prefix_counts[\(i)]"
                    let m = try yaml.mapping(item, f, keys: ["prefix", "count"])
                    guard let p = m["prefix"], let c = m["count"] else { throw fail(item, f, "needs prefix and count") }
                    list.append(.init(prefix: try yaml.prefix(p, f + ".prefix"), count: try yaml.integer(c, f + ".count")))
                }
            }
            if let fileNode = map["prefix_counts_file"] {
                for (index, (line, text)) in try fileLines(fileNode, "population.prefix_counts_file").enumerated() {
                    // An optional header row, as in any CSV file.
                    if index == 0 && text.lowercased().filter({ !$0.isWhitespace }) == "prefix,count" { continue }
                    let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
                    guard parts.count == 2, let c = Int(parts[1]) else {
                        throw fail(fileNode, "population.prefix_counts_file", "line \(line): expected 'PREFIX,COUNT' such as '24.0.0.0/8,1200'")
                    }
                    let p: IPv4Prefix
                    switch IPv4Prefix.parseExact(parts[0]) {
                    case .prefix(let exact): p = exact
                    case .hostBitsSet(let cleared):
                        throw fail(fileNode, "population.prefix_counts_file", "line \(line): '\(parts[0])' has host bits set; did you mean \(cleared)?")
                    case .invalid:
                        throw fail(fileNode, "population.prefix_counts_file", "line \(line): expected 'PREFIX,COUNT' such as '24.0.0.0/8,1200'")
                    }
                    origins["population.prefix_counts[\(list.count)]"] = ("population.prefix_counts_file", yaml.lines["population.prefix_counts_file"], "line \(line): ")
                    list.append(.init(prefix: p, count: c))
                }
            }
            guard !list.isEmpty else { throw fail(node, "population.prefix_counts", "placement 'prefix_counts' needs prefix_counts or prefix_counts_file") }
            return Population(size: size ?? list.reduce(0) { $0 + $1.count }, placement: .prefixCounts(list))
        default:
            throw fail(map["placement"], "population.placement", "'\(placementName)' is not one of uniform, clustered, addresses, prefix_counts")
        }
    }

    func readWorm(_ node: Node) throws(ScenarioLoadError) -> Worm {
        let map = try yaml.mapping(node, "worm", keys: [
            "probe_rate", "probe_bytes", "infection_delay_seconds", "initial_infected", "initial_addresses", "scan", "lifecycle",
        ])
        guard let rateNode = map["probe_rate"] else { throw fail(node, "worm.probe_rate", "missing") }
        var worm = Worm(probeRate: try readRate(rateNode))
        if let n = map["probe_bytes"] { worm.probeBytes = try yaml.integer(n, "worm.probe_bytes") }
        if let n = map["infection_delay_seconds"] { worm.infectionDelay = try yaml.number(n, "worm.infection_delay_seconds") }
        if let n = map["initial_infected"] { worm.initialInfected = try yaml.integer(n, "worm.initial_infected") }
        if let n = map["initial_addresses"] {
            worm.initialAddresses = []
            for (i, item) in try yaml.sequence(n, "worm.initial_addresses").enumerated() {
                worm.initialAddresses.append(try yaml.address(item, "worm.initial_addresses[\(i)]").value)
            }
        }
        if let n = map["scan"] { worm.strategy = try readScan(n) }
        if let n = map["lifecycle"] {
            if let text = n.scalar?.string, text == "none" { worm.lifecycle = nil } else {
                let m = try yaml.mapping(n, "worm.lifecycle", keys: ["spread_until_day", "flood_until_day", "flood_target", "flood_bits_per_second"])
                var life = Lifecycle()
                if let v = m["spread_until_day"] { life.spreadUntilDay = try yaml.integer(v, "worm.lifecycle.spread_until_day") }
                if let v = m["flood_until_day"] { life.floodUntilDay = try yaml.integer(v, "worm.lifecycle.flood_until_day") }
                if let v = m["flood_target"] { life.floodTarget = try yaml.address(v, "worm.lifecycle.flood_target").value }
                if let v = m["flood_bits_per_second"] { life.floodBitsPerSecond = try yaml.number(v, "worm.lifecycle.flood_bits_per_second") }
                worm.lifecycle = life
            }
        }
        return worm
    }

    func readRate(_ node: Node) throws(ScenarioLoadError) -> ProbeRate {
        if node.scalar != nil { return .fixed(try yaml.number(node, "worm.probe_rate")) }
        let f = "worm.probe_rate"
        let m = try yaml.mapping(node, f, keys: ["distribution", "value", "median", "sigma", "min", "max", "values"])
        guard let d = m["distribution"] else { throw fail(node, f + ".distribution", "missing (fixed, discrete, lognormal or uniform)") }
        func need(_ key: String) throws(ScenarioLoadError) -> Node {
            guard let n = m[key] else { throw fail(node, "\(f).\(key)", "missing") }
            return n
        }
        let distribution = try yaml.string(d, f + ".distribution")
        let applicable = ["fixed": ["value"], "lognormal": ["median", "sigma"], "uniform": ["min", "max"], "discrete": ["values"]]
        if let keys = applicable[distribution] {
            for key in ["value", "median", "sigma", "min", "max", "values"] where !keys.contains(key) && m[key] != nil {
                throw fail(m[key], "\(f).\(key)", "does not apply to distribution '\(distribution)'")
            }
        }
        switch distribution {
        case "fixed": return .fixed(try yaml.number(try need("value"), f + ".value"))
        case "lognormal": return .logNormal(median: try yaml.number(try need("median"), f + ".median"), sigma: try yaml.number(try need("sigma"), f + ".sigma"))
        case "uniform": return .uniform(min: try yaml.number(try need("min"), f + ".min"), max: try yaml.number(try need("max"), f + ".max"))
        case "discrete":
            var list: [ProbeRate.WeightedRate] = []
            for (i, item) in try yaml.sequence(try need("values"), f + ".values").enumerated() {
                let g = "\(f).values[\(i)]"
                let e = try yaml.mapping(item, g, keys: ["rate", "weight"])
                guard let r = e["rate"], let w = e["weight"] else { throw fail(item, g, "needs rate and weight") }
                list.append(.init(rate: try yaml.number(r, g + ".rate"), weight: try yaml.number(w, g + ".weight")))
                for key in ["rate", "weight"] { origins["\(f).discrete[\(i)].\(key)"] = ("\(g).\(key)", yaml.lines["\(g).\(key)"], "") }
            }
            origins[f + ".discrete"] = (f + ".values", yaml.lines[f + ".values"], "")
            return .discrete(list)
        case let other:
            throw fail(d, f + ".distribution", "'\(other)' is not one of fixed, discrete, lognormal, uniform")
        }
    }

    func readScan(_ node: Node) throws(ScenarioLoadError) -> ScanStrategy {
        let m = try yaml.mapping(node, "worm.scan", keys: ["strategy", "anywhere", "local", "exclude", "key", "sequences", "start"])
        let name = try m["strategy"].map { n throws(ScenarioLoadError) in try yaml.string(n, "worm.scan.strategy") } ?? "uniform"
        let exclude = try m["exclude"].map { n throws(ScenarioLoadError) in try yaml.prefixList(n, "worm.scan.exclude") } ?? []
        let applies: [String: [String]] = [
            "uniform": ["exclude"], "localized": ["anywhere", "local", "exclude"],
            "permutation": ["key"], "static-seed": ["key", "sequences"], "sequential": ["start"],
        ]
        if let allowed = applies[name] {
            for key in ["anywhere", "local", "exclude", "key", "sequences", "start"] where m[key] != nil && !allowed.contains(key) {
                throw fail(m[key], "worm.scan.\(key)", "does not apply to strategy '\(name)'")
            }
        }
        func key() throws(ScenarioLoadError) -> UInt64 {
            guard let n = m["key"] else { return 1 }
            let v = try yaml.integer(n, "worm.scan.key")
            guard v >= 0 else { throw fail(n, "worm.scan.key", "must not be negative (got \(v))") }
            return UInt64(v)
        }
        switch name {
        case "uniform":
            for key in ["anywhere", "local"] where m[key] != nil { throw fail(m[key], "worm.scan.\(key)", "does not apply to strategy 'uniform'") }
            return .uniform(exclude: exclude)
        case "localized":
            guard let anyNode = m["anywhere"] else { throw fail(node, "worm.scan.anywhere", "missing (the share of probes to random addresses)") }
            var components: [ScanStrategy.LocalComponent] = []
            if let l = m["local"] {
                for (i, item) in try yaml.sequence(l, "worm.scan.local").enumerated() {
                    let f = "worm.scan.local[\(i)]"
                    let e = try yaml.mapping(item, f, keys: ["prefix_length", "weight"])
                    guard let p = e["prefix_length"], let w = e["weight"] else { throw fail(item, f, "needs prefix_length and weight") }
                    components.append(.init(length: try yaml.integer(p, f + ".prefix_length"), weight: try yaml.number(w, f + ".weight")))
                }
            }
            return .localized(anywhere: try yaml.number(anyNode, "worm.scan.anywhere"), components: components, exclude: exclude)
        case "permutation":
            return .permutation(key: try key())
        case "static-seed":
            let sequences = try m["sequences"].map { n throws(ScenarioLoadError) in try yaml.integer(n, "worm.scan.sequences") } ?? 1
            return .staticSeed(sequences: sequences, key: try key())
        case "sequential":
            let start = try m["start"].map { n throws(ScenarioLoadError) in try yaml.string(n, "worm.scan.start") } ?? "random"
            guard let mode = ScanStrategy.SequentialStart(rawValue: start) else {
                throw fail(m["start"], "worm.scan.start", "'\(start)' is not one of random, own")
            }
            return .sequential(start: mode)
        case "hit-list":
            throw fail(m["strategy"], "worm.scan.strategy", "'hit-list' is not a strategy: a hit list is worm.initial_infected (the hosts infected at the start)")
        default:
            throw fail(m["strategy"], "worm.scan.strategy", "'\(name)' is not one of uniform, localized, permutation, static-seed, sequential")
        }
    }

    func readHostEvents(_ node: Node) throws(ScenarioLoadError) -> HostEvents {
        let m = try yaml.mapping(node, "host_events", keys: ["patch", "patch_rate_per_hour", "awareness_patch_rate_per_hour", "clean_rate_per_hour", "reboot_rate_per_hour", "diurnal"])
        var events = HostEvents()
        if let n = m["patch_rate_per_hour"] {
            events.patchSchedule = [.init(start: 0, rate: try nonNegative(n, "host_events.patch_rate_per_hour") / 3600)]
            for key in ["from_hours", "rate_per_hour"] {
                origins["host_events.patch[0].\(key)"] = ("host_events.patch_rate_per_hour", yaml.lines["host_events.patch_rate_per_hour"], "")
            }
        }
        if let n = m["patch"] {
            guard m["patch_rate_per_hour"] == nil else { throw fail(n, "host_events.patch", "give either patch or patch_rate_per_hour, not both") }
            for (i, item) in try yaml.sequence(n, "host_events.patch").enumerated() {
                let f = "host_events.patch[\(i)]"
                let e = try yaml.mapping(item, f, keys: ["from_hours", "rate_per_hour"])
                guard let from = e["from_hours"], let rate = e["rate_per_hour"] else { throw fail(item, f, "needs from_hours and rate_per_hour") }
                events.patchSchedule.append(.init(start: try nonNegative(from, f + ".from_hours") * 3600, rate: try nonNegative(rate, f + ".rate_per_hour") / 3600))
            }
        }
        if let n = m["clean_rate_per_hour"] { events.cleanRate = try nonNegative(n, "host_events.clean_rate_per_hour") / 3600 }
        if let n = m["reboot_rate_per_hour"] { events.rebootRate = try nonNegative(n, "host_events.reboot_rate_per_hour") / 3600 }
        if let n = m["awareness_patch_rate_per_hour"] {
            events.awarenessPatchRate = try nonNegative(n, "host_events.awareness_patch_rate_per_hour") / 3600
        }
        if let n = m["diurnal"] {
            let f = "host_events.diurnal"
            let d = try yaml.mapping(n, f, keys: ["share", "off_from_hour", "off_until_hour", "zones"])
            guard let shareNode = d["share"] else { throw fail(n, f + ".share", "missing (the share of hosts switched off at night)") }
            guard let zonesNode = d["zones"] else { throw fail(n, f + ".zones", "missing (time zones: utc_offset_hours and weight)") }
            var zones: [Diurnal.Zone] = []
            for (i, item) in try yaml.sequence(zonesNode, f + ".zones").enumerated() {
                let g = "\(f).zones[\(i)]"
                let z = try yaml.mapping(item, g, keys: ["utc_offset_hours", "weight"])
                guard let o = z["utc_offset_hours"], let w = z["weight"] else { throw fail(item, g, "needs utc_offset_hours and weight") }
                zones.append(.init(utcOffsetHours: try yaml.number(o, g + ".utc_offset_hours"), weight: try yaml.number(w, g + ".weight")))
            }
            events.diurnal = Diurnal(
                share: try yaml.number(shareNode, f + ".share"),
                offFromHour: try d["off_from_hour"].map { x throws(ScenarioLoadError) in try yaml.number(x, f + ".off_from_hour") } ?? 18,
                offUntilHour: try d["off_until_hour"].map { x throws(ScenarioLoadError) in try yaml.number(x, f + ".off_until_hour") } ?? 8,
                zones: zones)
        }
        return events
    }

    func readMonitor(_ node: Node, _ field: String) throws(ScenarioLoadError) -> Monitor {
        let m = try yaml.mapping(node, field, keys: ["name", "prefixes", "addresses", "addresses_file", "record_probes"])
        guard let nameNode = m["name"] else { throw fail(node, field + ".name", "missing") }
        var prefixes: [IPv4Prefix] = []
        if let p = m["prefixes"] { prefixes += try yaml.prefixList(p, field + ".prefixes") }
        if let a = m["addresses"] {
            for (i, item) in try yaml.sequence(a, field + ".addresses").enumerated() {
                let f = "\(field).addresses[\(i)]"
                origins["\(field).prefixes[\(prefixes.count)]"] = (f, yaml.lines[f], "")
                prefixes.append(IPv4Prefix(base: try yaml.address(item, f).value, length: 32))
            }
        }
        if let fileNode = m["addresses_file"] {
            for (line, text) in try fileLines(fileNode, field + ".addresses_file") {
                guard let a = IPv4Address(text) else { throw fail(fileNode, field + ".addresses_file", "line \(line): '\(text.prefix(40))' is not an IPv4 address") }
                origins["\(field).prefixes[\(prefixes.count)]"] = (field + ".addresses_file", yaml.lines[field + ".addresses_file"], "line \(line): ")
                prefixes.append(IPv4Prefix(base: a.value, length: 32))
            }
        }
        let record = try m["record_probes"].map { r throws(ScenarioLoadError) in try yaml.bool(r, field + ".record_probes") } ?? false
        return Monitor(name: try yaml.string(nameNode, field + ".name"), prefixes: prefixes, recordProbes: record)
    }
}
