import Foundation
import Testing
import WormWatchTestSupport

/// `wormwatch fit` as a user runs it: results, exit statuses and error lines (conventions.md).
@Suite("wormwatch fit")
struct FitCLITests {
    static let example = packageRoot.appendingPathComponent("examples/observed-small-uniform.csv").path

    @Test("examples/observed-small-uniform.csv (simulate's own CSV): a wormwatch.fit/1 document")
    func exampleJSON() throws {
        let run = try wormwatch("fit", Self.example, "--format", "json")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(object["format"] as? String == "wormwatch.fit/1")
        #expect(object["model"] as? String == "logistic")
        #expect(object["converged"] as? Bool == true)
        #expect(object["points"] as? Int == 120)
        #expect(object["start"] as? String == "2001-07-01T00:01:00Z")
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.compactMap { $0["name"] as? String } == ["K", "K_per_hour", "N", "I0"])
        let n = try #require(parameters.first { $0["name"] as? String == "N" })
        let value = try #require(n["value"] as? Double), low = try #require(n["ci95_low"] as? Double)
        let high = try #require(n["ci95_high"] as? Double)
        // 362 hosts were ever infected in this run (the population is 400; some were patched first).
        #expect(low < value && value < high && Swift.abs(value - 362) < 2)
        #expect(n["unit"] as? String == "hosts")
        #expect((object["r_squared"] as? Double ?? 0) > 0.999)
        #expect(object["rmse"] is Double && object["iterations"] is Int)
    }

    @Test("simulate → csv → fit, with a table and a plot")
    func pipeline() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let simulated = try wormwatch("simulate", "small-uniform", "--format", "csv", "--output", folder.file("su.csv"), "--hours", "1")
        #expect(simulated.status == 0, "\(simulated)")
        let run = try wormwatch("fit", folder.file("su.csv"), "--format", "table", "--plot", folder.file("fit.svg"))
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("logistic fit to \(folder.file("su.csv")) (ever_infected, cumulative): 60 points, 3 parameters"))
        #expect(run.output.contains("\nK_per_hour "))
        #expect(run.output.contains("goodness of fit: rmse "))
        let svg = try String(contentsOfFile: folder.file("fit.svg"), encoding: .utf8)
        #expect(svg.contains("</svg>") && svg.contains("logistic fit") && svg.contains("observed"))
        // Plain seconds and per-interval counts work too.
        let perInterval = try wormwatch("fit", folder.file("su.csv"), "--time-column", "elapsed_seconds",
                                        "--count-column", "new_infections", "--counts", "per-interval", "--format", "json")
        #expect(perInterval.status == 0, "\(perInterval)")
        #expect(perInterval.output.contains("\"counts\": \"per-interval\""))
    }

    @Test("bad data: exit 65 and one line naming the file and line")
    func badData() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        func check(_ name: String, _ text: String, _ expected: String, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = try folder.write(name, text)
            let run = try runWormwatch(["fit", path] + extra)
            #expect(run.status == 65, "\(run)", sourceLocation: sourceLocation)
            #expect(run.stderrLines == ["wormwatch: error: \(path)\(expected)"], sourceLocation: sourceLocation)
            #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        }
        try check("missing.csv", "time,infected\n0,1\n", ":1: no column 'ever_infected' (the header has: time, infected); choose one with --count-column")
        try check("order.csv", "elapsed_seconds,ever_infected\n0,1\n60,2\n120,4\n90,8\n180,9\n",
                  ":5: elapsed_seconds: '90' is not after the time on line 4; times must increase", extra: ["--time-column", "elapsed_seconds"])
        try check("negative.csv", "time,ever_infected\n0,1\n60,2\n120,-4\n", ":4: ever_infected: negative count -4")
        try check("few.csv", "time,ever_infected\n0,1\n60,2\n120,4\n",
                  ": 3 data rows; the logistic model fits 3 parameters and needs at least 4")
        try check("few2.csv", "time,ever_infected\n0,1\n60,2\n120,4\n180,5\n",
                  ": 4 data rows; the two-factor model fits 4 parameters and needs at least 5",
                  extra: ["--model", "two-factor", "--population", "100"])
        try check("gaps.csv", "time,ever_infected\n0,1\n60,2\n120,4\n180,5\n300,9\n",
                  ":6: the AAWP model needs equally spaced times (one tick each): this interval is 120 s, the first is 60 s",
                  extra: ["--model", "aawp"])
    }

    @Test("a constant series: exit 1, says why, and JSON says converged false without parameters")
    func notConverged() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("flat.csv", "time,ever_infected\n" + (0..<10).map { "\($0 * 60),400" }.joined(separator: "\n") + "\n")
        let run = try wormwatch("fit", path, "--format", "json")
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.first == "wormwatch: error: \(path): the logistic fit did not converge: K is not identifiable from these data: the counts never change (all 400), so there is no growth to fit")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        #expect(object["converged"] as? Bool == false)
        #expect((object["parameters"] as? [Any])?.isEmpty == true)
        let table = try wormwatch("fit", path, "--format", "table")
        #expect(table.status == 1 && table.stdout.isEmpty, "no numbers printed")
    }

    @Test("bad options: exit 64; a missing file: exit 66")
    func options() throws {
        let noPopulation = try wormwatch("fit", Self.example, "--model", "two-factor")
        #expect(noPopulation.status == 64)
        #expect(noPopulation.stderrLines.first == "wormwatch: error: --population: required with --model two-factor")
        let wrongModel = try wormwatch("fit", Self.example, "--model", "sir")
        #expect(wrongModel.status == 64, "\(wrongModel)")
        let csv = try wormwatch("fit", Self.example, "--format", "csv")
        #expect(csv.status == 64, "\(csv)")
        let space = try wormwatch("fit", Self.example, "--address-space", "2^20")
        #expect(space.stderrLines.first == "wormwatch: error: --address-space: only used with --model aawp")
        let missing = try wormwatch("fit", "no-such-file.csv")
        #expect(missing.status == 66)
        #expect(missing.stderrLines == ["wormwatch: error: no-such-file.csv: cannot read: no such file"])
    }
}
