import Foundation
import Testing
import WormWatchTestSupport

/// `--shard I/N` and `wormwatch merge`: the parts merged are the unsharded output, byte for byte.
@Suite("wormwatch simulate/sweep --shard and merge")
struct ShardMergeCLITests {
    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Runs `base + --shard i/n -o part-i.json` for every i and returns the parts' paths.
    func shards(_ base: [String], _ n: Int, prefix: String, in folder: TemporaryFolder) throws -> [String] {
        var paths: [String] = []
        for i in 1...n {
            let path = folder.file("\(prefix)-\(i).json")
            let run = try runWormwatch(base + ["--shard", "\(i)/\(n)", "--output", path, "--quiet"])
            #expect(run.status == 0, "\(run)")
            paths.append(path)
        }
        return paths
    }

    @Test("simulate --runs 40: 4 shards merged give the unsharded bytes in JSON, CSV, table and SVG; so do 3 and 7")
    func simulate() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let base = ["simulate", "small-uniform", "--runs", "40", "--seed", "11"]
        var whole: [String: Data] = [:]
        for format in ["json", "csv", "table"] {
            let run = try runWormwatch(base + ["--format", format, "--output", folder.file("whole.\(format)"), "--quiet"]
                                       + (format == "json" ? ["--plot", folder.file("whole.svg")] : []))
            #expect(run.status == 0, "\(run)")
            whole[format] = try read(folder.file("whole.\(format)"))
        }
        whole["svg"] = try read(folder.file("whole.svg"))
        for n in [4, 3, 7] {
            // Given out of order: the merge sorts them by shard.
            let parts = try shards(base, n, prefix: "sim\(n)", in: folder).reversed()
            for format in ["json", "csv", "table"] {
                let out = folder.file("merged\(n).\(format)")
                let run = try runWormwatch(["merge"] + parts + ["--format", format, "--output", out]
                                           + (format == "json" ? ["--plot", folder.file("merged\(n).svg")] : []))
                #expect(run.status == 0, "\(run)")
                #expect(try read(out) == whole[format], "\(n) shards, \(format)")
            }
            #expect(try read(folder.file("merged\(n).svg")) == whole["svg"], "\(n) shards, svg")
        }
    }

    @Test("a 2-parameter sweep: 4 shards merged give the unsharded bytes")
    func sweep() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let base = ["sweep", "small-uniform", "--vary", "worm.probe_rate=5,10,20", "--vary", "host_events.patch_rate_per_hour=0,1",
                    "--runs", "5", "--outcome", "ever_infected"]
        for format in ["json", "csv", "table"] {
            let run = try runWormwatch(base + ["--format", format, "--output", folder.file("whole.\(format)"), "--quiet"])
            #expect(run.status == 0, "\(run)")
        }
        let parts = try shards(base, 4, prefix: "sweep", in: folder)
        for format in ["json", "csv", "table"] {
            let out = folder.file("merged.\(format)")
            let run = try runWormwatch(["merge"] + parts + ["--format", format, "--output", out])
            #expect(run.status == 0, "\(run)")
            #expect(try read(out) == (try read(folder.file("whole.\(format)"))), "\(format)")
        }
    }

    @Test("missing, repeated and mismatched parts, and files that are not parts, exit 65 or 66 with one line saying which")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let base = ["simulate", "small-uniform", "--runs", "6"]
        let parts = try shards(base, 3, prefix: "p", in: folder)
        let other = folder.file("other-2.json")
        #expect(try runWormwatch(base + ["--seed", "2", "--shard", "2/3", "--output", other, "--quiet"]).status == 0)

        let missing = try runWormwatch(["merge", parts[0], parts[2]])
        #expect(missing.status == 65)
        #expect(missing.stderrLines.first == "wormwatch: error: \(parts[0]): 1 of 3 shards is missing: 2/3", "\(missing)")
        let twice = try runWormwatch(["merge", parts[0], parts[1], parts[1], parts[2]])
        #expect(twice.stderrLines.first == "wormwatch: error: \(parts[1]): shard 2/3 is given twice (also \(parts[1]))", "\(twice)")
        let mixed = try runWormwatch(["merge", parts[0], other, parts[2]])
        #expect(mixed.status == 65)
        #expect(mixed.stderrLines.first == "wormwatch: error: \(other): is from another study than \(parts[0]): seed 2, not 1", "\(mixed)")

        let notJSON = folder.file("junk.json")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notJSON))
        let junk = try runWormwatch(["merge", notJSON])
        #expect(junk.status == 65)
        #expect(junk.stderrLines.first == "wormwatch: error: \(notJSON): not a JSON object", "\(junk)")
        let report = folder.file("report.json")
        #expect(try runWormwatch(base + ["--format", "json", "--output", report, "--quiet"]).status == 0)
        let wrong = try runWormwatch(["merge", report])
        #expect(wrong.stderrLines.first == "wormwatch: error: \(report): format is 'wormwatch.simulation/1', not 'wormwatch.partial/1'", "\(wrong)")
        let absent = try runWormwatch(["merge", folder.file("nope.json")])
        #expect(absent.status == 66)
        #expect(absent.stderrLines.first == "wormwatch: error: \(folder.file("nope.json")): cannot read: no such file", "\(absent)")

        // A part whose runs were cut: it no longer holds the runs its number stands for.
        var text = try String(contentsOfFile: parts[2], encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var trimmed = object
        trimmed["runs"] = Array((object["runs"] as? [Any] ?? []).dropLast())
        text = String(decoding: try JSONSerialization.data(withJSONObject: trimmed), as: UTF8.self)
        let cut = folder.file("cut-3.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: cut))
        let short = try runWormwatch(["merge", parts[0], parts[1], cut])
        #expect(short.status == 65)
        #expect(short.stderrLines.first == "wormwatch: error: \(cut): holds runs 4–4 (1), but shard 3/3 of 6 runs is runs 4–5", "\(short)")
    }

    @Test("--shard's own errors: a bad I/N and options a shard does not write exit 64")
    func shardOptions() throws {
        let bad = try wormwatch("simulate", "small-uniform", "--runs", "4", "--shard", "5/4")
        #expect(bad.status == 64)
        #expect(bad.stderrLines.first == "wormwatch: error: --shard: I must be between 1 and N = 4 (got 5)", "\(bad)")
        let form = try wormwatch("sweep", "small-uniform", "--vary", "worm.probe_rate=5", "--shard", "1-4")
        #expect(form.status == 64)
        #expect(form.stderrLines.first == "wormwatch: error: --shard: expected I/N, e.g. 3/8 (got '1-4')", "\(form)")
        let plot = try wormwatch("simulate", "small-uniform", "--runs", "4", "--shard", "1/4", "--plot", "x.svg")
        #expect(plot.status == 64)
        #expect(plot.stderrLines.first?.hasPrefix("wormwatch: error: --plot: not with --shard") == true, "\(plot)")
    }

    /// Runs a shell command line with the given environment; returns its status and stderr.
    func shell(_ line: String, environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("the Slurm array and merge scripts, and the Kubernetes Job's commands, run as their schedulers would run them")
    func schedulers() throws {
        let executable = try #require(wormwatchExecutable)
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let deploy = packageRoot.appendingPathComponent("deploy").path
        let study = ["simulate", "small-uniform", "--runs", "12", "--seed", "3"]
        #expect(try runWormwatch(study + ["--format", "csv", "--output", folder.file("whole.csv"), "--quiet"]).status == 0)

        // Slurm: array tasks 1…4 (SLURM_ARRAY_TASK_ID), then the merge job.
        let slurm = folder.file("slurm")
        for i in 1...4 {
            let (status, err) = try shell("\(deploy)/slurm/wormwatch-array.sbatch 4 \(slurm) " + study.joined(separator: " "),
                                          environment: ["SLURM_ARRAY_TASK_ID": "\(i)", "SLURM_CPUS_PER_TASK": "1", "WORMWATCH": executable.path])
            #expect(status == 0, "\(err)")
        }
        var (status, err) = try shell("\(deploy)/slurm/wormwatch-merge.sbatch 4 \(slurm) result.csv", environment: ["WORMWATCH": executable.path])
        #expect(status == 0, "\(err)")
        #expect(try read(slurm + "/result.csv") == (try read(folder.file("whole.csv"))))
        #expect(FileManager.default.fileExists(atPath: slurm + "/result.csv.svg"))
        // Without a part the merge fails at once (Slurm starts it only after every shard succeeded).
        try FileManager.default.removeItem(atPath: slurm + "/part-2-of-4.json")
        (status, err) = try shell("\(deploy)/slurm/wormwatch-merge.sbatch 4 \(slurm) again.csv", environment: ["WORMWATCH": executable.path])
        #expect(status == 66 && err.contains("merge-shards: 1 of 4 parts missing in \(slurm)"), "\(err)")

        // Kubernetes: the manifest's two commands, with JOB_COMPLETION_INDEX 0…N−1 and the
        // ConfigMap's values in the environment; /results is a local folder here.
        let manifest = try String(contentsOfFile: deploy + "/kubernetes/wormwatch-study.yaml", encoding: .utf8)
        let commands = manifest.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("- exec ") }.map { String($0.dropFirst(2)) }
        #expect(commands.count == 2)
        let shards = try #require(manifest.firstMatch(of: /SHARDS: "(\d+)"/)?.1)
        #expect(manifest.contains("completions: \(shards) "), "the Indexed Job's completions must be the ConfigMap's SHARDS")
        let results = folder.file("results")
        let environment = ["SHARDS": "3", "STUDY": study.joined(separator: " "), "RESULT": "result.csv",
                           "PATH": "\(deploy):\(executable.deletingLastPathComponent().path):/usr/bin:/bin"]
        let merge = commands[1].replacingOccurrences(of: "/results", with: results).replacingOccurrences(of: "--wait 86400", with: "--wait 60")
        // The merge Job starts beside the shards and waits for their parts.
        let merger = Process()
        merger.executableURL = URL(fileURLWithPath: "/bin/sh")
        merger.arguments = ["-c", merge]
        merger.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merger.standardError = FileHandle.nullDevice
        try merger.run()
        for index in 0..<3 {
            let line = commands[0].replacingOccurrences(of: "/results", with: results)
            let (status, err) = try shell(line, environment: environment.merging(["JOB_COMPLETION_INDEX": "\(index)"]) { $1 })
            #expect(status == 0, "\(err)")
        }
        merger.waitUntilExit()
        #expect(merger.terminationStatus == 0)
        #expect(try read(results + "/result.csv") == (try read(folder.file("whole.csv"))))
    }
}

