import Testing
import WormWatchCore
@testable import Sensor

/// Web requests against the default rules: every family found, ordinary requests left alone,
/// the first matching rule reported, and the prefilter never missing what decoding would find.
@Suite("Matching web requests")
struct MatchHTTPTests {
    typealias S = MatchSupport

    @Test("Code Red I is reported as Code Red I only, with its evidence and location")
    func codeRedI() throws {
        var m = S.matcher()
        let events = S.request(&m, Array(S.codeRedI.utf8), time: 995_536_800_000_000_000, record: 17)
        try #require(events.count == 1)
        let e = events[0]
        #expect(e.ruleID == "code-red-i")
        #expect(e.family == "code-red-i")
        #expect(e.severity == .high)
        #expect(e.evidence == "/default.ida?" + String(repeating: "N", count: 67))
        #expect(e.source == S.address(192, 0, 2, 7))
        #expect(e.destination == 0 && e.destinationPort == 80 && e.transport == .tcp)
        #expect(e.timeNanoseconds == 995_536_800_000_000_000)
        #expect(e.input == "access.log" && e.recordKind == .line && e.record == 17)
    }

    @Test("Code Red II, and the generic .ida/.idq overflow")
    func codeRedIIAndOverflow() {
        var m = S.matcher()
        #expect(S.ids(&m, S.codeRedII) == ["code-red-ii"])
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "A", count: 200)) == ["ida-overflow"])
        #expect(S.ids(&m, "/null.idq?" + String(repeating: "%41", count: 70)) == ["ida-overflow"])
        // Filler alone suffices; no %u needed.
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "N", count: 100)) == ["code-red-i"])
        // A query of 199 bytes without filler is not an overflow attempt.
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "A", count: 199)).isEmpty)
    }

    @Test("encodings and case cannot hide Code Red")
    func codeRedEncoded() {
        var m = S.matcher()
        #expect(S.ids(&m, "/DEFAULT.IDA?" + String(repeating: "N", count: 224) + S.codeRedTail) == ["code-red-i"])
        #expect(S.ids(&m, "/default.%69da?" + String(repeating: "N", count: 224)) == ["code-red-i"])
        #expect(S.ids(&m, "/default%2eida?" + String(repeating: "X", count: 224)) == ["code-red-ii"])
        #expect(S.ids(&m, "/default.i%u0064a?" + String(repeating: "N", count: 224)) == ["code-red-i"])
        #expect(S.ids(&m, "/default.id%2561?" + String(repeating: "X", count: 224)) == ["code-red-ii"])
        #expect(S.ids(&m, "/scripts\\..\\default.ida?" + String(repeating: "N", count: 224)) == ["code-red-i"])
    }

    @Test("the filler is counted in the raw query, exactly: lower-case or broken runs are not Code Red")
    func fillerIsExact() {
        var m = S.matcher()
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "n", count: 224)) == ["ida-overflow"])
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "N", count: 99) + "A" + String(repeating: "N", count: 100)) == ["code-red-i"])
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "N", count: 99) + "A" + String(repeating: "N", count: 99) + "A") == ["ida-overflow"])
        #expect(S.ids(&m, "/default.ida?" + String(repeating: "N", count: 99)).isEmpty)
    }

    @Test("the filler run search skips ahead but finds every run, at any place and length")
    func fillerRuns() {
        var random = TestRandom(seed: 224)
        var wrong: [[UInt8]] = []
        for _ in 0..<5000 {
            let text = (0..<random.below(60)).map { _ in random.below(4) == 0 ? UInt8(ascii: "A") : UInt8(ascii: "N") }
            let run = 1 + random.below(12)
            var longest = 0, current = 0
            for b in text {
                current = b == UInt8(ascii: "N") ? current + 1 : 0
                longest = max(longest, current)
            }
            let found = text.withUnsafeBytes { CompiledRules.hasRun($0, of: UInt8(ascii: "N"), atLeast: run) }
            if found != (longest >= run) { wrong.append(text + [UInt8(run)]) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }

    @Test("every Nimda probe, under the rule that names its trick")
    func nimda() {
        var m = S.matcher()
        for (target, rule) in S.nimda {
            #expect(S.ids(&m, target) == [rule], "\(target)")
        }
    }

    @Test("Nimda with raw overlong bytes (from a capture) and as Apache logs escape them")
    func nimdaRawBytes() {
        var m = S.matcher()
        let raw = Array("/scripts/..".utf8) + [0xC1, 0x1C] + Array("../winnt/system32/cmd.exe?/c+dir".utf8)
        let events = S.request(&m, raw)
        #expect(events.map(\.ruleID) == ["nimda-unicode-traversal"])
        #expect(events.first?.evidence == "/scripts/..\\xc1\\x1c../winnt/system32/cmd.exe?/c+dir")
        // Apache writes those bytes as the text \xc1\x1c: a backslash, so still a traversal.
        #expect(S.ids(&m, "/scripts/..\\xc1\\x1c../winnt/system32/cmd.exe?/c+dir") == ["nimda-traversal"])
    }

    @Test("ordinary requests match nothing")
    func ordinary() {
        var m = S.matcher()
        let ordinary = [
            "/", "/index.html", "/images/a%20b.png", "/Images/Logo.PNG", "/search.idq?q=hello", "/default.ida",
            "/default.ida?short", "/cgi-bin/x.exe", "/files/a..b.txt", "/a%2520b.png", "/search?q=" + String(repeating: "a", count: 300),
            "/scripts/cmd.exe.html", "/docs/root.exe.txt", "/downloads/setup.exe", "/%7Euser/", "/a/b/../c",
            "/default.idx?" + String(repeating: "N", count: 224), "/index.php?page=../../etc", "*", "",
        ]
        for target in ordinary {
            #expect(S.ids(&m, target).isEmpty, "\(target)")
        }
        #expect(m.statistics.events == 0)
        #expect(m.statistics.httpRequests == ordinary.count)
    }

    @Test("only targets with %, \\ or high bytes are decoded")
    func prefilterDecodesOnlyWhenNeeded() {
        var m = S.matcher()
        _ = S.ids(&m, "/index.html")
        _ = S.ids(&m, "/a/b.png?x=1")
        #expect(m.statistics.decodedRequests == 0)
        _ = S.ids(&m, "/a%20b.png")
        _ = S.ids(&m, "/a\\b")
        _ = S.request(&m, [0x2F, 0xC0, 0xAF])
        #expect(m.statistics.decodedRequests == 3)
    }

    @Test("the first matching rule wins: rule order decides")
    func priority() throws {
        var reversed = RuleSet.default
        let generic = try #require(reversed.rules.firstIndex { $0.id == "ida-overflow" })
        reversed.rules.insert(reversed.rules.remove(at: generic), at: 0)
        var m = S.matcher(reversed)
        #expect(S.ids(&m, S.codeRedI) == ["ida-overflow"])
        var d = S.matcher()
        #expect(S.ids(&d, S.codeRedI) == ["code-red-i"])
    }

    @Test("decoded_contains, several strings, and every evasion as a condition")
    func otherConditions() {
        let rules = RuleSet(rules: [
            Rule(id: "etc", family: "probe", description: "", condition: .http(.init(decodedContains: ["/ETC/PASSWD", "boot.ini"]))),
            Rule(id: "u", family: "probe", description: "", condition: .http(.init(evasions: .percentU))),
            Rule(id: "bs", family: "probe", description: "", condition: .http(.init(evasions: .backslash))),
            Rule(id: "dd", family: "probe", description: "", condition: .http(.init(evasions: .doubleEncoding))),
            Rule(id: "long", family: "probe", description: "", condition: .http(.init(queryMinimumLength: 5))),
        ])
        var m = S.matcher(rules)
        #expect(S.ids(&m, "/index.php?file=../../etc/passwd") == ["etc"])
        #expect(S.ids(&m, "/x?f=%2fetc%2fPasswd") == ["etc"])
        #expect(S.ids(&m, "/x?f=c:\\BOOT.INI") == ["etc"])
        #expect(S.ids(&m, "/%u0041") == ["u"])
        #expect(S.ids(&m, "/a\\b") == ["bs"])
        #expect(S.ids(&m, "/a%255c") == ["bs"])
        #expect(S.ids(&m, "/a%2541") == ["dd"])
        #expect(S.ids(&m, "/a?12345") == ["long"])
        #expect(S.ids(&m, "/a?1234").isEmpty)
        #expect(S.ids(&m, "/etc/pass").isEmpty)
    }

    @Test("many anchor strings share bits without missing matches")
    func manyAnchors() {
        // 80 strings, each of one byte three times: 80 anchors for 27 bits.
        let special = Set("%\\?/.#".utf8)
        let bytes = (UInt8(0x21)...UInt8(0x7E)).filter { !special.contains($0) && !($0 >= 0x41 && $0 <= 0x5A) }
        let words = bytes.map { String(decoding: [$0, $0, $0], as: UTF8.self) }
        #expect(words.count > 60)
        let rules = RuleSet(rules: words.enumerated().map { i, w in
            Rule(id: "r\(i)", family: "probe", description: "", condition: .http(.init(pathContains: [w])))
        })
        var m = S.matcher(rules)
        for (i, w) in words.enumerated() {
            let target = Array(("/x/" + w + "/y").utf8)
            #expect(MatchSupport.referenceMatch(rules, target) == i)
            #expect(target.withUnsafeBytes { m.httpMatch($0) } == i)
            let other = Array(("/x/" + String(w.prefix(2)) + "/y").utf8)
            #expect(other.withUnsafeBytes { m.httpMatch($0) } == MatchSupport.referenceMatch(rules, other))
        }
    }

    @Test("the fuzz seed corpus: matcher and reference agree, and the worm seeds match their rules")
    func fuzzSeeds() throws {
        let folder = RuleFileTests.repositoryRoot + "/Fuzz/corpus/uri/"
        let expected = [
            "code-red-i": "code-red-i", "code-red-ii": "code-red-ii", "ida-overflow": "ida-overflow", "nimda-root-exe": "nimda-root-exe",
            "nimda-cmd-exe": "nimda-cmd-exe", "nimda-5c": "nimda-traversal", "nimda-c11c": "nimda-unicode-traversal",
            "nimda-c0af": "nimda-unicode-traversal", "nimda-c19c": "nimda-unicode-traversal", "nimda-3535c": "nimda-double-decode-traversal",
            "nimda-35c": "nimda-double-decode-traversal", "nimda-255c": "nimda-double-decode-traversal",
            "nimda-252f": "nimda-double-decode-traversal", "nimda-raw": "nimda-unicode-traversal", "percent-u": "nimda-traversal",
            "overlong-3-4": "nimda-unicode-traversal", "backslash": "nimda-traversal",
            "ordinary": "", "ordinary-query": "", "ordinary-encoded": "", "malformed": "", "slammer-like": "",
        ]
        var m = S.matcher()
        for (name, rule) in expected {
            let bytes = try #require(RuleFileTests.readFile(folder + name), "\(name)")
            let found = bytes.withUnsafeBytes { m.httpMatch($0) }
            #expect(found == S.referenceMatch(.default, bytes), "\(name)")
            #expect((found < 0 ? "" : RuleSet.default.rules[found].id) == rule, "\(name)")
        }
    }

    @Test("the prefilter agrees with always-decoding on 10,000 random targets")
    func prefilterAgreesWithReference() {
        let pieces = [
            "/", "/scripts", "/winnt/system32/", "cmd.exe", "CMD.EXE", "root.exe", "default", ".ida", ".IDQ", ".id", "?", "?", "..", ".",
            "%5c", "%5C", "%255c", "%%35c", "%c0%af", "%c1%1c", "%c1%9c", "%e0%80%af", "%u002f", "%U005c", "%uff0e", "%2e", "%69", "%",
            "%z", "%u12", "\\", "N", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN", "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "+", "index.html", "a", "x", "/c+dir",
        ]
        let templates = [S.codeRedI, S.codeRedII, "/default.ida?" + String(repeating: "A", count: 210)] + S.nimda.map(\.target)
        var random = TestRandom(seed: 2001)
        var m = S.matcher()
        var matched: Set<Int> = []
        var wrong: [[UInt8]] = []
        for _ in 0..<10_000 {
            var target: [UInt8] = []
            if random.below(3) == 0 {
                // A worm request with a few bytes changed, inserted or removed.
                target = Array(templates[random.below(templates.count)].utf8)
                for _ in 0..<random.below(4) {
                    let at = random.below(target.count)
                    switch random.below(3) {
                    case 0: target[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: target.insert(contentsOf: pieces[random.below(pieces.count)].utf8, at: at)
                    default: target.remove(at: at)
                    }
                }
            }
            for _ in 0..<random.below(24) {
                if random.below(10) == 0 {
                    target.append(UInt8(truncatingIfNeeded: random.next()))
                } else {
                    target += Array(pieces[random.below(pieces.count)].utf8)
                }
            }
            let expected = S.referenceMatch(.default, target)
            let got = target.withUnsafeBytes { m.httpMatch($0) }
            if got != expected { wrong.append(target) }
            matched.insert(got)
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
        // The generator must reach every rule, or the test proves little.
        #expect(matched == Set([-1] + RuleSet.default.rules.indices.filter { RuleSet.default.rules[$0].condition.kind == "http" }))
    }
}
