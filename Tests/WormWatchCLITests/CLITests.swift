import Foundation
import Testing
import WormWatchTestSupport

/// `wormwatch` as a user runs it: exit statuses and error lines per conventions.md.
@Suite("wormwatch command line")
struct CLITests {
    @Test("the executable is found next to the test binary")
    func executableIsThere() throws {
        let url = try #require(wormwatchExecutable)
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }

    // MARK: Success

    @Test("simulate small-uniform --format json: a wormwatch.simulation/1 document")
    func simulateJSON() throws {
        let run = try wormwatch("simulate", "small-uniform", "--format", "json", "--hours", "0.5")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "", "nothing on stderr when it is not a terminal")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(object["format"] as? String == "wormwatch.simulation/1")
        #expect(object["scenario"] as? String == "small-uniform")
        #expect(object["start"] as? String == "2001-07-01T00:00:00Z")
        #expect(object["duration_seconds"] as? Int == 1800)
        #expect(object["population"] as? Int == 400)
        #expect(object["seed"] as? String == "1")
        #expect(object["runs"] as? Int == 1)
        let series = try #require(object["series"] as? [[String: Any]])
        #expect(series.count == 30)
        #expect(series.first?["time"] as? String == "2001-07-01T00:01:00Z")
        #expect(series.last?["elapsed_seconds"] as? Int == 1800)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["final_infected"] != nil)
        #expect((summary["monitor_sources"] as? [String: Any])?.keys.sorted() == ["honeypots", "quarter"])
    }

    @Test("the default format is JSON when stdout is not a terminal")
    func defaultFormatIsJSON() throws {
        let run = try wormwatch("simulate", "small-uniform", "--hours", "0.5")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("{\n  \"format\": \"wormwatch.simulation/1\","))
    }

    @Test("the same seed gives the same bytes whatever --threads; another seed does not")
    func reproducible() throws {
        let common = ["--format", "json", "--hours", "0.5", "--runs", "4"]
        func simulate(_ extra: String...) throws -> Outcome {
            let args = ["simulate", "small-uniform"] + common + extra
            return try runWormwatch(args)
        }
        let one = try simulate("--seed", "7", "--threads", "1")
        let two = try simulate("--seed", "7", "--threads", "2")
        let other = try simulate("--seed", "8", "--threads", "2")
        #expect(one.status == 0 && two.status == 0 && other.status == 0)
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == two.stdout)
        #expect(one.stdout != other.stdout)
        #expect(one.output.contains("\"runs\": 4"))
        #expect(one.output.contains("\"infected_p95\""))
    }

    @Test("csv output: a header row, then one row per interval")
    func csv() throws {
        let run = try wormwatch("simulate", "small-uniform", "--format", "csv", "--hours", "0.5")
        #expect(run.status == 0, "\(run)")
        let lines = run.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        #expect(header.hasPrefix("time,elapsed_seconds,susceptible"))
        #expect(header.hasSuffix("honeypots.probes,honeypots.distinct_sources,honeypots.new_sources"))
        #expect(lines.count == 31)
        let width = header.split(separator: ",").count
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == width })
        #expect(lines[1].hasPrefix("2001-07-01T00:01:00Z,60,"))
    }

    @Test("--output and --plot write files; the format follows the extension")
    func outputAndPlot() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let run = try wormwatch("simulate", "small-uniform", "--hours", "0.5", "--runs", "2",
                                "--output", folder.file("out.csv"), "--plot", folder.file("plot.svg"))
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.isEmpty)
        let csv = try String(contentsOfFile: folder.file("out.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("time,elapsed_seconds,susceptible,susceptible_p05,susceptible_p95,"))
        let svg = try String(contentsOfFile: folder.file("plot.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("</svg>"))
    }

    @Test("a table for people")
    func table() throws {
        let run = try wormwatch("simulate", "small-uniform", "--format", "table", "--hours", "0.5")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("small-uniform: 1 run, seed 1, from 2001-07-01T00:00:00Z, 0.5 h\n"))
    }

    @Test("a scenario file with relative addresses_file runs from another folder")
    func scenarioFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("pots.txt", "0.0.1.1\n0.0.2.2\n")
        let path = try folder.write("tiny.yaml", tinyScenario + "monitors:\n  - name: pots\n    addresses_file: pots.txt\n")
        let run = try wormwatch("simulate", path, "--format", "json", in: packageRoot)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("\"scenario\": \"tiny\""))
        #expect(run.output.contains("\"0.0.2.2/32\""))
    }

    @Test("the example files run", arguments: ["examples/custom-worm.yaml", "examples/prefix-counts.yaml"])
    func examples(path: String) throws {
        let run = try wormwatch("simulate", path, "--hours", "0.25", "--format", "csv", in: packageRoot)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("time,elapsed_seconds,susceptible"))
    }

    @Test("scenarios show prints the preset file", arguments: ["codered-v2", "small-uniform"])
    func scenariosShow(name: String) throws {
        let run = try wormwatch("scenarios", "show", name)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == (try Data(contentsOf: packageRoot.appendingPathComponent("scenarios/\(name).yaml"))))
    }

    @Test("scenarios lists every preset")
    func scenariosList() throws {
        let run = try wormwatch("scenarios")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("name "))
        for name in presetNames { #expect(run.output.contains("\n\(name) ")) }
    }

    // MARK: 64: bad usage

    @Test("bad options exit 64 and name the option", arguments: [
        (["--runs", "0"], "--runs"),
        (["--hours=-1"], "--hours"),
        (["--hours", "-1"], "--hours"),
        (["--hours", "0"], "--hours"),
        (["--threads", "2000"], "--threads"),
        (["--format", "xml"], "--format"),
        (["--bogus"], "--bogus"),
    ])
    func badOptions(options: [String], option: String) throws {
        let run = try runWormwatch(["simulate", "small-uniform"] + options)
        #expect(run.status == 64, "\(run)")
        #expect(run.stdout.isEmpty)
        let first = try #require(run.stderrLines.first)
        #expect(first.contains(option))
        #expect(first.hasPrefix("wormwatch: error: \(option)"), "\(first)")
    }

    @Test("--hours that makes the scenario invalid is a usage error")
    func hoursMakeScenarioInvalid() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("tiny.yaml", tinyScenario.replacingOccurrences(of: "duration_hours: 0.5", with: "duration_hours: 0.5\ninterval_seconds: 1"))
        let run = try wormwatch("simulate", path, "--hours", "8000")
        #expect(run.status == 64, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: --hours: gives more than 10^6 rows; choose a longer interval"])
    }

    @Test("scenarios show with an unknown name is a usage error with the list of presets")
    func scenariosShowUnknown() throws {
        let run = try wormwatch("scenarios", "show", "codered-v3")
        #expect(run.status == 64, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: codered-v3: no such preset", "hint: presets: \(presetNames.joined(separator: ", "))"])
    }

    // MARK: 65: bad data

    @Test("a malformed scenario file exits 65 with file:line first")
    func malformedScenario() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("bad.yaml", tinyScenario.replacingOccurrences(of: "duration_hours", with: "duraton_hours"))
        let run = try wormwatch("simulate", path)
        #expect(run.status == 65, "\(run)")
        #expect(run.stdout.isEmpty)
        let first = try #require(run.stderrLines.first)
        #expect(first.hasPrefix("wormwatch: error: \(path):3: "))
        #expect(first == "wormwatch: error: \(path):3: duraton_hours: unknown key (did you mean 'duration_hours'?); known keys here: format, name, summary, start, duration_hours, interval_seconds, space, population, worm, host_events, network, monitors")
    }

    @Test("inconsistent values and invalid YAML exit 65 too", arguments: [
        ("size: 100", "size: 5000000", "8: population.size: 5000000 hosts do not fit in the 1048576 routable addresses of the space"),
        ("probe_rate: 10", "probe_rate: [10", "11: not valid YAML: did not find expected ',' or ']'"),
        ("format: wormwatch.scenario/1", "format: wormwatch.scenario/9", "1: format: 'wormwatch.scenario/9' is not a format this version reads (wormwatch.scenario/1)"),
    ])
    func badData(old: String, new: String, expected: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("bad.yaml", tinyScenario.replacingOccurrences(of: old, with: new))
        let run = try wormwatch("simulate", path)
        #expect(run.status == 65, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: \(path):\(expected)"])
    }

    @Test("a relative path is reported as given")
    func relativePath() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("bad.yaml", "")
        let run = try wormwatch("simulate", "bad.yaml", in: folder.url)
        #expect(run.status == 65, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: bad.yaml:1: the file is empty"])
    }

    // MARK: 66: no input

    @Test("a missing scenario file exits 66")
    func missingFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.file("nope.yaml")
        let run = try wormwatch("simulate", path)
        #expect(run.status == 66, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: \(path): cannot read: no such file"])
    }

    @Test("a missing addresses_file named by a scenario exits 66")
    func missingAddressesFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("tiny.yaml", tinyScenario + "monitors:\n  - name: pots\n    addresses_file: pots.txt\n")
        let run = try wormwatch("simulate", path)
        #expect(run.status == 66, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: \(folder.file("pots.txt")): cannot read: no such file (named by monitors[0].addresses_file in \(path))"])
    }

    @Test("an unknown preset name exits 66 with the list of presets")
    func unknownPreset() throws {
        let run = try wormwatch("simulate", "codered-v3")
        #expect(run.status == 66, "\(run)")
        #expect(run.stderrLines == ["wormwatch: error: codered-v3: no such preset or file", "hint: presets: \(presetNames.joined(separator: ", "))"])
    }

    // MARK: 73: cannot create output

    @Test("--output into a missing folder exits 73", arguments: ["--output", "--plot"])
    func outputIntoMissingFolder(option: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = folder.file("missing/out.json")
        let run = try wormwatch("simulate", "small-uniform", "--hours", "0.5", "--format", "json", option, target)
        #expect(run.status == 73, "\(run)")
        let what = option == "--output" ? "results" : "plot"
        #expect(run.stderrLines == ["wormwatch: error: \(target): cannot write the \(what): no such folder \(folder.file("missing"))"])
    }
}
