/// The fast path of an Apache scan: one pass over an ordinary line that parses what
/// ``ApacheLineParser/parse(_:)`` would, and at the same time looks at the request's path the
/// way ``PathScan`` does, so a request no rule can match is counted without building an
/// ``Observation`` and without parsing the client's address beyond checking it is one.
extension ApacheLineParser {
    /// What ``gate(_:_:)`` decided about a line.
    enum GateResult {
        /// A well-formed request that no rule can match; its client is a dotted quad.
        case rejected
        /// The same, but its client is not an IPv4 address.
        case rejectedUnresolved
        /// A well-formed request whose path holds `%XX` escapes that decoding cannot turn into
        /// anything a rule's gate looks at (see ``harmlessEscapes(_:from:to:)``): no rule can
        /// match, but the matcher would have decoded it. Its client is a dotted quad.
        case rejectedDecoded
        /// The same, with a client that is not an IPv4 address.
        case rejectedDecodedUnresolved
        /// Anything else (a request that may match, an unusual or damaged line): parse it in full.
        case parseInFull
    }

    /// The bits below `k` (0...64) of a mask, one bit per byte.
    @inline(__always)
    static func below(_ k: Int) -> UInt64 {
        (UInt64(1) << UInt64(k)) &- 1
    }

    /// Whether the line is a well-formed request whose target no rule can match, judged with
    /// `gate`; counts nothing. Equivalent to ``parse(_:)`` followed by ``Matcher/httpMatch(_:)``
    /// returning no rule: when unsure (a rare shape of line, an escaped quote, a path that
    /// needs decoding), it answers ``GateResult/parseInFull``.
    @inline(__always)
    mutating func gate(_ line: UnsafeRawBufferPointer, _ gate: HTTPGate) -> GateResult {
        guard let p = line.baseAddress else { return .parseInFull }
        let n = line.count
        // Every line taken here is longer than this, so the 16-byte loads below stay inside it.
        guard n >= 64 else { return .parseInFull }
        // %h ends at the first space, within 16 bytes (longer hosts take the full path).
        let head = ByteBlock(p)
        let spaces = head.mask(LogBytes.space)
        guard spaces != 0 else { return .parseInFull }
        let hostEnd = spaces.trailingZeroBitCount
        // ` - - [` then the time, `] "`.
        guard p.loadUnaligned(fromByteOffset: hostEnd + 1, as: UInt32.self) == UInt32(littleEndian: 0x202D_202D),
              p.load(fromByteOffset: hostEnd + 5, as: UInt8.self) == 91 else { return .parseInFull }
        let t = hostEnd + 6
        let timeEnd = t + ApacheTimeCache.length
        guard timeEnd + 3 < n, p.load(fromByteOffset: timeEnd, as: UInt8.self) == 93,
              p.load(fromByteOffset: timeEnd + 1, as: UInt8.self) == LogBytes.space,
              p.load(fromByteOffset: timeEnd + 2, as: UInt8.self) == LogBytes.quote,
              time.seconds(p + t) != nil else { return .parseInFull }
        // The method and its space (a quote first: an empty or odd request, the full path).
        let r = timeEnd + 3
        var methodEnd = r
        if p.loadUnaligned(fromByteOffset: r, as: UInt32.self) == UInt32(littleEndian: 0x2054_4547) {
            methodEnd = r + 3  // `GET `
        } else {
            while true {
                guard methodEnd < n, methodEnd - r < 16 else { return .parseInFull }
                let b = p.load(fromByteOffset: methodEnd, as: UInt8.self)
                if b == LogBytes.space { break }
                if b == LogBytes.quote { return .parseInFull }
                methodEnd += 1
            }
        }
        let start = methodEnd + 1
        guard start < n else { return .parseInFull }
        // One pass from the target's start to the first quote: the quote, the first `?`, and
        // over the path before it, `%`, `\`, bytes ≥ 0x80 and `..`.
        var at = start
        var special: UInt64 = 0
        var dotPairs: UInt64 = 0
        var question = -1
        var quote = -1
        while at < n {
            // 64 bytes at a time (nearly every target and its protocol end within them, so
            // this loop runs once and its exit is predictable); the last window is loaded to
            // end at the line's end, its bytes before `at` shifted out.
            let load = Swift.min(at, n - 64)
            let shift = UInt64(at - load)
            let b0 = ByteBlock(p + load)
            let b1 = ByteBlock(p + (load + 16))
            let b2 = ByteBlock(p + (load + 32))
            let b3 = ByteBlock(p + (load + 48))
            @inline(__always) func mask(_ byte: UInt8) -> UInt64 {
                (UInt64(b0.mask(byte)) | UInt64(b1.mask(byte)) << 16 | UInt64(b2.mask(byte)) << 32
                    | UInt64(b3.mask(byte)) << 48) >> shift
            }
            let quotes = mask(LogBytes.quote)
            if question < 0 {
                // The bytes of the path: before the first quote and the first `?`.
                let beforeQuote = quotes == 0 ? ~UInt64(0) >> shift : Self.below(quotes.trailingZeroBitCount)
                let questions = mask(63) & beforeQuote
                let path = questions == 0 ? beforeQuote : Self.below(questions.trailingZeroBitCount)
                // `%`, `\` and bytes ≥ 0x80 in one mask: rare, told apart below.
                let odd = (UInt64(b0.mask(37, LogBytes.backslash, orHigh: ())) | UInt64(b1.mask(37, LogBytes.backslash, orHigh: ())) << 16
                    | UInt64(b2.mask(37, LogBytes.backslash, orHigh: ())) << 32 | UInt64(b3.mask(37, LogBytes.backslash, orHigh: ())) << 48) >> shift
                special |= odd & path
                let dots = mask(46) & path
                // A `..` within the window, or across the boundary with the one before.
                dotPairs |= dots & (dots >> 1)
                if at > start, dots & 1 != 0, p.load(fromByteOffset: at - 1, as: UInt8.self) == 46 { dotPairs = 1 }
                if questions != 0 { question = at + questions.trailingZeroBitCount }
            }
            if quotes != 0 {
                quote = at + quotes.trailingZeroBitCount
                break
            }
            at = load + 64
        }
        // The closing quote must be the first one, unescaped and followed by the status.
        guard quote > start, Self.statusFollows(p, quote, n), !Self.isEscaped(p, quote, from: r),
              dotPairs == 0 else { return .parseInFull }
        // The target ends before ` HTTP/x.y` (as in the full parse), the path at the `?`.
        let targetEnd = Self.targetEnd(p, methodEnd: methodEnd, quote: quote)
        guard targetEnd > start else { return .parseInFull }
        let pathEnd = question >= 0 ? Swift.min(question, targetEnd) : targetEnd
        let last: UInt8 = pathEnd > start ? p.load(fromByteOffset: pathEnd - 1, as: UInt8.self) : 0
        guard gate.rejects(lastByte: last, tail: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: pathEnd - 8, as: UInt64.self))) else {
            return .parseInFull
        }
        let resolved = Self.isDottedQuad(p, head, hostEnd) || LogBytes.ipv4(p, from: 0, to: hostEnd) != nil
        if special != 0 {
            // A `%`, `\` or high byte before the quote: in the path (where `\` and high bytes
            // need the full parse, `%` may) or after it (where the matcher does not look).
            guard let escaped = Self.harmlessEscapes(p, from: start, to: pathEnd) else { return .parseInFull }
            if escaped { return resolved ? .rejectedDecoded : .rejectedDecodedUnresolved }
        }
        return resolved ? .rejected : .rejectedUnresolved
    }

    /// Whether the path `p[from..<to]`, free of `..`, decodes (as ``URIDecoder`` decodes it)
    /// to a path no rule's gate can tell from the raw one: it holds no `\` and no byte
    /// ≥ 0x80, every `%` starts a `%XX` escape of a printable ASCII byte other than `%`, `.`
    /// and `\`, and none is within the last ten bytes. `nil` if not; otherwise whether it has
    /// a `%` at all.
    ///
    /// Such escapes make no second round of decoding, no overlong form, no `%u`, no
    /// backslash and no `..` (a decoded byte is never a dot, and the raw path has no two dots
    /// in a row), so the decoded path has none of the evasions; and the decoded path ends
    /// with the same eight bytes as the raw one (an escape three bytes long ends before
    /// them), so its last byte and tail are what ``HTTPGate/rejects(lastByte:tail:)`` saw.
    @inline(__always)
    static func harmlessEscapes(_ p: UnsafeRawPointer, from: Int, to: Int) -> Bool? {
        var escaped = false
        var i = from
        while i < to {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            guard c != LogBytes.backslash, c < 0x80 else { return nil }
            if c == 37 {
                guard to - i > 10 else { return nil }
                let h1 = URIDecoder.hexValue(p.load(fromByteOffset: i + 1, as: UInt8.self))
                let h2 = URIDecoder.hexValue(p.load(fromByteOffset: i + 2, as: UInt8.self))
                guard h1 | h2 < 16 else { return nil }
                let b = h1 &<< 4 | h2
                guard b >= 0x20, b < 0x7F, b != 37, b != 46, b != LogBytes.backslash else { return nil }
                escaped = true
                i += 3
            } else {
                i += 1
            }
        }
        return escaped
    }

    /// Whether the first `k` bytes at `p` (also in `block`, `k` < 16) are a dotted quad
    /// `a.b.c.d` (1–3 digits each, at most 255), without a branch per byte. `false` is not
    /// final: ``LogBytes/ipv4(_:from:to:)`` also takes the IPv4-mapped IPv6 form.
    @inline(__always)
    static func isDottedQuad(_ p: UnsafeRawPointer, _ block: ByteBlock, _ k: Int) -> Bool {
        let inside = UInt32(truncatingIfNeeded: below(k))
        // Only digits and dots, and three dots.
        let dots = block.mask(46) & inside
        guard (block.digits | dots) & inside == inside, dots != 0 else { return false }
        let d1 = dots.trailingZeroBitCount
        let twoLeft = dots & (dots &- 1)
        let d2 = twoLeft.trailingZeroBitCount
        let oneLeft = twoLeft & (twoLeft &- 1)
        let d3 = oneLeft.trailingZeroBitCount
        guard oneLeft != 0, oneLeft & (oneLeft &- 1) == 0 else { return false }
        // Octets of 1–3 digits (d3 < 16 here, so the last octet's length is within range).
        let lengths = (d1, d2 &- d1 &- 1, d3 &- d2 &- 1, k &- d3 &- 1)
        guard UInt(bitPattern: lengths.0 &- 1) < 3, UInt(bitPattern: lengths.1 &- 1) < 3,
              UInt(bitPattern: lengths.2 &- 1) < 3, UInt(bitPattern: lengths.3 &- 1) < 3 else { return false }
        // A three-digit octet is at most 255: as text read big-endian, at most "255". All four
        // are checked, without branches (octet lengths vary line to line).
        @inline(__always) func over(_ start: Int, _ length: Int) -> UInt32 {
            let text = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: start, as: UInt32.self)) >> 8
            return (length == 3 ? 1 : 0) & (text > 0x32_3535 ? 1 : 0)
        }
        return over(0, lengths.0) | over(d1 + 1, lengths.1) | over(d2 + 1, lengths.2) | over(d3 + 1, lengths.3) == 0
    }
}
