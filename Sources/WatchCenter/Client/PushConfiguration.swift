import Foundation
import WormWatchCore

/// Where and how a sensor pushes: the center's URL, its token, the spool folder, batch size
/// and timing.
public struct PushConfiguration: Sendable {
    /// The ingest URL (`http://host:port/api/v1/observations`).
    public var url: String
    /// The sensor's token.
    public var token: SensorToken
    /// Where batches wait until the center has acknowledged them.
    public var spoolFolder: String
    /// Lines per batch.
    public var batchLines: Int
    /// A partial batch is sealed and sent after this long (so a quiet --follow still reports).
    public var flushInterval: Duration
    /// The longest wait between retries.
    public var maxBackoff: Duration

    /// The ingest path on a center.
    public static let ingestPath = "/api/v1/observations"

    /// A configuration from the command line's words: `--push URL` (a center's base URL, or its
    /// ingest URL) and the token; the spool defaults to `wormwatch-spool/<token hash prefix>`,
    /// one folder per sensor, so that two sensors never send each other's batches.
    public init(
        push: String, token: SensorToken, spoolRoot: String? = nil, batchLines: Int = 1_000, flushInterval: Duration = .seconds(2),
        maxBackoff: Duration = .seconds(30)
    ) throws(RequestError) {
        guard let c = URLComponents(string: push), c.scheme == "http" || c.scheme == "https", let host = c.host, !host.isEmpty else {
            throw RequestError(setting: "push", subject: push, reason: "not an http:// or https:// URL of a Watch Center", hint: "--push http://127.0.0.1:8080")
        }
        var path = c.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix(Self.ingestPath) { path += Self.ingestPath }
        var fixed = c
        fixed.path = path
        fixed.query = nil
        url = fixed.string ?? push
        guard !token.text.isEmpty, token.text.utf8.count <= 256, token.text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw RequestError(setting: "token_file", reason: "the token is empty or not printable ASCII")
        }
        self.token = token
        spoolFolder = (spoolRoot ?? "wormwatch-spool") + "/" + String(token.hash.prefix(12))
        guard (1...100_000).contains(batchLines) else {
            throw RequestError(setting: "batch_lines", reason: "\(batchLines) is not between 1 and 100000")
        }
        self.batchLines = batchLines
        self.flushInterval = flushInterval
        self.maxBackoff = maxBackoff
    }

    /// Reads a token: from `file` if given (first line, trimmed), else from `environment`'s
    /// WORMWATCH_TOKEN. Never from the command line, where other users could read it.
    public static func token(file: String?, environment: [String: String]) throws(RequestError) -> SensorToken {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RequestError(setting: "token_file", subject: file, reason: "cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map {
                String($0).trimmingCharacters(in: .whitespaces)
            } ?? ""
            guard !text.isEmpty else { throw RequestError(setting: "token_file", subject: file, reason: "is empty") }
            return SensorToken(text: text)
        }
        guard let text = environment["WORMWATCH_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw RequestError(
                setting: "token_file", reason: "pushing needs the sensor's token: --token-file FILE or the WORMWATCH_TOKEN environment variable",
                hint: "wormwatch sensor add NAME --monitors PREFIX > NAME.token")
        }
        return SensorToken(text: text)
    }
}
