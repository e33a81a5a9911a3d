/// Decodes an HTTP request target the way 2001's IIS did, so that an encoding cannot hide a
/// probe from the rules — the normalisation Snort's `http_inspect` and Bro applied.
///
/// The raw target is split at its first `?` into a path and a query, and each part is decoded
/// on its own:
///
/// 1. **Percent-decoding**: `%XX` (either case of hex digit) becomes the byte; IIS's `%uXXXX`
///    becomes the character's ASCII byte if it is below U+0080, the ASCII character for the
///    fullwidth forms U+FF01–U+FF5E (IIS's best fit, `%uff0f` → `/`), and its UTF-8 bytes
///    otherwise. A `%` that starts no valid escape (`%zz`, `%u12`, a `%` at the end) is kept
///    as it is.
/// 2. **Overlong UTF-8** is collapsed to ASCII: `C0`/`C1` followed by any byte (IIS ignored the
///    continuation byte's top bits: `%c0%af` → `/`, `%c1%9c` and `%c1%1c` → `\`), and the
///    three- and four-byte forms of ASCII (`%e0%80%af` → `/`).
/// 3. Steps 1 and 2 are **repeated** while the result still holds a valid escape, up to
///    ``maximumRounds`` rounds in all (`%255c` → `%5c` → `\`; Nimda's `%%35c` → `%5c` → `\`).
/// 4. `\` becomes `/`, and ASCII letters are folded to lower case, for matching.
///
/// `+` is left alone (it is not a space in a path, and a query's meaning is the server's
/// business). The decoded text is `path` then, if the raw target had a `?`, `?` and the
/// decoded query. Decoding never makes text longer, so the decoder's buffers grow only to the
/// longest target seen; after that it does not allocate.
///
/// The tricks found are reported as ``URIEvasions``.
public struct URIDecoder {
    /// How many rounds of decoding at most (the first one and three repeats).
    public static let maximumRounds = 4

    @usableFromInline var output: [UInt8]
    @usableFromInline var scratch: [UInt8]

    /// A decoder whose buffers start with room for `capacity`-byte targets (they grow as needed).
    public init(capacity: Int = 1024) {
        output = [UInt8](repeating: 0, count: max(capacity, 16))
        scratch = output
    }

    /// Decodes `target` and calls `body` with the result, which is valid only during the call.
    /// Without `includingQuery`, only the path is decoded and ``DecodedTarget/bytes`` is the path.
    @inlinable
    public mutating func decode<R>(_ target: UnsafeRawBufferPointer, includingQuery: Bool = true, _ body: (DecodedTarget) -> R) -> R {
        let n = target.count
        if output.count < n {
            output = [UInt8](repeating: 0, count: Swift.max(n, 2 * output.count))
            scratch = output
        }
        return output.withUnsafeMutableBufferPointer { out in
            scratch.withUnsafeMutableBufferPointer { temporary in
                // Both buffers hold at least `n` (and 16) bytes.
                let o = out.baseAddress.unsafelyUnwrapped
                let t = temporary.baseAddress.unsafelyUnwrapped
                guard n > 0, let raw = target.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                    return body(DecodedTarget(bytes: UnsafeRawBufferPointer(start: o, count: 0), pathLength: 0, evasions: []))
                }
                var question = n
                for i in 0..<n where raw[i] == UInt8(ascii: "?") {
                    question = i
                    break
                }
                var evasions: URIEvasions = []
                let pathLength = Self.decodeComponent(raw, question, into: o, scratch: t, &evasions)
                var total = pathLength
                if question < n && includingQuery {
                    o[total] = UInt8(ascii: "?")
                    total += 1
                    total += Self.decodeComponent(raw + question + 1, n - question - 1, into: o + total, scratch: t, &evasions)
                }
                Self.finish(o, count: total, pathLength: pathLength, &evasions)
                return body(DecodedTarget(bytes: UnsafeRawBufferPointer(start: o, count: total), pathLength: pathLength, evasions: evasions))
            }
        }
    }

    /// Decodes `target` into a new array (for tests and tools; the matcher uses
    /// ``decode(_:includingQuery:_:)``, which does not allocate).
    public mutating func decoded(_ target: [UInt8]) -> (text: [UInt8], pathLength: Int, evasions: URIEvasions) {
        target.withUnsafeBytes { raw in
            decode(raw) { d in (Array(d.bytes), d.pathLength, d.evasions) }
        }
    }

    // MARK: The steps

    /// Decodes one part (path or query) of `count` bytes at `source` into `destination`, using
    /// `scratch` for repeated rounds; both have room for `count` bytes. Returns the length.
    @inlinable
    static func decodeComponent(
        _ source: UnsafePointer<UInt8>, _ count: Int, into destination: UnsafeMutablePointer<UInt8>,
        scratch: UnsafeMutablePointer<UInt8>, _ evasions: inout URIEvasions
    ) -> Int {
        var firstPercent = -1
        var length = round(source, count, into: destination, &evasions, &firstPercent)
        var current = destination, other = scratch
        var rounds = 1
        while rounds < maximumRounds && firstPercent >= 0 && containsEscape(current + firstPercent, length - firstPercent) {
            evasions.insert(.doubleEncoding)
            firstPercent = -1
            length = round(current, length, into: other, &evasions, &firstPercent)
            swap(&current, &other)
            rounds += 1
        }
        if current != destination { destination.update(from: current, count: length) }
        return length
    }

    /// One round: percent-decoding, then overlong UTF-8 collapsed in place. `firstPercent` is
    /// set to where the output's first `%` may be (-1 if it has none).
    @inlinable
    static func round(
        _ source: UnsafePointer<UInt8>, _ count: Int, into destination: UnsafeMutablePointer<UInt8>,
        _ evasions: inout URIEvasions, _ firstPercent: inout Int
    ) -> Int {
        var i = 0, o = 0
        var high = false
        while i < count {
            let c = source[i]
            if c == UInt8(ascii: "%") {
                if i + 2 < count, case let (h1, h2) = (hexValue(source[i + 1]), hexValue(source[i + 2])), h1 | h2 < 16 {
                    let b = h1 &<< 4 | h2
                    if b == UInt8(ascii: "%") && firstPercent < 0 { firstPercent = o }
                    destination[o] = b
                    high = high || Self.overlongLead(b)
                    o += 1
                    i += 3
                    continue
                }
                if i + 5 < count, source[i + 1] | 0x20 == UInt8(ascii: "u"), let code = hex4(source + i + 2) {
                    evasions.insert(.percentU)
                    // Never an overlong lead: a %u character is written in its shortest form.
                    let written = writeUnicode(code, destination + o)
                    if written == 1 && destination[o] == UInt8(ascii: "%") && firstPercent < 0 { firstPercent = o }
                    o += written
                    i += 6
                    continue
                }
            }
            if c == UInt8(ascii: "%") && firstPercent < 0 { firstPercent = o }
            destination[o] = c
            high = high || Self.overlongLead(c)
            o += 1
            i += 1
        }
        guard high else { return o }
        // Collapsing moves bytes and can make a `%` (C0 A5): look for escapes from the start.
        firstPercent = 0
        return collapseOverlong(destination, o, &evasions)
    }

    /// Whether `b` can start an overlong form (C0, C1, E0, F0).
    @inlinable @inline(__always)
    static func overlongLead(_ b: UInt8) -> Bool {
        b & 0xFE == 0xC0 || b & 0xEF == 0xE0
    }

    /// Rewrites overlong UTF-8 forms of ASCII characters in place; returns the new length.
    @inlinable
    static func collapseOverlong(_ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ evasions: inout URIEvasions) -> Int {
        @inline(__always) func continuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        var r = 0, w = 0
        while r < count {
            let c = p[r]
            if c == 0xC0 || c == 0xC1, r + 1 < count {
                // IIS: ((lead & 0x1F) << 6) | (next & 0x3F), whatever the next byte's top bits.
                p[w] = (c & 0x1F) &<< 6 | (p[r + 1] & 0x3F)
                evasions.insert(.overlongUTF8)
                w += 1
                r += 2
                continue
            }
            if c == 0xE0, r + 2 < count, continuation(p[r + 1]), continuation(p[r + 2]), p[r + 1] < 0xA0 {
                evasions.insert(.overlongUTF8)
                if p[r + 1] <= 0x81 {
                    p[w] = (p[r + 1] & 0x3F) &<< 6 | (p[r + 2] & 0x3F)
                    w += 1
                    r += 3
                    continue
                }
            }
            if c == 0xF0, r + 3 < count, continuation(p[r + 1]), continuation(p[r + 2]), continuation(p[r + 3]), p[r + 1] < 0x90 {
                evasions.insert(.overlongUTF8)
                if p[r + 1] == 0x80 && p[r + 2] <= 0x81 {
                    p[w] = (p[r + 2] & 0x3F) &<< 6 | (p[r + 3] & 0x3F)
                    w += 1
                    r += 4
                    continue
                }
            }
            p[w] = c
            w += 1
            r += 1
        }
        return w
    }

    /// `\` → `/` (noting it in the path), ASCII lower case, and `..` segments in the path.
    @inlinable
    static func finish(_ p: UnsafeMutablePointer<UInt8>, count: Int, pathLength: Int, _ evasions: inout URIEvasions) {
        for i in 0..<count {
            let c = p[i]
            if c == UInt8(ascii: "\\") {
                p[i] = UInt8(ascii: "/")
                if i < pathLength { evasions.insert(.backslash) }
            } else if c &- UInt8(ascii: "A") < 26 {
                p[i] = c | 0x20
            }
        }
        if hasTraversal(UnsafeRawBufferPointer(start: p, count: pathLength)) { evasions.insert(.traversal) }
    }

    /// Whether a path holds a `..` segment (between slashes, or at either end). Backslashes
    /// count as slashes, so this works on raw paths too.
    @inlinable
    public static func hasTraversal(_ path: UnsafeRawBufferPointer) -> Bool {
        let n = path.count
        guard n >= 2 else { return false }
        @inline(__always) func slash(_ b: UInt8) -> Bool { b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") }
        var i = 0
        while i + 1 < n {
            if path[i] == UInt8(ascii: "."), path[i + 1] == UInt8(ascii: "."),
               i == 0 || slash(path[i - 1]), i + 2 == n || slash(path[i + 2]) {
                return true
            }
            i += 1
        }
        return false
    }

    // MARK: Small pieces

    /// 0–15 for a hex digit, 0xFF otherwise.
    @inlinable @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        let digit = c &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (c | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xFF
    }

    /// The value of four hex digits, or nil.
    @inlinable @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for k in 0..<4 {
            let h = hexValue(p[k])
            guard h < 16 else { return nil }
            value = value &<< 4 | UInt32(h)
        }
        return value
    }

    /// Whether `p[0..<count]` holds a valid `%XX` or `%uXXXX` escape.
    @inlinable
    static func containsEscape(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 2 < count {
            if p[i] == UInt8(ascii: "%") {
                if hexValue(p[i + 1]) < 16 && hexValue(p[i + 2]) < 16 { return true }
                if i + 5 < count && p[i + 1] | 0x20 == UInt8(ascii: "u") && hex4(p + i + 2) != nil { return true }
            }
            i += 1
        }
        return false
    }

    /// Writes a `%u` character (see the type's description); returns the byte count, 1 to 3.
    @inlinable
    static func writeUnicode(_ code: UInt32, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        if code < 0x80 {
            p[0] = UInt8(truncatingIfNeeded: code)
            return 1
        }
        if code >= 0xFF01 && code <= 0xFF5E {
            p[0] = UInt8(truncatingIfNeeded: code - 0xFEE0)
            return 1
        }
        if code < 0x800 {
            p[0] = UInt8(truncatingIfNeeded: 0xC0 | code >> 6)
            p[1] = UInt8(truncatingIfNeeded: 0x80 | code & 0x3F)
            return 2
        }
        // Surrogates (U+D800–DFFF) are written in the same three-byte pattern: the bytes are
        // only matched against, never shown.
        p[0] = UInt8(truncatingIfNeeded: 0xE0 | code >> 12)
        p[1] = UInt8(truncatingIfNeeded: 0x80 | (code >> 6) & 0x3F)
        p[2] = UInt8(truncatingIfNeeded: 0x80 | code & 0x3F)
        return 3
    }
}
