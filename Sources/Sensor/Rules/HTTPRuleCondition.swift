/// The conditions of an `http` rule. Every condition that is set must hold; a list of
/// strings matches if any one of them does.
///
/// Strings are compared with ASCII case folded, against the target as ``URIDecoder`` decodes
/// it, so `%2e%69da` is `.ida`. The query conditions look at the raw query instead (the bytes
/// after the first `?`), because the worms' filler is what identifies them.
public struct HTTPRuleCondition: Sendable, Hashable {
    /// A run of one filler byte in the raw query (Code Red I: `N`, Code Red II: `X`).
    public struct QueryFiller: Sendable, Hashable {
        /// The filler byte, compared exactly (not case-folded).
        public var byte: UInt8
        /// How many in a row at least; ≥ 1.
        public var minimumRun: Int

        /// A run of at least `minimumRun` copies of `byte`.
        public init(byte: UInt8, minimumRun: Int) {
            self.byte = byte
            self.minimumRun = minimumRun
        }
    }

    /// The decoded path ends with one of these (`.ida`). Empty: no condition.
    public var pathSuffix: [String]
    /// The decoded path contains one of these (`cmd.exe`). Empty: no condition.
    public var pathContains: [String]
    /// The whole decoded target (path, `?`, query) contains one of these. Empty: no condition.
    public var decodedContains: [String]
    /// A filler run in the raw query, or nil for no condition.
    public var queryFiller: QueryFiller?
    /// The raw query is at least this many bytes long, or nil for no condition.
    public var queryMinimumLength: Int?
    /// All of these tricks were found while decoding. Empty: no condition.
    public var evasions: URIEvasions

    /// A condition; everything left out is no condition.
    public init(
        pathSuffix: [String] = [], pathContains: [String] = [], decodedContains: [String] = [],
        queryFiller: QueryFiller? = nil, queryMinimumLength: Int? = nil, evasions: URIEvasions = []
    ) {
        self.pathSuffix = pathSuffix
        self.pathContains = pathContains
        self.decodedContains = decodedContains
        self.queryFiller = queryFiller
        self.queryMinimumLength = queryMinimumLength
        self.evasions = evasions
    }

    /// Whether no condition is set (such a rule would match every request, and is refused).
    public var isEmpty: Bool {
        pathSuffix.isEmpty && pathContains.isEmpty && decodedContains.isEmpty && queryFiller == nil
            && queryMinimumLength == nil && evasions.isEmpty
    }
}
