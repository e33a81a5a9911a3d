import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import WatchCenter
import WatchCenterServer
import WatchCenterTestSupport
import WormWatchCore
import WormWatchTestSupport

/// Advisories POSTed to a local receiver: signed, retried after a failure, each delivered once
/// in the end.
@Suite struct WebhookTests {
    struct Received: Sendable { var delivery: String; var timestamp: String; var signature: String; var body: [UInt8] }

    @Test func advisoriesReachALocalReceiverSignedAndRetried() async throws {
        let secret = "a-shared-secret-of-some-length"
        let received = Mutex<[Received]>([])
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let r = Received(
                delivery: request.headers[HTTPField.Name("X-WormWatch-Delivery")!] ?? "",
                timestamp: request.headers[HTTPField.Name("X-WormWatch-Timestamp")!] ?? "",
                signature: request.headers[HTTPField.Name("X-WormWatch-Signature")!] ?? "",
                body: Array(body.readableBytesView))
            // The first delivery fails: the sender must try again.
            let first = received.withLock { list -> Bool in list.append(r); return list.count == 1 }
            return Response(status: first ? .internalServerError : .ok)
        }
        let receiver = Application(router: router)
        let feed = try CodeRedFeed()
        try await receiver.test(.live) { client in
            let port = try #require(client.port)
            try await StoreFixture.with(.sqlite) { f in
                let sensor = try await Make.sensor(f.store, "lbnl", monitors: CodeRedFeed.monitor)
                for (i, batch) in OutbreakFeed.batches(feed.intervals, family: "codered-v2").enumerated() {
                    try await Make.ingest(f.store, batch, sensor: sensor, key: "b\(i)")
                }
                let advisories = try await Self.advisories(f.store)
                #expect(advisories.count >= 2)
                let clock = Mutex<Int64>(Make.now)
                let hook = AdvisoryWebhook(url: "http://127.0.0.1:\(port)/hook", secret: secret, now: { clock.withLock { $0 } })
                hook.offer(advisories)
                #expect(hook.pendingCount == advisories.count)
                // First pass: the first POST fails (500), the others succeed.
                #expect(await hook.deliverDue() == advisories.count - 1)
                #expect(hook.pendingCount == 1)
                // Not due again before its backoff (1 s) has passed.
                #expect(await hook.deliverDue() == 0)
                clock.withLock { $0 += 1_000_000_000 }
                #expect(await hook.deliverDue() == 1)
                #expect(hook.delivered == Set(advisories.map(\.id)))
                // Offering the same advisories again sends nothing.
                hook.offer(advisories)
                #expect(hook.pendingCount == 0)
                await hook.shutdown()

                let list = received.withLock { $0 }
                #expect(list.count == advisories.count + 1)
                #expect(list[0].delivery == list.last?.delivery, "the failed one was retried")
                #expect(Set(list.map(\.delivery)) == Set(advisories.map(\.id)))
                for r in list {
                    // The receiver checks the signature with the shared secret.
                    let timestamp = try #require(Int64(r.timestamp))
                    #expect(r.signature == AdvisoryWebhook.signature(secret: secret, timestamp: timestamp, body: r.body))
                    let key = SymmetricKey(data: Array(secret.utf8))
                    let mac = try #require(Data(hexString: String(r.signature.dropFirst("sha256=".count))))
                    #expect(HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(r.timestamp.utf8) + [UInt8(ascii: ".")] + r.body, using: key))
                    #expect(AdvisoryWebhook.signature(secret: "another-secret-entirely", timestamp: timestamp, body: r.body) != r.signature)
                    // And so does an independent implementation: the README's Python check.
                    let folder = try TemporaryFolder()
                    defer { folder.cleanUp() }
                    let bodyPath = folder.url.appendingPathComponent("body").path
                    try Data(r.body).write(to: URL(fileURLWithPath: bodyPath))
                    let python = try ExternalTool.run("/usr/bin/env", [
                        "python3", "-c",
                        "import hmac, hashlib, sys; body = open(sys.argv[3], 'rb').read(); print('sha256=' + hmac.new(sys.argv[1].encode(), sys.argv[2].encode() + b'.' + body, hashlib.sha256).hexdigest())",
                        secret, r.timestamp, bodyPath,
                    ])
                    #expect(python.stdout == r.signature + "\n", "\(python.stderr)")
                    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
                    #expect(json["format"] as? String == "wormwatch.advisory/1")
                    #expect(json["id"] as? String == r.delivery)
                }
            }
        }
    }

    static func advisories<S: ObservationStore>(_ store: S) async throws -> [Advisory] {
        let center = WatchCenterApp(store: store, configuration: CenterConfiguration(), now: { Make.now })
        return try await center.advisories()
    }
}

extension Data {
    init?(hexString: String) {
        var bytes: [UInt8] = []
        var chars = Array(hexString.utf8)
        guard chars.count % 2 == 0 else { return nil }
        while !chars.isEmpty {
            guard let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(b)
            chars.removeFirst(2)
        }
        self.init(bytes)
    }
}
