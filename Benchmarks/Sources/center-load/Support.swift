import AsyncHTTPClient
import Foundation
import NIOCore
import WatchCenter

/// Fails with a one-line message (exit 64 for usage, 69 for a service that did not answer).
struct Failure: Error, CustomStringConvertible {
    let description: String
    let status: Int32

    init(_ description: String, status: Int32 = 64) {
        self.description = description
        self.status = status
    }
}

/// `--key value` options and bare words.
struct Options {
    var values: [String: String] = [:]
    var words: [String] = []

    /// `--data DIR` or `--database URL`, else a usage failure.
    func store(usage: String) throws -> StoreLocation {
        if let folder = string("data") { return .folder(folder) }
        if let url = string("database") { return .postgres(url) }
        throw Failure(usage)
    }

    init(_ arguments: ArraySlice<String>) throws {
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let a = arguments[i]
            if a.hasPrefix("--") {
                guard i + 1 < arguments.endIndex else { throw Failure("\(a) needs a value") }
                values[String(a.dropFirst(2))] = arguments[i + 1]
                i += 2
            } else {
                words.append(a)
                i += 1
            }
        }
    }

    func string(_ key: String) -> String? { values[key] }

    func int(_ key: String, _ fallback: Int) throws -> Int {
        guard let text = values[key] else { return fallback }
        guard let v = Int(text.replacingOccurrences(of: "_", with: "")), v >= 0 else { throw Failure("--\(key): '\(text)' is not a whole number") }
        return v
    }

    func double(_ key: String, _ fallback: Double) throws -> Double {
        guard let text = values[key] else { return fallback }
        guard let v = Double(text), v >= 0 else { throw Failure("--\(key): '\(text)' is not a number") }
        return v
    }
}

/// Loopback only: the generator refuses any other host.
enum Loopback {
    static func check(_ url: String) throws -> String {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw Failure("'\(url)' is not an http:// URL")
        }
        let allowed = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        guard allowed else { throw Failure("'\(host)' is not a loopback address: center-load sends to 127.0.0.0/8, ::1 or localhost only") }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// Latencies in seconds, and their percentiles (nearest rank).
struct Latencies {
    var values: [Double] = []

    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }

    var max: Double { values.max() ?? .nan }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func ms(_ s: Double) -> String { String(format: "%.2f", s * 1000) }

func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// One HTTP client for the run: up to `connections` connections to the server.
func makeClient(connections: Int) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(600))
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}
