import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Synchronization
import WormWatchCore

extension Advisory {
    /// The advisory as the `wormwatch.advisory/1` JSON document webhooks receive.
    public var json: String {
        var w = JSONWriter(pretty: false)
        w.openObject()
        w.string("format", "wormwatch.advisory/1")
        w.string("id", id)
        w.string("family", family)
        w.string("time", UTCCalendar.iso8601(nanoseconds: timeNanoseconds))
        w.string("level", level.rawValue)
        w.string("previous", previous.rawValue)
        w.string("title", title)
        w.openArray("paragraphs")
        for p in paragraphs { w.string(nil, p) }
        w.closeArray()
        w.openArray("actions")
        for a in actions { w.string(nil, a) }
        w.closeArray()
        w.closeObject()
        return w.text
    }
}

/// Posts advisories to configured URLs, each at least once, signed so the receiver can tell
/// they came from this center.
///
/// Each POST carries the advisory's JSON (`wormwatch.advisory/1`) and the headers
/// - `X-WormWatch-Delivery`: the advisory's id (stable: a receiver drops repeats by it);
/// - `X-WormWatch-Timestamp`: seconds since 1970 when it was signed;
/// - `X-WormWatch-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the shared secret,
///   of `TIMESTAMP.BODY` (the timestamp, a dot, the body's bytes) — see ``signature(secret:timestamp:body:)``.
///
/// A delivery that fails (no answer, or anything but 2xx) is retried with exponential backoff
/// (1 s, 2 s, 4 s … at most 5 minutes between tries) until it succeeds. Which advisories were
/// delivered is kept in memory: after a restart they are sent again (at least once, not
/// exactly once).
public final class AdvisoryWebhook: Sendable {
    /// The receiver.
    public let url: String
    let secret: SymmetricKey
    let client: HTTPClient
    let now: @Sendable () -> Int64
    private struct Pending { var advisory: Advisory; var attempts: Int; var due: Int64 }
    private struct State { var delivered: Set<String> = []; var pending: [String: Pending] = [:] }
    private let state = Mutex(State())

    /// The longest wait between two tries.
    public static let maximumBackoffSeconds: Int64 = 300

    /// A webhook to `url` signing with `secret`.
    public init(url: String, secret: String, now: @escaping @Sendable () -> Int64) {
        self.url = url
        self.secret = SymmetricKey(data: Array(secret.utf8))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(30))))
        self.now = now
    }

    /// The signature header's value for a body signed at `timestamp`: `sha256=` and the hex
    /// HMAC-SHA256 of `TIMESTAMP.BODY`.
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        var message = Array(String(timestamp).utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return "sha256=" + Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// Queues the advisories not delivered or queued yet.
    public func offer(_ advisories: [Advisory]) {
        let clock = now()
        state.withLock { s in
            for a in advisories where !s.delivered.contains(a.id) && s.pending[a.id] == nil {
                s.pending[a.id] = Pending(advisory: a, attempts: 0, due: clock)
            }
        }
    }

    /// Advisories delivered so far, by id.
    public var delivered: Set<String> { state.withLock { $0.delivered } }
    /// Advisories waiting for a (next) try.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Tries every delivery that is due, oldest advisory first; returns how many succeeded.
    @discardableResult
    public func deliverDue() async -> Int {
        let clock = now()
        let due = state.withLock { s in
            s.pending.values.filter { $0.due <= clock }.map(\.advisory).sorted { ($0.timeNanoseconds, $0.id) < ($1.timeNanoseconds, $1.id) }
        }
        var succeeded = 0
        for advisory in due {
            let ok = await post(advisory)
            state.withLock { s in
                if ok {
                    s.pending[advisory.id] = nil
                    s.delivered.insert(advisory.id)
                } else if var p = s.pending[advisory.id] {
                    p.attempts += 1
                    let wait = min(Int64(1) << min(p.attempts - 1, 20), Self.maximumBackoffSeconds)
                    p.due = now() + wait * 1_000_000_000
                    s.pending[advisory.id] = p
                }
            }
            if ok { succeeded += 1 }
        }
        return succeeded
    }

    func post(_ advisory: Advisory) async -> Bool {
        let body = Array(advisory.json.utf8)
        let timestamp = now() / 1_000_000_000
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "wormwatch-watch-center")
        request.headers.add(name: "X-WormWatch-Delivery", value: advisory.id)
        request.headers.add(name: "X-WormWatch-Timestamp", value: String(timestamp))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(String(timestamp).utf8) + [UInt8(ascii: ".")] + body, using: secret)
        request.headers.add(name: "X-WormWatch-Signature", value: "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined())
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try? await response.body.collect(upTo: 1 << 16)
            return (200..<300).contains(response.status.code)
        } catch {
            return false
        }
    }

    /// Closes the HTTP client.
    public func shutdown() async { try? await client.shutdown() }
}
