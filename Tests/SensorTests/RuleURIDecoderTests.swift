import Testing
@testable import Sensor

/// The decoder undoes every encoding 2001's worms used, flags it, and never crashes on junk.
@Suite("URI decoder")
struct RuleURIDecoderTests {
    /// Decodes `target` (its UTF-8, or `bytes`), returning the text and the flags.
    func decode(_ target: String) -> (text: String, path: Int, flags: URIEvasions) {
        decode(bytes: Array(target.utf8))
    }

    func decode(bytes: [UInt8]) -> (text: String, path: Int, flags: URIEvasions) {
        var decoder = URIDecoder(capacity: 4)
        let d = decoder.decoded(bytes)
        // Bytes ≥ 0x80 as \xHH so the expectations can spell them.
        var text = ""
        for b in d.text {
            text += b < 0x80 ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
        }
        return (text, d.pathLength, d.evasions)
    }

    @Test("ordinary targets decode to themselves, lower-cased, with no flags")
    func ordinary() {
        #expect(decode("/index.html") == ("/index.html", 11, []))
        #expect(decode("/Images/Logo.PNG") == ("/images/logo.png", 16, []))
        #expect(decode("/images/a%20b.png") == ("/images/a b.png", 15, []))
        #expect(decode("") == ("", 0, []))
        #expect(decode("/") == ("/", 1, []))
    }

    @Test("the query is decoded on its own, + is left alone, an encoded ? stays in the path")
    func query() {
        #expect(decode("/Search.idq?q=%41+B&x=%2f") == ("/search.idq?q=a+b&x=/", 11, []))
        #expect(decode("/a%3Fb?c") == ("/a?b?c", 4, []))
        #expect(decode("/a?") == ("/a?", 2, []))
        #expect(decode("?x") == ("?x", 0, []))
    }

    @Test("percent escapes in either case of hex digit")
    func percent() {
        #expect(decode("/%2E%2e/%41%62%63") == ("/../abc", 7, [.traversal]))
        #expect(decode("/%00%7f") == ("/\u{0}\u{7f}", 3, []))
    }

    @Test("double encoding: %255c, Nimda's %%35c and %%35%63, and the round limit")
    func doubleEncoding() {
        #expect(decode("/scripts/..%255c../winnt/system32/cmd.exe?/c+dir")
            == ("/scripts/../../winnt/system32/cmd.exe?/c+dir", 37, [.doubleEncoding, .backslash, .traversal]))
        #expect(decode("/scripts/..%%35c../winnt/system32/cmd.exe")
            == ("/scripts/../../winnt/system32/cmd.exe", 37, [.doubleEncoding, .backslash, .traversal]))
        #expect(decode("/scripts/..%%35%63../winnt/system32/cmd.exe")
            == ("/scripts/../../winnt/system32/cmd.exe", 37, [.doubleEncoding, .backslash, .traversal]))
        // Rounds: %2541 → %41 → a (2); %25252541 needs 4; %2525252541 would need 5.
        #expect(decode("/%2541") == ("/a", 2, [.doubleEncoding]))
        #expect(decode("/%25252541") == ("/a", 2, [.doubleEncoding]))
        #expect(decode("/%2525252541") == ("/%41", 4, [.doubleEncoding]))
        #expect(URIDecoder.maximumRounds == 4)
    }

    @Test("overlong UTF-8: two-, three- and four-byte forms, IIS's lax %c1%1c, raw bytes")
    func overlong() {
        #expect(decode("/scripts/..%c0%af../winnt") == ("/scripts/../../winnt", 20, [.overlongUTF8, .traversal]))
        #expect(decode("/scripts/..%C0%AF../winnt") == ("/scripts/../../winnt", 20, [.overlongUTF8, .traversal]))
        #expect(decode("/scripts/..%c1%9c../winnt") == ("/scripts/../../winnt", 20, [.overlongUTF8, .backslash, .traversal]))
        #expect(decode("/scripts/..%c1%1c../winnt") == ("/scripts/../../winnt", 20, [.overlongUTF8, .backslash, .traversal]))
        #expect(decode("/scripts/..%c0/../winnt") == ("/scripts/../../winnt", 20, [.overlongUTF8, .traversal]))
        #expect(decode("/..%e0%80%af..") == ("/../..", 6, [.overlongUTF8, .traversal]))
        #expect(decode("/..%f0%80%80%af..") == ("/../..", 6, [.overlongUTF8, .traversal]))
        #expect(decode(bytes: Array("/scripts/..".utf8) + [0xC1, 0x1C] + Array("../winnt".utf8))
            == ("/scripts/../../winnt", 20, [.overlongUTF8, .backslash, .traversal]))
        // Double-encoded overlong: %25c0%25af → %c0%af → /.
        #expect(decode("/..%25c0%25af..") == ("/../..", 6, [.doubleEncoding, .overlongUTF8, .traversal]))
        // A non-ASCII overlong form is flagged but left as it is.
        #expect(decode("/%e0%82%80") == ("/\\xe0\\x82\\x80", 4, [.overlongUTF8]))
        // Well-formed UTF-8 is not touched.
        #expect(decode("/caf%c3%a9") == ("/caf\\xc3\\xa9", 6, []))
    }

    @Test("IIS %u escapes: ASCII, fullwidth forms, and the rest as UTF-8")
    func percentU() {
        #expect(decode("/..%u002f..%U005C") == ("/../../", 7, [.percentU, .backslash, .traversal]))
        #expect(decode("/%uff0e%uFF0E%uff0f") == ("/../", 4, [.percentU, .traversal]))
        #expect(decode("/default.ida?%u9090%u00c3") == ("/default.ida?\\xe9\\x82\\x90\\xc3\\x83", 12, [.percentU]))
        #expect(decode("/%ud800") == ("/\\xed\\xa0\\x80", 4, [.percentU]))
        // %u0025 gives a % that starts another round.
        #expect(decode("/%u002541") == ("/a", 2, [.percentU, .doubleEncoding]))
    }

    @Test("backslashes become slashes; only the path's count as the evasion")
    func backslash() {
        #expect(decode("/scripts\\..\\winnt") == ("/scripts/../winnt", 17, [.backslash, .traversal]))
        #expect(decode("/a?b=c:\\d") == ("/a?b=c:/d", 2, []))
    }

    @Test("traversal is a whole .. segment of the path, not dots inside a name or in the query")
    func traversal() {
        #expect(decode("/..").flags == [.traversal])
        #expect(decode("../x").flags == [.traversal])
        #expect(decode("/a/../b").flags == [.traversal])
        #expect(decode("/a..b/c").flags == [])
        #expect(decode("/a/...").flags == [])
        #expect(decode("/a/..b").flags == [])
        #expect(decode("/a?x=../..").flags == [])
    }

    @Test("malformed and truncated escapes are kept as they are, never a crash")
    func malformed() {
        #expect(decode("/%zz") == ("/%zz", 4, []))
        #expect(decode("/%u12") == ("/%u12", 5, []))
        #expect(decode("/%u12zz") == ("/%u12zz", 7, []))
        #expect(decode("/%") == ("/%", 2, []))
        #expect(decode("/%4") == ("/%4", 3, []))
        #expect(decode("/%u") == ("/%u", 3, []))
        #expect(decode("/%u004") == ("/%u004", 6, []))
        #expect(decode("%") == ("%", 1, []))
        #expect(decode("?%") == ("?%", 0, []))
        #expect(decode("/%%%") == ("/%%%", 4, []))
        // A lead byte at the very end stays.
        #expect(decode("/a%c0") == ("/a\\xc0", 3, []))
        #expect(decode("/a%e0%80") == ("/a\\xe0\\x80", 4, []))
        #expect(decode("/a%f0%80%80") == ("/a\\xf0\\x80\\x80", 5, []))
        #expect(decode(bytes: [0xC0]) == ("\\xc0", 1, []))
        #expect(decode(bytes: [0xFF, 0xFE, 0x25]) == ("\\xff\\xfe%", 3, []))
    }

    @Test("every prefix of a nasty target decodes without a crash, and the decoder's buffers are reused")
    func prefixes() {
        let nasty = Array("/a%%35%63..%c0%af..%u002f%25252541%e0%80%af%f0%80%80%af%c1%1c?x=%u9090%zz%".utf8)
        var decoder = URIDecoder(capacity: 1)
        for n in 0...nasty.count {
            let d = decoder.decoded(Array(nasty[0..<n]))
            #expect(d.text.count <= n)
            #expect(d.pathLength <= d.text.count)
        }
    }

    @Test("the evasion flags have their rules-file names")
    func names() {
        #expect(URIEvasions([.doubleEncoding, .traversal]).description == "double-encoding,traversal")
        #expect(URIEvasions().description == "none")
        #expect(URIEvasions.named.map(\.name) == ["double-encoding", "overlong-utf8", "percent-u", "backslash", "traversal"])
    }
}
