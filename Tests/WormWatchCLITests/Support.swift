import Foundation
import Testing
import WormWatchTestSupport

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // WormWatchCLITests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The preset names, from the files they are built from (scenarios/*.yaml, sorted).
let presetNames: [String] = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("scenarios").path))
    .map { $0.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() } ?? []

/// The built `wormwatch` executable: `WORMWATCH_EXECUTABLE` if set, else the file named
/// `wormwatch` in the build products folder that holds this test binary (searched upward
/// from the test binary's path, so it works for any `--scratch-path`).
let wormwatchExecutable: URL? = {
    let fm = FileManager.default
    if let path = ProcessInfo.processInfo.environment["WORMWATCH_EXECUTABLE"], fm.isExecutableFile(atPath: path) {
        return URL(fileURLWithPath: path)
    }
    var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL]
    starts += Bundle.allBundles.map(\.bundleURL)
    for start in starts {
        var folder = start.standardizedFileURL
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("wormwatch")
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
    }
    return nil
}()

/// What one run of the executable did.
struct Outcome: CustomStringConvertible {
    var status: Int32
    var stdout: Data
    var stderr: String
    var output: String { String(decoding: stdout, as: UTF8.self) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    var description: String { "status \(status), stderr: \(stderr)" }
}

/// Runs `wormwatch` with `arguments` in `folder`, stdout and stderr captured to files (so a
/// large output cannot fill a pipe and block).
func wormwatch(_ arguments: String..., in folder: URL? = nil) throws -> Outcome {
    try runWormwatch(arguments, in: folder)
}

/// Runs `wormwatch` with an array of arguments.
func runWormwatch(_ arguments: [String], in folder: URL? = nil) throws -> Outcome {
    let executable = try #require(wormwatchExecutable, "no 'wormwatch' next to the test binary \(CommandLine.arguments[0])")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    if let folder { process.currentDirectoryURL = folder }
    try process.run()
    process.waitUntilExit()
    try out.close(); try err.close()
    #expect(process.terminationReason == .exit, "wormwatch \(arguments.joined(separator: " ")) ended by a signal")
    return Outcome(status: process.terminationStatus,
                   stdout: try Data(contentsOf: outURL),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}


/// A tiny valid scenario: 100 hosts in 2^20 addresses.
let tinyScenario = """
    format: wormwatch.scenario/1
    name: tiny
    duration_hours: 0.5
    space:
      bits: 20
      reserved: []
    population:
      size: 100
    worm:
      probe_rate: 10

    """
