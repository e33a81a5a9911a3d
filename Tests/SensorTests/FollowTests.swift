import Foundation
import Synchronization
import Testing
import WormWatchTestSupport
@testable import Sensor

/// Following growing files: readers that pause when a source has nothing yet
/// (``ByteSource/pending``) and go on later, and ``SensorScan/follow(idleLimit:pollInterval:onEvent:)``
/// taking several files in turn.
@Suite("Following growing files")
struct FollowTests {
    /// Hands out `bytes` in pieces of `piece` bytes, saying ``ByteSource/pending`` after each
    /// one, then 0 at the end: a file that grows while it is read.
    struct Trickle: ByteSource {
        let bytes: [UInt8]
        let piece: Int
        var position = 0
        var pauseNext = false
        /// How many times it said "nothing yet".
        var pauses = 0

        init(_ bytes: [UInt8], piece: Int) {
            self.bytes = bytes
            self.piece = piece
        }

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
            if pauseNext {
                pauseNext = false
                pauses += 1
                return Self.pending
            }
            let n = min(buffer.count, piece, bytes.count - position)
            guard n > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
            }
            position += n
            pauseNext = true
            return n
        }
    }

    /// Events and counts of one way of reading a log.
    struct LogOutcome: Equatable {
        var events: [SensorEvent] = []
        var observed = 0
        var statistics = LogStatistics()
        var skipped = SkippedInput()
    }

    static func classify<Source: ByteSource>(_ source: Source, calls: inout Int) throws -> LogOutcome {
        var matcher = MatchSupport.matcher()
        var reader = LogReader(source: source, path: "access.log")
        var outcome = LogOutcome()
        calls = 0
        while true {
            calls += 1
            let ended = try reader.classify(with: &matcher, observed: &outcome.observed) { outcome.events.append($0) }
            if ended { break }
        }
        outcome.statistics = reader.statistics
        outcome.skipped = reader.skipped
        return outcome
    }

    @Test("a log read while it grows gives what the whole file gives, lines cut anywhere")
    func logPausesAndResumes() throws {
        for name in ["apache-combined-2001.log", "iis6-w3c.log"] {
            let bytes = try fixtureBytes(name)
            var calls = 0
            let whole = try Self.classify(MemoryByteSource(bytes), calls: &calls)
            #expect(calls == 1)
            #expect(!whole.events.isEmpty, "\(name)")
            for piece in [1, 7, 100, 4096] {
                let trickled = try Self.classify(Trickle(bytes, piece: piece), calls: &calls)
                #expect(trickled == whole, "\(name), \(piece)-byte pieces")
                // One call per pause, and one more for the end.
                #expect(calls == (bytes.count + piece - 1) / piece + 1, "\(name), \(piece)-byte pieces")
            }
        }
    }

    @Test("a capture read while it grows gives what the whole file gives, records cut anywhere")
    func capturePausesAndResumes() throws {
        let request = Array("GET /default.ida?\(String(repeating: "N", count: 224)) HTTP/1.0\r\n\r\n".utf8)
        var records: [Build.Record] = []
        for k in 0..<40 {
            let packet = k % 5 == 0
                ? Build.tcpPacket(ip(10, 0, 0, UInt32(k)), 1234, ip(192, 0, 2, 1), 80, flags: 0x18, payload: request)
                : Build.udpPacket(ip(10, 0, 1, UInt32(k)), 4000, ip(192, 0, 2, 2), 1434, payload: [4, 1, 1, 1])
            records.append(Build.Record(seconds: 995_500_000 + UInt32(k), fraction: 0, data: Build.ethernet(packet)))
        }
        let bytes = Build.pcap(records)
        let whole = try readCapture(bytes)
        #expect(whole.tcp.count == 8 && whole.http.count == 8 && whole.udp.count == 32)
        for piece in [1, 13, 500] {
            var source = Trickle(bytes, piece: piece)
            source.pauseNext = false
            var reader = CaptureReader(source: source, path: "t.pcap")
            var seen: [Seen] = []
            var waits = 0
            while true {
                if let observation = try reader.next() {
                    seen.append(Seen(observation))
                } else if reader.isWaiting {
                    waits += 1
                } else {
                    break
                }
            }
            #expect(seen == whole.seen, "\(piece)-byte pieces")
            #expect(reader.statistics == whole.statistics)
            #expect(waits == (bytes.count + piece - 1) / piece, "\(piece)-byte pieces")
        }
    }

    @Test("following several files reads each one whole, with its own report, as a plain scan does")
    func followSeveralFiles() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("access.log").path
        let iis = folder.appendingPathComponent("u_ex010719.log").path
        let pcap = folder.appendingPathComponent("dark.pcap").path
        let missing = folder.appendingPathComponent("missing").appendingPathComponent("x.log").path
        // The Apache log's last line has no line end yet: it is read as one when following ends.
        var apache = try fixtureBytes("apache-combined-2001.log")
        while apache.last == 10 || apache.last == 13 { apache.removeLast() }
        #expect(FileManager.default.createFile(atPath: log, contents: Data(apache)))
        #expect(FileManager.default.createFile(atPath: iis, contents: Data(try fixtureBytes("iis5-w3c.log"))))
        let syn = Build.tcpPacket(ip(10, 9, 9, 9), 4321, ip(192, 0, 2, 80), 80)
        let capture = Build.pcap((0..<3).map { Build.Record(seconds: 995_500_000 + UInt32($0), fraction: 0, data: Build.ethernet(syn)) })
        #expect(FileManager.default.createFile(atPath: pcap, contents: Data(capture)))

        let paths = [log, iis, pcap, missing]
        var plain = try SensorScan(paths: paths, rules: .default)
        var plainEvents: [SensorEvent] = []
        let plainReports = plain.run { plainEvents.append($0) }
        var followed = try SensorScan(paths: paths, rules: .default)
        var followedEvents: [SensorEvent] = []
        let started = Date()
        let reports = followed.follow(idleLimit: 0.3, pollInterval: 0.05) { followedEvents.append($0) }
        let elapsed = Date().timeIntervalSince(started)

        #expect(followedEvents == plainEvents)
        #expect(reports.map(\.name) == paths)
        #expect(reports.map(\.kind) == ["apache", "iis-w3c", "pcap", "log"])
        #expect(reports.map(\.records) == plainReports.map(\.records).prefix(3) + [0])
        #expect(reports.map(\.events) == plainReports.map(\.events).prefix(3) + [0])
        #expect(reports.map(\.observations) == [plainReports[0].observations, plainReports[1].observations, 3, 0])
        #expect(reports.allSatisfy { $0.error == nil }, "\(reports)")
        #expect(reports.map(\.skipped).prefix(3) == plainReports.map(\.skipped).prefix(3))
        #expect(reports[1].skipped.count == 1 && reports[3].skipped.isEmpty)
        #expect(plainReports[3].error != nil)  // a plain scan cannot open it; following waits for it
        #expect(followed.matcher.statistics == plain.matcher.statistics)
        // It stopped once all four had been quiet for the idle limit, not before.
        #expect(elapsed >= 0.3 && elapsed < 30)  // the upper bound only catches a follow that never stops
    }
}

/// The scan as a library call from async code: the same outcome, and a follow that can be
/// cancelled (it would otherwise wait for ever).
@Suite("Scan from async code")
struct AsyncScanTests {
    @Test("an async scan gives what a synchronous one gives")
    func sameOutcome() async throws {
        let request = ScanRequest(paths: [fixturePath("apache-combined-2001.log")], collectSeries: true)
        var scan = try SensorScan(request)
        let sync = scan.run(request, cancellation: nil) { _ in }
        let events = Mutex<[SensorEvent]>([])
        let async = try await SensorScan.run(request) { event in events.withLock { $0.append(event) } }
        #expect(async.summary.families == sync.summary.families)
        #expect(async.series?.rows == sync.series?.rows)
        #expect(events.withLock { $0.count } == sync.summary.totalEvents && sync.summary.totalEvents > 0)
        #expect(!async.cancelled && async.exitStatus == sync.exitStatus)
    }

    @Test("cancelling the task ends a follow that has no idle timeout")
    func cancelFollow() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("access.log", String(decoding: try fixtureBytes("apache-combined-2001.log"), as: UTF8.self))
        let request = ScanRequest(paths: [path], follow: true)
        let seen = Mutex(0)
        let task = Task { try await SensorScan.run(request) { _ in seen.withLock { $0 += 1 } } }
        // Cancel once the follow has read the file (and is waiting for more).
        let deadline = ContinuousClock.now + .seconds(30)
        while seen.withLock({ $0 }) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        let outcome = try await task.value
        // Without the cancel it would wait for ever; the bound is loose so a loaded machine passes.
        #expect(ContinuousClock.now - cancelled < .seconds(30))
        #expect(outcome.cancelled)
        #expect(outcome.inputs.first?.records ?? 0 > 0)
    }
}
