import Foundation
import Testing

/// The outside tools the capture cross-checks call (Debian: tcpdump, tshark, wireshark-common).
///
/// A cross-check runs wherever its tools are installed, and always when CI=true: .ci/run
/// installs them there, so a missing tool fails the test rather than skipping it. On a machine
/// with only the Swift toolchain the test is skipped, with the reason shown.
public enum ExternalTool {
    public static let tcpdump = "/usr/bin/tcpdump"
    public static let tshark = "/usr/bin/tshark"
    public static let capinfos = "/usr/bin/capinfos"
    public static let chromium = "/usr/bin/chromium"

    /// Whether CI=true is set (where .ci/run has installed every tool).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether a test that needs `tools` runs here: they are all installed, or this is CI.
    public static func runs(_ tools: String...) -> Bool {
        isCI || tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool; the test fails (does not skip) if the tool is missing.
    public static func run(_ path: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("\(path) is missing: install it (Debian: apt-get install tcpdump tshark) to run the capture cross-checks",
                         sourceLocation: sourceLocation)
            return (-1, "", "")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the tool.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
