/// A rule set turned into flat tables for the matcher's hot path: no arrays of arrays, no
/// strings, no existentials, no reference counting; everything the per-request loop reads is
/// in a few unsafe buffers allocated once and owned by a ``CompiledRulesStorage``.
///
/// ## The prefilter
///
/// ``PathScan`` looks at the target 16 bytes at a time for the end of the path (the first
/// `?`), for `%`, `\` and bytes ≥ 0x80, and for `..`. A path with none of the first three
/// decodes to itself but for case, so it is matched as it is, with case folded in the
/// comparisons; any other path goes through ``URIDecoder`` first, so an encoding cannot hide a
/// probe. Each rule then has cheap *gates* that most requests fail: the query's length, the
/// last byte of the path for `path_suffix` rules, and the path-only evasions (`traversal`,
/// `backslash`; a path without `..` has no traversal).
///
/// A `contains` condition is searched only if the text holds the *anchor* byte of one of its
/// strings: the byte of the string rarest in URLs. The text's anchor bits are gathered in one
/// pass (``classes``, both cases of a letter), made only when a rule first needs them. A string
/// cannot occur in a text that lacks one of its bytes, so this skips work without ever skipping
/// a match.
///
/// The query is decoded only when a rule needs it (`decoded_contains`, or an evasion other
/// than `traversal` and `backslash`): Code Red's long query of `%u` escapes is never decoded,
/// because its rule looks only at the decoded path and the raw query.
@usableFromInline
struct CompiledRules {
    /// Evasions that are properties of the path; the others can come from the query too.
    @usableFromInline static let pathEvasions: UInt8 = URIEvasions([.traversal, .backslash]).rawValue
    @usableFromInline static let queryEvasions: URIEvasions = [.doubleEncoding, .overlongUTF8, .percentU]

    /// One HTTP rule. Pattern lists are ranges of ``patterns``.
    @usableFromInline
    struct HTTPRule {
        // The gates, checked first.
        /// The raw query must exist and be at least this long (0: no query condition).
        @usableFromInline var minimumQuery: Int32
        /// Required evasions that are properties of the path.
        @usableFromInline var pathEvasions: UInt8
        /// Whether the rule needs the decoded query (``decodedContains``, or evasions that can
        /// come from the query).
        @usableFromInline var needsWhole: Bool
        /// Bit `b & 63` for the folded last byte `b` of each suffix; 0: no suffix condition.
        @usableFromInline var lastBytes: UInt64
        /// OR of the anchor bits of ``contains`` (0 if none) and of ``decodedContains``.
        @usableFromInline var containsAnchors: UInt32
        @usableFromInline var decodedAnchors: UInt32
        // The rest.
        @usableFromInline var evasions: UInt8
        @usableFromInline var fillerByte: UInt8
        /// 0: no filler condition.
        @usableFromInline var fillerRun: Int32
        @usableFromInline var rule: Int
        @usableFromInline var suffixes: Range<Int>
        @usableFromInline var contains: Range<Int>
        @usableFromInline var decodedContains: Range<Int>
    }

    /// A lower-case string to look for: a range of ``bytes``.
    @usableFromInline
    struct Pattern {
        @usableFromInline var start: Int
        @usableFromInline var count: Int
    }

    @usableFromInline
    struct PacketRule {
        @usableFromInline var rule: Int
        @usableFromInline var transport: TransportProtocol
        /// -1: any port.
        @usableFromInline var port: Int
        /// -1: any length.
        @usableFromInline var length: Int
        @usableFromInline var prefix: Pattern
    }

    /// Whether every HTTP rule has a gate on the path's last byte or requires a path evasion,
    /// so that a path that decodes to itself and holds no `..` can match only if its last byte
    /// is in ``anyLastBytes``.
    @usableFromInline let pathGated: Bool
    /// The ``HTTPRule/lastBytes`` of every rule that requires no path evasion, together.
    @usableFromInline let anyLastBytes: UInt64
    /// Anchor bits of each byte.
    @usableFromInline let classes: UnsafeMutablePointer<UInt32>
    @usableFromInline let httpRules: UnsafeMutableBufferPointer<HTTPRule>
    @usableFromInline let packetRules: UnsafeMutableBufferPointer<PacketRule>
    @usableFromInline let patterns: UnsafeMutableBufferPointer<Pattern>
    @usableFromInline let bytes: UnsafeMutableBufferPointer<UInt8>

    init(_ set: RuleSet) {
        var classes = [UInt32](repeating: 0, count: 256)

        var http: [HTTPRule] = []
        var packets: [PacketRule] = []
        var patterns: [Pattern] = []
        var bytes: [UInt8] = []
        var anchorBits: [UInt8: UInt32] = [:]

        func anchorBit(_ pattern: [UInt8]) -> UInt32 {
            // The byte least common in URLs; ties go to the first.
            guard let anchor = pattern.max(by: { Self.rarity($0) < Self.rarity($1) }) else { return 0 }
            if let bit = anchorBits[anchor] { return bit }
            let bit = UInt32(1) << UInt32(anchorBits.count % 32)
            anchorBits[anchor] = bit
            classes[Int(anchor)] |= bit
            if anchor &- UInt8(ascii: "a") < 26 { classes[Int(anchor - 32)] |= bit }
            return bit
        }
        func add(_ strings: [String]) -> (Range<Int>, UInt32) {
            let start = patterns.count
            var anchors: UInt32 = 0
            for s in strings {
                let folded = s.utf8.map(Self.fold)
                patterns.append(Pattern(start: bytes.count, count: folded.count))
                bytes += folded
                anchors |= anchorBit(folded)
            }
            return (start..<patterns.count, anchors)
        }

        for (index, rule) in set.rules.enumerated() {
            switch rule.condition {
            case .http(let c):
                let (suffixes, _) = add(c.pathSuffix)
                let (contains, containsAnchors) = add(c.pathContains)
                let (decoded, decodedAnchors) = add(c.decodedContains)
                // An empty string is in every text: drop the anchor test for such a list.
                let anyEmptyContains = c.pathContains.contains(where: \.isEmpty)
                let anyEmptyDecoded = c.decodedContains.contains(where: \.isEmpty)
                var lastBytes: UInt64 = 0
                for suffix in c.pathSuffix {
                    // An empty suffix ends every path: no gate.
                    guard let last = suffix.utf8.last else {
                        lastBytes = 0
                        break
                    }
                    lastBytes |= 1 << UInt64(Self.fold(last) & 63)
                }
                let filler = c.queryFiller.map { Swift.max(1, $0.minimumRun) } ?? 0
                let minimumQuery = Swift.max(filler, c.queryMinimumLength ?? 0)
                http.append(HTTPRule(
                    minimumQuery: Int32(clamping: minimumQuery), pathEvasions: c.evasions.rawValue & Self.pathEvasions,
                    needsWhole: !c.decodedContains.isEmpty || !c.evasions.isDisjoint(with: Self.queryEvasions),
                    lastBytes: lastBytes,
                    containsAnchors: anyEmptyContains ? 0 : containsAnchors, decodedAnchors: anyEmptyDecoded ? 0 : decodedAnchors,
                    evasions: c.evasions.rawValue, fillerByte: c.queryFiller?.byte ?? 0, fillerRun: Int32(clamping: filler),
                    rule: index, suffixes: suffixes, contains: contains, decodedContains: decoded))
            case .packet(let c):
                let prefix = Pattern(start: bytes.count, count: c.payloadPrefix.count)
                bytes += c.payloadPrefix
                packets.append(PacketRule(
                    rule: index, transport: c.transport, port: c.destinationPort.map(Int.init) ?? -1,
                    length: c.payloadLength ?? -1, prefix: prefix))
            case .addressScan:
                break
            }
        }

        pathGated = http.allSatisfy { $0.pathEvasions != 0 || $0.lastBytes != 0 }
        anyLastBytes = http.reduce(0) { $1.pathEvasions != 0 ? $0 : $0 | $1.lastBytes }
        self.classes = .allocate(capacity: 256)
        self.classes.initialize(from: classes, count: 256)
        self.httpRules = .allocate(capacity: http.count)
        _ = self.httpRules.initialize(from: http)
        self.packetRules = .allocate(capacity: packets.count)
        _ = self.packetRules.initialize(from: packets)
        self.patterns = .allocate(capacity: patterns.count)
        _ = self.patterns.initialize(from: patterns)
        self.bytes = .allocate(capacity: bytes.count)
        _ = self.bytes.initialize(from: bytes)
    }

    /// Frees the tables (by ``CompiledRulesStorage``, when the last matcher using them goes).
    func deallocate() {
        classes.deallocate()
        httpRules.deallocate()
        packetRules.deallocate()
        patterns.deallocate()
        bytes.deallocate()
    }

    /// How rare a byte is in request targets: 0 for the most common; bytes not listed are rarest.
    static func rarity(_ b: UInt8) -> Int {
        let common = Array("/.e-_tasoirnlcmdp0h1g2u=b&f?w3v4y5k6798xjqz".utf8)
        return common.firstIndex(of: b) ?? common.count
    }

    /// ASCII lower case.
    @inlinable @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 {
        b &- UInt8(ascii: "A") < 26 ? b | 0x20 : b
    }

    // MARK: Matching

    /// The anchor bits of every byte of `text`.
    @inlinable
    func classify(_ text: UnsafeRawBufferPointer) -> UInt32 {
        var mask: UInt32 = 0
        for b in text { mask |= classes[Int(b)] }
        return mask
    }

    /// The index in ``httpRules`` of the first rule from `start` on that matches; -1 if none;
    /// `-2 - k` if rule `k` needs the whole decoded target and `view.whole` is nil.
    @inlinable
    func firstHTTPMatch(from start: Int, _ view: inout HTTPView) -> Int {
        let queryCount = view.query.map { $0.count } ?? -1
        let lastBit: UInt64 = 1 << UInt64(view.lastByte & 63)
        guard let rules = httpRules.baseAddress else { return -1 }
        var i = start
        while i < httpRules.count {
            // Fields are read one by one through the pointer: most rules fail a gate, and a
            // copy of the whole rule would load all of it.
            let r = rules + i
            i += 1
            // The gates.
            if r.pointee.minimumQuery > 0 && queryCount < Int(r.pointee.minimumQuery) { continue }
            if r.pointee.lastBytes != 0 && r.pointee.lastBytes & lastBit == 0 { continue }
            if r.pointee.pathEvasions != 0 {
                if !view.traversalKnown {
                    view.traversalKnown = true
                    if view.mayHaveTraversal && URIDecoder.hasTraversal(view.path) { view.evasions.insert(.traversal) }
                }
                if r.pointee.pathEvasions & ~view.evasions.rawValue != 0 { continue }
            }
            if r.pointee.containsAnchors != 0 {
                if !view.maskKnown {
                    view.mask = classify(view.whole ?? view.path)
                    view.maskKnown = true
                }
                if view.mask & r.pointee.containsAnchors == 0 { continue }
            }
            if !r.pointee.suffixes.isEmpty && !anyPattern(r.pointee.suffixes, view.path, Self.endsWith) { continue }
            // The rest.
            guard let whole = view.whole else {
                if r.pointee.needsWhole { return -1 - i }
                if !r.pointee.contains.isEmpty && !anyPattern(r.pointee.contains, view.path, Self.contains) { continue }
                if r.pointee.fillerRun > 0, let query = view.query, !Self.hasRun(query, of: r.pointee.fillerByte, atLeast: Int(r.pointee.fillerRun)) { continue }
                return i - 1
            }
            if r.pointee.evasions & ~view.evasions.rawValue != 0 { continue }
            if r.pointee.decodedAnchors != 0 {
                if !view.maskKnown {
                    view.mask = classify(whole)
                    view.maskKnown = true
                }
                if view.mask & r.pointee.decodedAnchors == 0 { continue }
            }
            if !r.pointee.contains.isEmpty && !anyPattern(r.pointee.contains, view.path, Self.contains) { continue }
            if !r.pointee.decodedContains.isEmpty && !anyPattern(r.pointee.decodedContains, whole, Self.contains) { continue }
            if r.pointee.fillerRun > 0, let query = view.query, !Self.hasRun(query, of: r.pointee.fillerByte, atLeast: Int(r.pointee.fillerRun)) { continue }
            return i - 1
        }
        return -1
    }

    @inlinable @inline(__always)
    func anyPattern(
        _ range: Range<Int>, _ text: UnsafeRawBufferPointer,
        _ test: (UnsafeRawBufferPointer, UnsafeMutableBufferPointer<UInt8>.SubSequence) -> Bool
    ) -> Bool {
        for k in range {
            let p = patterns[k]
            if test(text, bytes[p.start..<p.start + p.count]) { return true }
        }
        return false
    }

    /// Whether `text`, case folded, ends with `pattern` (lower case).
    @inlinable
    static func endsWith(_ text: UnsafeRawBufferPointer, _ pattern: UnsafeMutableBufferPointer<UInt8>.SubSequence) -> Bool {
        let k = pattern.count
        guard k <= text.count else { return false }
        let offset = text.count - k
        var j = 0
        for b in pattern {
            if fold(text[offset + j]) != b { return false }
            j += 1
        }
        return true
    }

    /// Whether `text`, case folded, contains `pattern` (lower case, not empty).
    @inlinable
    static func contains(_ text: UnsafeRawBufferPointer, _ pattern: UnsafeMutableBufferPointer<UInt8>.SubSequence) -> Bool {
        let k = pattern.count
        guard k > 0 else { return true }
        guard k <= text.count else { return false }
        let first = pattern[pattern.startIndex]
        var i = 0
        let last = text.count - k
        while i <= last {
            if fold(text[i]) == first {
                var j = 1
                while j < k && fold(text[i + j]) == pattern[pattern.startIndex + j] { j += 1 }
                if j == k { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether `text` holds `run` or more of `byte` in a row (exact bytes).
    ///
    /// Each window of `run` bytes is checked from its end backwards; a byte that is not
    /// `byte` rules out every run through it, so the next window starts after it. Without the
    /// filler this reads one byte in `run`; each byte is read at most twice.
    @inlinable
    static func hasRun(_ text: UnsafeRawBufferPointer, of byte: UInt8, atLeast run: Int) -> Bool {
        guard run > 0 else { return true }
        let n = text.count
        var start = 0
        while start + run <= n {
            var j = start + run - 1
            while j >= start && text[j] == byte { j -= 1 }
            if j < start { return true }
            start = j + 1
        }
        return false
    }

    /// The index in ``packetRules`` of the first rule that matches, or -1.
    @inlinable
    func firstPacketMatch(transport: TransportProtocol, port: UInt16, length: Int, payload: UnsafeRawBufferPointer) -> Int {
        for i in packetRules.indices {
            let r = packetRules[i]
            if r.transport != transport { continue }
            if r.port >= 0 && r.port != Int(port) { continue }
            if r.length >= 0 && r.length != length { continue }
            if r.prefix.count > 0 {
                if payload.count < r.prefix.count { continue }
                var same = true
                for j in 0..<r.prefix.count where payload[j] != bytes[r.prefix.start + j] {
                    same = false
                    break
                }
                if !same { continue }
            }
            return i
        }
        return -1
    }
}
