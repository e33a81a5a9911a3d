/// A rule set turned into flat tables for the matcher's hot path: no arrays of arrays, no
/// strings, no existentials; everything the per-request loop reads is in a few unsafe buffers
/// allocated once.
///
/// ## The prefilter
///
/// One pass over the target ORs together a class word per byte (``classes``): bits for `%`,
/// `\`, bytes ≥ 0x80, `?` and `.`, and one *anchor* bit for the rarest byte of every string a
/// rule looks for (both cases of a letter). A target with no `%`, `\` or byte ≥ 0x80 decodes to
/// itself but for case, so it is matched as it is, with case folded in the comparisons. Anything
/// else goes through ``URIDecoder`` first. A `contains` condition is searched only if the text
/// holds the anchor byte of one of its strings: a string cannot occur in a text that lacks one
/// of its bytes, so this skips work without ever skipping a match.
@usableFromInline
final class CompiledRules {
    // Class bits of a byte.
    @usableFromInline static let percent: UInt32 = 1 << 0
    @usableFromInline static let backslash: UInt32 = 1 << 1
    @usableFromInline static let high: UInt32 = 1 << 2
    @usableFromInline static let question: UInt32 = 1 << 3
    @usableFromInline static let dot: UInt32 = 1 << 4
    /// The bits that send a target through the decoder.
    @usableFromInline static let needsDecoding: UInt32 = percent | backslash | high
    static let firstAnchorBit = 5

    /// One HTTP rule. Pattern lists are ranges of ``patterns``.
    @usableFromInline
    struct HTTPRule {
        @usableFromInline var rule: Int
        /// The raw query must exist and be at least this long (0: no query condition).
        @usableFromInline var minimumQuery: Int
        @usableFromInline var evasions: UInt8
        @usableFromInline var suffixes: Range<Int>
        @usableFromInline var contains: Range<Int>
        @usableFromInline var decodedContains: Range<Int>
        /// OR of the anchor bits of ``contains`` (0 if none) and of ``decodedContains``.
        @usableFromInline var containsAnchors: UInt32
        @usableFromInline var decodedAnchors: UInt32
        @usableFromInline var fillerByte: UInt8
        /// 0: no filler condition.
        @usableFromInline var fillerRun: Int
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

    @usableFromInline let classes: UnsafeMutablePointer<UInt32>
    @usableFromInline let httpRules: UnsafeMutableBufferPointer<HTTPRule>
    @usableFromInline let packetRules: UnsafeMutableBufferPointer<PacketRule>
    @usableFromInline let patterns: UnsafeMutableBufferPointer<Pattern>
    @usableFromInline let bytes: UnsafeMutableBufferPointer<UInt8>
    /// Whether some HTTP rule asks for `traversal` (so the fast path must look for `..`).
    @usableFromInline let wantsTraversal: Bool

    init(_ set: RuleSet) {
        var classes = [UInt32](repeating: 0, count: 256)
        classes[Int(UInt8(ascii: "%"))] |= Self.percent
        classes[Int(UInt8(ascii: "\\"))] |= Self.backslash
        for b in 0x80..<256 { classes[b] |= Self.high }
        classes[Int(UInt8(ascii: "?"))] |= Self.question
        classes[Int(UInt8(ascii: "."))] |= Self.dot

        var http: [HTTPRule] = []
        var packets: [PacketRule] = []
        var patterns: [Pattern] = []
        var bytes: [UInt8] = []
        var anchorBits: [UInt8: UInt32] = [:]
        var wantsTraversal = false

        func anchorBit(_ pattern: [UInt8]) -> UInt32 {
            // The byte least common in URLs; ties go to the first.
            guard let anchor = pattern.max(by: { Self.rarity($0) < Self.rarity($1) }) else { return 0 }
            if let bit = anchorBits[anchor] { return bit }
            let bit = UInt32(1) << UInt32(Self.firstAnchorBit + anchorBits.count % (32 - Self.firstAnchorBit))
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
                let filler = c.queryFiller.map { Swift.max(1, $0.minimumRun) } ?? 0
                let minimumQuery = Swift.max(filler, c.queryMinimumLength ?? 0)
                wantsTraversal = wantsTraversal || c.evasions.contains(.traversal)
                http.append(HTTPRule(
                    rule: index, minimumQuery: minimumQuery, evasions: c.evasions.rawValue,
                    suffixes: suffixes, contains: contains, decodedContains: decoded,
                    containsAnchors: anyEmptyContains ? 0 : containsAnchors, decodedAnchors: anyEmptyDecoded ? 0 : decodedAnchors,
                    fillerByte: c.queryFiller?.byte ?? 0, fillerRun: filler))
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
        self.wantsTraversal = wantsTraversal
    }

    deinit {
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

    /// The class bits of every byte of `text`, and of every pair of neighbours (`..` sets
    /// ``dot`` in the second result).
    @inlinable
    func classify(_ text: UnsafeRawBufferPointer) -> (mask: UInt32, pairs: UInt32) {
        var mask: UInt32 = 0, pairs: UInt32 = 0, previous: UInt32 = 0
        for b in text {
            let c = classes[Int(b)]
            mask |= c
            pairs |= previous & c
            previous = c
        }
        return (mask, pairs)
    }

    /// The index in ``httpRules`` of the first rule that matches, or -1.
    ///
    /// `path` and `whole` are the (decoded or plain) path and target, compared with case
    /// folded; `mask` their classes; `query` the raw query (nil without a `?`).
    @inlinable
    func firstHTTPMatch(
        mask: UInt32, evasions: URIEvasions, path: UnsafeRawBufferPointer, whole: UnsafeRawBufferPointer,
        query: UnsafeRawBufferPointer?
    ) -> Int {
        let queryCount = query?.count ?? -1
        for i in httpRules.indices {
            let r = httpRules[i]
            if r.minimumQuery > 0 && queryCount < r.minimumQuery { continue }
            if r.evasions & ~evasions.rawValue != 0 { continue }
            if r.containsAnchors != 0 && mask & r.containsAnchors == 0 { continue }
            if r.decodedAnchors != 0 && mask & r.decodedAnchors == 0 { continue }
            if !r.suffixes.isEmpty && !anyPattern(r.suffixes, path, Self.endsWith) { continue }
            if !r.contains.isEmpty && !anyPattern(r.contains, path, Self.contains) { continue }
            if !r.decodedContains.isEmpty && !anyPattern(r.decodedContains, whole, Self.contains) { continue }
            if r.fillerRun > 0, let query, !Self.hasRun(query, of: r.fillerByte, atLeast: r.fillerRun) { continue }
            return i
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
    @inlinable
    static func hasRun(_ text: UnsafeRawBufferPointer, of byte: UInt8, atLeast run: Int) -> Bool {
        var count = 0
        for b in text {
            if b == byte {
                count += 1
                if count >= run { return true }
            } else {
                count = 0
            }
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
