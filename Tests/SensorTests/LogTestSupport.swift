import Foundation
@testable import Sensor
import WormWatchCore
import WormWatchTestSupport

/// An observation copied out of the reader's buffers, in readable form for exact asserts.
struct SeenRequest: Equatable, CustomStringConvertible {
    var time: String
    var source: String
    var destination: String
    var port: UInt16
    var method: String
    var target: String
    var input: Int
    var record: Int

    init(_ o: borrowing Observation) {
        time = isoTime(o.timeNanoseconds)
        source = dotted(o.source)
        destination = dotted(o.destination)
        port = o.destinationPort
        method = String(decoding: o.method, as: UTF8.self)
        target = String(decoding: o.target, as: UTF8.self)
        input = o.input
        record = o.record
    }

    init(_ time: String, _ source: String, _ method: String, _ target: String, line: Int,
         destination: String = "0.0.0.0", port: UInt16 = 80, input: Int = 0) {
        self.time = time
        self.source = source
        self.destination = destination
        self.port = port
        self.method = method
        self.target = target
        self.input = input
        self.record = line
    }

    var description: String { "\(record): \(time) \(source) -> \(destination):\(port) \(method) \(target)" }
}

/// `2001-07-19T17:04:12Z`, with `.fraction` when there is one.
func isoTime(_ nanoseconds: Int64) -> String {
    let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
    let fraction = nanoseconds - seconds * 1_000_000_000
    var text = UTCCalendar.iso8601(seconds)
    if fraction != 0 {
        text.removeLast()
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        text += ".\(digits)Z"
    }
    return text
}

func dotted(_ address: UInt32) -> String { IPv4Address(address).description }

/// Everything a reader produced from one input.
struct LogReadResult {
    var requests: [SeenRequest] = []
    var statuses: [Int?] = []
    var userAgents: [String] = []
    var statistics = LogStatistics()
    var skipped = SkippedInput()
    var format: LogFormat?

    var skipMessages: [String] { skipped.examples.map(\.description) }
}

/// Reads `bytes` as a log, in chunks of at most `chunk` bytes.
func readLog(
    _ bytes: [UInt8], path: String = "test.log", format: LogFormat? = nil, chunk: Int = .max,
    lineLimit: Int = 65_536, exampleLimit: Int = 20
) throws(SensorError) -> LogReadResult {
    var reader = LogReader(
        source: MemoryByteSource(bytes, maximumChunk: chunk), path: path, format: format, lineLimit: lineLimit,
        skipped: SkippedInput(exampleLimit: exampleLimit))
    return try collect(&reader)
}

func collect<Source: ByteSource>(_ reader: inout LogReader<Source>) throws(SensorError) -> LogReadResult {
    var result = LogReadResult()
    while let observation = try reader.next() {
        result.requests.append(SeenRequest(observation))
        result.statuses.append(reader.status)
        result.userAgents.append(String(decoding: reader.userAgent, as: UTF8.self))
    }
    result.statistics = reader.statistics
    result.skipped = reader.skipped
    result.format = reader.format
    return result
}

func readLog(_ text: String, path: String = "test.log", format: LogFormat? = nil, chunk: Int = .max)
    throws(SensorError) -> LogReadResult
{
    try readLog(Array(text.utf8), path: path, format: format, chunk: chunk)
}

/// The path of a fixture under `Fixtures/logs/`.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/logs/\(name)").path
}

func fixtureBytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: fixturePath(name))))
}

/// Runs `/bin/gzip` with `arguments`; its standard output.
@discardableResult
func runGzip(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/bin/gzip") ? "/bin/gzip" : "/usr/bin/gzip")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

/// The gzip compression of `bytes` (one member), by `/bin/gzip`.
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("data")
    try Data(bytes).write(to: file)
    return Array(try runGzip(["-c", "-n", file.path]))
}

/// Code Red's request as published in CERT CA-2001-19, and Code Red II's.
enum WormRequests {
    static let shellcode = "%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a"
    static let codeRedQuery = String(repeating: "N", count: 224) + shellcode
    static let codeRedIIQuery = String(repeating: "X", count: 224) + shellcode
    static let codeRed = "/default.ida?" + codeRedQuery
    static let codeRedII = "/default.ida?" + codeRedIIQuery
}
