import Testing
import WormWatchCore
@testable import Sensor

/// The Apache fast path (``LogReader/classify(with:emit:)``, which turns ordinary requests
/// away in ``ApacheLineParser/gate(_:_:)`` before building observations) against the plain
/// one (``LogReader/next()`` and ``Matcher/observe(_:emit:)`` for every request): the same
/// events, statistics, skipped lines and matcher counters, line for line.
@Suite("Apache fast path")
struct LogGateTests {
    /// What one way of reading produced.
    struct Outcome: Equatable {
        var events: [SensorEvent] = []
        var observed = 0
        var statistics = LogStatistics()
        var skipped = SkippedInput()
        var matcher = Matcher.Statistics()
        /// Why reading stopped, if it did.
        var failure = ""
    }

    static func plain(_ bytes: [UInt8], chunk: Int = .max, format: LogFormat? = nil) -> Outcome {
        var matcher = MatchSupport.matcher()
        var reader = LogReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "access.log", format: format)
        var outcome = Outcome()
        do {
            while let observation = try reader.next() {
                outcome.observed += 1
                matcher.observe(observation) { outcome.events.append($0) }
            }
        } catch {
            outcome.failure = error.description
        }
        outcome.statistics = reader.statistics
        outcome.skipped = reader.skipped
        outcome.matcher = matcher.statistics
        return outcome
    }

    static func fast(_ bytes: [UInt8], chunk: Int = .max, format: LogFormat? = nil) -> Outcome {
        var matcher = MatchSupport.matcher()
        var reader = LogReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "access.log", format: format)
        var outcome = Outcome()
        do {
            try reader.classify(with: &matcher, observed: &outcome.observed) { outcome.events.append($0) }
        } catch {
            outcome.failure = error.description
        }
        outcome.statistics = reader.statistics
        outcome.skipped = reader.skipped
        outcome.matcher = matcher.statistics
        return outcome
    }

    /// What the gate says of each line of `text` once the format is known.
    static func gateResults(_ lines: [String]) -> [ApacheLineParser.GateResult] {
        var parser = ApacheLineParser()
        let gate = MatchSupport.matcher().httpGate
        return lines.map { line in
            Array(line.utf8).withUnsafeBytes { parser.gate($0, gate) }
        }
    }

    static let time = "[19/Jul/2001:10:04:12 -0700]"

    static func line(_ host: String, _ request: String, tail: String = " 404 312 \"-\" \"-\"") -> String {
        "\(host) - - \(time) \"\(request)\"\(tail)"
    }

    @Test("ordinary requests are turned away, worm requests and odd lines are parsed in full")
    func gateDecisions() {
        let lines = [
            Self.line("192.0.2.7", "GET /index.html HTTP/1.1"),                        // rejected
            Self.line("192.0.2.7", "GET /download/setup.exe HTTP/1.0"),                // `.exe`, but no rule's suffix
            Self.line("192.0.2.7", "GET /scripts/ROOT.EXE HTTP/1.0"),                  // Nimda's root.exe, any case
            Self.line("192.0.2.7", "GET /default.IDA?NNNN HTTP/1.0"),                  // Code Red's handler
            Self.line("192.0.2.7", "GET /files/report%202001.pdf HTTP/1.0"),           // decoded, harmless
            Self.line("192.0.2.7", "GET /search?q=%2e%2e/cmd.exe HTTP/1.0"),           // escapes only in the query
            Self.line("192.0.2.7", "GET /a/../b.html HTTP/1.0"),                       // `..`
            Self.line("www.example.com", "GET /index.html HTTP/1.1"),                  // resolved by name
            Self.line("256.1.2.3", "GET /index.html HTTP/1.1"),                        // not an address
            Self.line("::ffff:1.2.3.4", "GET /index.html HTTP/1.1"),                    // IPv4-mapped
            Self.line("192.0.2.7", "GET /say \\\"hi\\\" HTTP/1.1"),                    // escaped quote
            Self.line("192.0.2.7", "-"),                                               // no request
            "192.0.2.7 - - \(Self.time) \"GET / HTTP/1.0\" 200",                       // short line
        ]
        #expect(Self.gateResults(lines) == [
            .rejected, .rejected, .parseInFull, .parseInFull, .rejectedDecoded, .rejected, .parseInFull,
            .rejectedUnresolved, .rejectedUnresolved, .rejected, .parseInFull, .parseInFull, .parseInFull,
        ])
    }

    @Test("a path with escapes is turned away only if decoding cannot make it look like a probe")
    func escapedPaths() {
        func decision(_ target: String, host: String = "192.0.2.7") -> ApacheLineParser.GateResult {
            Self.gateResults([Self.line(host, "GET \(target) HTTP/1.0")])[0]
        }
        // Printable bytes other than `%`, `.` and `\`, ten bytes or more before the path's end.
        #expect(decision("/files/report%202001.pdf") == .rejectedDecoded)
        #expect(decision("/a%2Fb%41%7e/index.html?q=%25") == .rejectedDecoded)
        #expect(decision("/files/report%202001.pdf", host: "www.example") == .rejectedDecodedUnresolved)
        // An escape in the query or the protocol is not decoded by the matcher.
        #expect(decision("/index.html?q=%2e%2e") == .rejected)
        // What decoding could turn into a probe is parsed in full.
        for target in [
            "/scripts/%2e%2e/winnt/system32/cmd.exe", "/x%2e.html/index.html", "/..%255c../index.html",
            "/..%5c../index.html", "/..%c0%af../index.html", "/%u002e%u002e/index.html", "/%zz/index.html",
            "/%0a/index.html", "/%7f/index.html", "/default.id%61", "/scripts/root%2eexe", "/%41%41/root.exe",
            "/%41/root.exe", "/abc%20root.exe", "/%",
        ] {
            #expect(decision(target) == .parseInFull, "\(target)")
        }
        // Ten bytes and more before the end: the decoded path ends like the raw one.
        #expect(decision("/%41/xroot.exe") == .parseInFull)  // still ends in root.exe
        #expect(decision("/%41/index.htm") == .rejectedDecoded)
    }

    @Test("a dotted quad is recognised exactly as the full parser does")
    func dottedQuads() {
        var random = SplitMix64(seed: 2001)
        let alphabet = Array("0123456789....:/a ".utf8)
        var checked = 0
        for round in 0..<200_000 {
            var host: [UInt8]
            if round % 2 == 0 {
                // Near misses of a.b.c.d: octets of 0-4 digits up to 999.
                host = []
                for k in 0..<4 {
                    let digits = Int(random.next() % 5)
                    let value = Int(random.next() % 1000)
                    host += Array(String(value).utf8.suffix(digits))
                    if k < 3 { host.append(46) }
                }
            } else {
                host = (0..<Int(random.next() % 16)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            }
            guard host.count < 16, !host.contains(32) else { continue }
            let padded = host + [32] + Array(repeating: 120, count: 16)
            let expected = padded.withUnsafeBytes { LogBytes.ipv4($0.baseAddress!, from: 0, to: host.count) != nil }
            let fast = padded.withUnsafeBytes {
                ApacheLineParser.isDottedQuad($0.baseAddress!, ByteBlock($0.baseAddress!), host.count)
            }
            #expect(fast == expected, "\(String(decoding: host, as: UTF8.self))")
            checked += 1
        }
        #expect(checked > 150_000)
    }

    @Test("the fast path gives what the plain one gives, line for line, on a mixed log")
    func randomLogs() throws {
        var random = SplitMix64(seed: 19)
        let hosts = ["192.0.2.7", "10.0.0.1", "203.0.113.254", "8.8.8.8", "255.255.255.255", "256.0.0.1", "1.2.3",
                     "01.002.3.4", "crawler.example.org", "2001:db8::1", "::ffff:198.51.100.3", "-", "1..2.3", "123.45.67.890"]
        let methods = ["GET", "POST", "HEAD", "PROPFIND", "G\"T", ""]
        let targets = [
            "/", "/index.html", "/download/setup.exe", "/scripts/root.exe?/c+dir", "/MSADC/Root.Exe",
            "/c/winnt/system32/cmd.exe?/c+dir", "/scripts/..%255c../winnt/system32/cmd.exe?/c+dir",
            "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", "/scripts/../../winnt/system32/cmd.exe",
            "/files/report%202001.pdf", "/search?q=a..b&x=%41", "/a.idq?" + String(repeating: "A", count: 230),
            MatchSupport.codeRedI, WormRequests.codeRedII, "/default.ida?short", "/x\\..\\cmd.exe", "/caf\u{e9}.html",
            "/q?", "/..", "/ida", "/e", "/" + String(repeating: "a", count: 40) + "..", "/a?b?c.ida", "/%", "/x.ida%20",
            "/a%20b/c%2Fd/index.html", "/x%20/scripts/root.exe", "/%2e%2e/%2e%2e/winnt/system32/cmd.exe", "/%2E./cmd.exe",
            "/a%5cb/index.html", "/a%255c/index.html", "/%c0%ae%c0%ae/index.html", "/%u0041/index.html", "/%41%4/index.html",
            "/files/report%202001.pdf", "/%64efault.ida?" + String(repeating: "N", count: 120), "/a%3fb/index.html",
            "/.%2e/winnt/system32/cmd.exe", "/12345678%41.ida", "/1234567%41.ida", "/123456%41.ida",
            "/default.id%61?" + String(repeating: "X", count: 230), "/scripts/root.ex%65", "/scripts/root.e%78e",
        ]
        let versions = [" HTTP/1.0", " HTTP/1.1", "", " HTTP/..", " junk"]
        let tails = [" 200 1043", " 404 - \"http://example.org/?q=%41\" \"Mozilla/4.0 (compatible; MSIE 5.5)\"",
                     " - -", " 200 12 \"-\" \"say \\\"hi\\\"\"", " 2000 1", "", " 304 0 \"-\" \"..%c0%af..\""]
        var lines: [String] = []
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        for _ in 0..<6_000 {
            switch random.next() % 20 {
            case 0: lines.append("")
            case 1: lines.append("garbage without a time")
            case 2: lines.append("\(pick(hosts)) - - [19/Jul/2001:10:04:1x -0700] \"GET / HTTP/1.0\" 200 1")
            case 3: lines.append("\(pick(hosts)) - - \(Self.time) \"-\" 408 -")
            case 4: lines.append("\(pick(hosts)) ident user \(Self.time) \"GET \(pick(targets)) HTTP/1.0\" 200 5")
            default:
                let request = "\(pick(methods)) \(pick(targets))\(pick(versions))"
                lines.append(Self.line(pick(hosts), request, tail: pick(tails)) + (random.next() % 8 == 0 ? "\r" : ""))
            }
        }
        let text = Array(lines.joined(separator: "\n").utf8)
        let plain = Self.plain(text)
        #expect(plain.failure.isEmpty)
        #expect(Self.fast(text) == plain)
        // Both ways were taken often, and the rules found worms.
        let decisions = Self.gateResults(lines)
        #expect(decisions.filter { $0 != .parseInFull }.count > 400)
        #expect(decisions.filter { $0 == .parseInFull }.count > 1_500)
        #expect(decisions.contains(.rejectedUnresolved))
        #expect(decisions.contains(.rejectedDecoded))
        #expect(plain.matcher.decodedRequests > 200)
        #expect(Set(plain.events.map(\.family)).isSuperset(of: ["code-red-i", "code-red-ii", "nimda", "ida-overflow"]))
        // Small reads join lines at every offset: still the same.
        #expect(Self.fast(text, chunk: 7) == plain)
    }

    @Test("the fast path agrees on the committed fixtures and on IIS logs, where it does nothing")
    func fixtures() throws {
        for name in ["apache-combined-2001.log", "apache-common-2001.log", "iis5-w3c.log", "iis6-w3c.log"] {
            let bytes = try fixtureBytes(name)
            let plain = Self.plain(bytes)
            #expect(plain.failure.isEmpty && plain.statistics.requests > 0, "\(name)")
            #expect(Self.fast(bytes) == plain, "\(name)")
            // Forced to Apache, the IIS logs fail the same way both ways.
            #expect(Self.fast(bytes, format: .apache) == Self.plain(bytes, format: .apache), "\(name)")
        }
    }

    @Test("a suffix is compared on the path's last eight bytes, letters in either case")
    func suffixTails() {
        let gate = MatchSupport.matcher().httpGate
        func rejects(_ path: String) -> Bool {
            let bytes = Array(("GET " + path).utf8)
            let tail = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) }
            return gate.rejects(lastByte: bytes.last ?? 0, tail: tail)
        }
        #expect(rejects("/index.html"))
        #expect(rejects("/setup.exe"))
        #expect(rejects("/viewer.ida2"))
        #expect(!rejects("/ROOT.EXE"))
        #expect(!rejects("/x/root.exe"))
        #expect(!rejects("/default.ida"))
        #expect(!rejects("/null.IdQ"))
        #expect(!rejects("/winnt/system32/cmd.exe"))
        // A rule without a suffix turns the gate off.
        var rules = RuleSet.default
        rules.rules.append(Rule(id: "any-admin", family: "probe", description: "",
                                condition: .http(HTTPRuleCondition(pathContains: ["admin"]))))
        let open = MatchSupport.matcher(rules).httpGate
        #expect(!open.enabled)
        #expect(!open.rejects(lastByte: UInt8(ascii: "l"), tail: 0))
    }
}
