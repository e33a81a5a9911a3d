/// The part of the matcher's prefilter a reader can apply while it parses, before it builds an
/// ``Observation``: a request whose path decodes to itself (no `%`, `\` or byte ≥ 0x80 before
/// the `?`), holds no `..`, and ends in a byte no rule's suffix ends in, matches no `http`
/// rule (see ``CompiledRules``). Readers that find such a request count it and go on; every
/// other request goes to ``Matcher/observe(_:emit:)`` as usual. A path whose only escapes
/// are harmless `%XX` ones (see ``ApacheLineParser/harmlessEscapes(_:from:to:)``) decodes to
/// one the gate judges the same way from its raw bytes.
///
/// The gate is exact in one direction only, the one that matters: it never turns away a
/// request a rule would match. A reader may pass it a conservative answer (say a path needs
/// decoding when unsure); that only costs time.
@usableFromInline
struct HTTPGate: Sendable {
    /// Whether the gate can turn anything away (false when some rule has no last-byte gate).
    @usableFromInline let enabled: Bool
    /// Bit `b & 63` set for every folded last byte that some rule's suffix ends in.
    @usableFromInline let lastBytes: UInt64
    /// The last (up to) eight bytes of every suffix, each byte ORed with 0x20, in the high
    /// bytes of a little-endian word, and which bytes of the word count.
    @usableFromInline let tails: ContiguousArray<UInt64>
    @usableFromInline let tailMasks: ContiguousArray<UInt64>

    /// The gate for `rules` (``CompiledRules/pathGated`` and ``CompiledRules/anyLastBytes``
    /// give `enabled` and `lastBytes`).
    init(rules: RuleSet, enabled: Bool, lastBytes: UInt64) {
        self.enabled = enabled
        self.lastBytes = lastBytes
        var tails = ContiguousArray<UInt64>()
        var masks = ContiguousArray<UInt64>()
        for rule in rules.rules {
            // Rules that require `..` or `\` in the path cannot match the paths gated here.
            guard case .http(let c) = rule.condition,
                  c.evasions.rawValue & CompiledRules.pathEvasions == 0 else { continue }
            for suffix in c.pathSuffix {
                let bytes = Array(suffix.utf8.suffix(8))
                var word: UInt64 = 0
                for (j, b) in bytes.enumerated() {
                    word |= UInt64(b | 0x20) << UInt64(8 * (8 - bytes.count + j))
                }
                tails.append(word)
                masks.append(bytes.count == 8 ? ~0 : ~((UInt64(1) << UInt64(8 * (8 - bytes.count))) - 1))
            }
        }
        self.tails = tails
        tailMasks = masks
    }

    /// Whether a path that decodes to itself and holds no `..` can match no rule: `last` is
    /// its last byte (0 for an empty path) and `tail` the eight bytes that end it, as a
    /// little-endian word (bytes before the path if it is shorter: that can only make the
    /// answer "may match").
    ///
    /// Letters are compared with 0x20 set, which can only find more suffixes than the rules'
    /// case-folded comparison.
    @inlinable @inline(__always)
    func rejects(lastByte last: UInt8, tail: UInt64) -> Bool {
        guard enabled else { return false }
        if lastBytes & (1 << UInt64(CompiledRules.fold(last) & 63)) == 0 { return true }
        let folded = tail | 0x2020_2020_2020_2020
        for i in tails.indices where folded & tailMasks[i] == tails[i] { return false }
        return true
    }
}

extension Matcher {
    /// Counts `count` requests a reader turned away with ``httpGate`` as observed (and matched
    /// by no rule), `decoded` of them with paths ``observe(_:emit:)`` would have decoded, so
    /// the statistics are those of ``observe(_:emit:)``.
    mutating func countGatedRequests(_ count: Int, decoded: Int = 0) {
        counters.observations += count
        counters.httpRequests += count
        counters.decodedRequests += decoded
    }
}
