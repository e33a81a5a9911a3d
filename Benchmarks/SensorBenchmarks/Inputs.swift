// The sensor benchmarks' inputs, made in a temporary directory during setup, read into
// memory, and removed: the same generators scripts/bench-sensor uses, at sizes that take
// 0.1 to 1 s per iteration.
import Emitters
import Foundation
import Outbreak
import OutbreakScenarios
import Sensor

enum Inputs {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository's root: this file is Benchmarks/SensorBenchmarks/Inputs.swift.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wormwatch-benchmarks-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    static func contents(of file: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: file))
    }

    /// About `bytes` bytes of Benchmarks/sensor/make-apache-log.py's Apache combined log, seed 1.
    static func apacheLog(bytes: Int) throws -> [UInt8] {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("access.log")
            let script = repositoryRoot.appendingPathComponent("Benchmarks/sensor/make-apache-log.py")
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.standardError = FileHandle.nullDevice
            python.arguments = ["python3", script.path, file.path, String(bytes), "1"]
            try python.run()
            python.waitUntilExit()
            guard python.terminationStatus == 0 else {
                throw Failure(description: "\(script.path) exited with status \(python.terminationStatus)")
            }
            return try contents(of: file)
        }
    }

    /// The pcap examples/telescope-16.yaml's telescope records in one run (seed 1): Code Red
    /// v2's day seen by a /16, every probe a TCP SYN to port 80.
    static func telescopeCapture() throws -> [UInt8] {
        let scenario = try ScenarioFile.load(path: repositoryRoot.appendingPathComponent("examples/telescope-16.yaml").path)
        let record = try ExactEngine(scenario: scenario).run(seed: 1, options: EngineOptions(keepProbes: true))
        guard let telescope = record.monitorNames.firstIndex(of: "telescope"), record.probes.indices.contains(telescope) else {
            throw Failure(description: "telescope-16.yaml's run kept no probes for the monitor 'telescope'")
        }
        return try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("telescope-16.pcap")
            try ProbeEmitter.writeCapture(
                record.probes[telescope], startTime: record.startTime, signature: .codeRedI, to: file.path)
            return try contents(of: file)
        }
    }

    /// Fails the setup unless the scan read records, skipped none, and (if `needEvents`) found
    /// events: a benchmark of an input that is not read as meant measures nothing.
    static func check(_ figures: ScanFigures, _ what: String, needEvents: Bool = true) throws {
        guard figures.records > 0, figures.skipped == 0, !needEvents || figures.events > 0 else {
            throw Failure(description: "\(what): \(figures.records) records, \(figures.skipped) skipped, \(figures.events) events")
        }
    }
}
