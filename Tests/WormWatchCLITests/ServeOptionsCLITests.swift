import Foundation
import Testing
import WormWatchTestSupport

@Suite("wormwatch serve: webhook and demo options")
struct ServeOptionsCLITests {
    @Test("a webhook needs a secret from a file or the environment, never the command line; bad URLs and speeds exit 64")
    func refused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let noSecret = try wormwatch("serve", "--webhook", "http://127.0.0.1:9/hook", "--data", folder.url.path)
        #expect(noSecret.status == 64)
        #expect(noSecret.stderrLines.first?.contains("--webhook: give the shared secret (16 characters or more) in --webhook-secret-file or WORMWATCH_WEBHOOK_SECRET") == true, "\(noSecret)")
        let short = try folder.write("short.secret", "tooshort\n")
        let shortSecret = try wormwatch("serve", "--webhook", "http://127.0.0.1:9/hook", "--webhook-secret-file", short)
        #expect(shortSecret.status == 64)
        #expect(shortSecret.stderrLines.first?.contains("the secret is shorter than 16 characters") == true, "\(shortSecret)")
        let badURL = try wormwatch("serve", "--webhook", "ftp://example/hook")
        #expect(badURL.status == 64)
        #expect(badURL.stderrLines.first?.contains("--webhook: 'ftp://example/hook' is not an http:// or https:// URL") == true, "\(badURL)")
        let speed = try wormwatch("serve", "--demo", "--demo-speed", "fast")
        #expect(speed.status == 64)
        #expect(speed.stderrLines.first?.contains("--demo-speed: 'fast' is not a positive number or max") == true, "\(speed)")
        let both = try wormwatch("serve", "--demo", "--data", folder.url.path)
        #expect(both.status == 64)
        #expect(both.stderrLines.first?.contains("--demo: the demo keeps its data in a temporary folder") == true, "\(both)")
    }
}
