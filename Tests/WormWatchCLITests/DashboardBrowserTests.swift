import Foundation
import Testing
import WormWatchTestSupport

/// `wormwatch serve --demo` in a real headless Chromium: the page renders its charts, updates
/// itself from server-sent events while it stays open, and the level it shows changes from
/// quiet to active as the replay goes on.
@Suite("The dashboard in a browser")
struct DashboardBrowserTests {
    static func dom(_ url: String) throws -> String {
        let r = try ExternalTool.run(ExternalTool.chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    static func level(_ dom: String) -> String? {
        guard let r = dom.range(of: #"class="overall" data-level="[a-z]+""#, options: .regularExpression) else { return nil }
        return dom[r].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    @Test(.enabled(if: ExternalTool.runs(ExternalTool.chromium), "needs Chromium (Debian: apt-get install chromium)"))
    func demoGoesActiveInTheBrowser() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // At 300× the alarm comes about 18 s after the start.
        let center = try CenterProcess.start(["--demo", "--demo-speed", "300"], in: folder.url)
        defer { center.stop(SIGINT) }
        let first = try Self.dom(center.url + "/")
        let before = try #require(Self.level(first), "no level in \(first.prefix(500))")
        #expect(before == "quiet", "the replay had just begun: \(before)")
        #expect(first.contains("WormWatch Watch Center"))
        // The page left open: scripts/browser-watch loads it once and reads it every second
        // through the DevTools protocol. It must change itself from the server-sent events —
        // sources seen, updates counted, the level from quiet to active — in the same document
        // (the mark set at the first reading stays), never reloaded.
        let expression = """
            (window.wormwatchMark ??= Math.random(), {mark: window.wormwatchMark, level: document.querySelector(".overall")?.dataset.level ?? null,
             updates: Number(document.body.dataset.updates || 0), seen: document.querySelector("dl dd")?.textContent ?? "0"})
            """
        let script = packageRoot.appendingPathComponent("scripts/browser-watch").path
        let watch = try ExternalTool.run("/usr/bin/env", ["python3", script, center.url + "/", "240", expression, #""active""#])
        #expect(watch.status == 0, "\(watch.stderr)")
        let readings = watch.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["value"] as? [String: Any]
        }
        let levels = readings.compactMap { $0["level"] as? String }
        #expect(levels.first == "quiet" && levels.last == "active", "\(levels)")
        #expect(Set(readings.compactMap { $0["mark"] as? Double }).count == 1, "one document, not reloaded")
        let updates = readings.compactMap { $0["updates"] as? Int }
        #expect(zip(updates, updates.dropFirst()).allSatisfy { $0 <= $1 } && (updates.last ?? 0) >= 3, "\(updates)")
        let seen = readings.compactMap { ($0["seen"] as? String).flatMap { Int($0.filter(\.isNumber)) } }
        #expect((seen.last ?? 0) > (seen.first ?? 0), "\(seen)")

        var dom = first
        let deadline = Date().addingTimeInterval(240)
        while Self.level(dom) != "active", Date() < deadline {
            Thread.sleep(forTimeInterval: 2)
            dom = try Self.dom(center.url + "/")
        }
        #expect(Self.level(dom) == "active")
        // The family's charts: two SVGs, the infected hosts with the estimate, and the advisory.
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 2)
        #expect(dom.contains("Infected hosts"))
        #expect(dom.contains("infected (true, replay)"), "the demo draws the replay's truth")
        #expect(!dom.contains("Forecast of the final size, as it was made") || dom.contains("final size (true, replay)"))
        #expect(dom.contains("Code Red (codered-v2) has gone active"))
        #expect(dom.contains("<td>ucsd-8</td>"))
        // A screenshot of the alarm.
        let png = folder.url.appendingPathComponent("dashboard.png").path
        let shot = try ExternalTool.run(ExternalTool.chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,1400", "--screenshot=\(png)", center.url + "/",
        ])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 20_000)
    }
}
