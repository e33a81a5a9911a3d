import Foundation
import Testing
import WormWatchTestSupport

/// A `wormwatch serve` process for the tests that need a real server: kill -9, restarts,
/// slow clients, two servers on one database.
final class CenterProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let folder: URL
    let arguments: [String]

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `wormwatch serve ARGUMENTS --port PORT` (0: any free port) and waits until it
    /// listens.
    static func start(_ arguments: [String], port: Int = 0, in folder: URL) throws -> CenterProcess {
        let executable = try #require(wormwatchExecutable, "no 'wormwatch' next to the test binary")
        let log = folder.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", String(port)] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let chosen = Int(text[range].split(separator: ":").last ?? "")
            {
                return CenterProcess(process: process, port: chosen, folder: folder, arguments: arguments)
            }
            if !process.isRunning {
                Issue.record("wormwatch serve ended: \(text)")
                throw CancellationError()
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        Issue.record("wormwatch serve did not start within 30 s")
        throw CancellationError()
    }

    private init(process: Process, port: Int, folder: URL, arguments: [String]) {
        self.process = process
        self.port = port
        self.folder = folder
        self.arguments = arguments
    }

    /// Sends a signal and waits for the process to end; its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The same server again on the same port.
    func restart() throws -> CenterProcess {
        try CenterProcess.start(arguments, port: port, in: folder)
    }
}

/// What curl got.
struct CurlResult {
    var status: Int
    var body: String
    var seconds: Double
}

enum Curl {
    static let path = "/usr/bin/curl"

    /// Runs curl with `arguments` (the URL among them); the HTTP status and body.
    static func run(_ arguments: [String]) throws -> CurlResult {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let bodyFile = folder.file("body")
        let started = Date()
        let r = try ExternalTool.run(path, ["-s", "-o", bodyFile, "-w", "%{http_code}"] + arguments)
        let body = (try? String(contentsOfFile: bodyFile, encoding: .utf8)) ?? ""
        return CurlResult(status: Int(r.stdout) ?? 0, body: body, seconds: Date().timeIntervalSince(started))
    }

    static func get(_ url: String) throws -> CurlResult { try run([url]) }

    static func json(_ url: String) throws -> [String: Any] {
        let r = try get(url)
        #expect(r.status == 200, "\(url): \(r.status) \(r.body)")
        return (try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any] ?? [:]
    }

    /// POSTs a batch from a file.
    static func post(_ url: String, file: String, token: String, key: String, extra: [String] = []) throws -> CurlResult {
        try run(extra + [
            "-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Idempotency-Key: \(key)", "-H", "Content-Type: application/x-ndjson",
            "--data-binary", "@" + file, url + "/api/v1/observations",
        ])
    }
}

/// Test data for the center.
enum CenterData {
    /// `count` Code Red I requests in an Apache combined log, from `sources` distinct addresses,
    /// one a second from 2001-07-19T10:00:00Z.
    static func codeRedLog(count: Int, sources: Int) -> String {
        var text = ""
        let request = "GET /default.ida?" + String(repeating: "N", count: 224) + "%u9090%u6858%ucbd3%u7801%u9090=a HTTP/1.0"
        for i in 0..<count {
            let s = i % sources
            let address = "12.\(s / 62_500 % 250).\(s / 250 % 250).\(s % 250 + 1)"
            let t = 36_000 + i
            text += String(format: "%@ - - [19/Jul/2001:%02d:%02d:%02d +0000] \"%@\" 404 1234 \"-\" \"-\"\n", address, t / 3600 % 24, t / 60 % 60, t % 60, request)
        }
        return text
    }

    /// A batch of `count` wormwatch.event/1 lines, sources `first`..<first+distinct.
    static func events(count: Int, distinct: Int, first: Int = 0, minuteOffset: Int = 0) -> String {
        var text = ""
        for i in 0..<count {
            let s = first + i % distinct
            let t = 36_000 + minuteOffset * 60 + i % 3_600
            text += #"{"format":"wormwatch.event/1","time":"2001-07-19T\#(String(format: "%02d:%02d:%02d", t / 3600 % 24, t / 60 % 60, t % 60))Z","source":"13.\#(s / 65_536 % 256).\#(s / 256 % 256).\#(s % 256)","destination":"44.0.0.1","destination_port":80,"protocol":"tcp","family":"code-red-i","rule":"code-red-i","severity":"high","evidence":"/default.ida?NNNN","input":"access.log","line":\#(i + 1)}"# + "\n"
        }
        return text
    }
}
