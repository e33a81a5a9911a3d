/// A compiled rule set that turns ``Observation``s into ``SensorEvent``s.
///
/// - **Web requests** (``Observation/Kind/httpRequest``, from logs or parsed out of TCP
///   payloads) are tried against the `http` rules in order; the first match is reported, and
///   only that one. Ordinary requests are rejected by a prefilter in a few tens of
///   nanoseconds without decoding; a target with `%`, `\` or a byte ≥ 0x80 is always decoded
///   first (see ``CompiledRules`` and ``URIDecoder``), so an encoding cannot hide a probe.
/// - **Packets** (``Observation/Kind/tcpPacket``, ``Observation/Kind/udpPacket``) are tried
///   against the `packet` rules in order (first match reported), then counted by every
///   `address-scan` rule that applies; a scan rule reports once per (source, port) pair.
///
/// The matcher keeps decoding buffers and scan state: it does not allocate per observation
/// except to build the events it emits (and, for scan rules, to track new pairs).
public struct Matcher {
    /// Limits on the memory address-scan tracking may use, per address-scan rule.
    public struct Limits: Sendable, Hashable {
        /// (source, port) pairs tracked at once; default 2^20. About 30 bytes each.
        public var maximumTrackedPairs: Int
        /// (destination, time) entries held at once; default 2^22. 16 bytes each.
        public var maximumTrackedDestinations: Int

        /// Limits per address-scan rule; the defaults hold about 100 MiB at most.
        public init(maximumTrackedPairs: Int = 1 << 20, maximumTrackedDestinations: Int = 1 << 22) {
            self.maximumTrackedPairs = maximumTrackedPairs
            self.maximumTrackedDestinations = maximumTrackedDestinations
        }
    }

    /// Counters for a summary line or a benchmark.
    public struct Statistics: Sendable, Hashable {
        /// Observations seen, of every kind.
        public var observations = 0
        /// Web requests seen.
        public var httpRequests = 0
        /// Web requests whose target went through the decoder.
        public var decodedRequests = 0
        /// Events emitted.
        public var events = 0
        /// Probes that address-scan rules ignored because a memory limit was reached.
        public var untrackedProbes = 0
    }

    /// The rules, as given.
    public let rules: RuleSet
    /// The inputs ``Observation/input`` indexes.
    public private(set) var inputs: [InputDescriptor]
    /// Per rule, what its events carry.
    @usableFromInline let eventInfo: [(family: String, id: String, severity: Rule.Severity)]
    @usableFromInline let storage: CompiledRulesStorage
    @usableFromInline let compiled: CompiledRules
    @usableFromInline var decoder = URIDecoder()
    @usableFromInline var scans: [AddressScanTracker]
    @usableFromInline var counters = Statistics()
    /// The prefilter readers apply before building observations.
    let httpGate: HTTPGate

    /// Compiles `rules` (after checking them with ``RuleSet/validate()``).
    public init(rules: RuleSet, inputs: [InputDescriptor], limits: Limits = Limits()) throws(SensorError) {
        try rules.validate()
        self.rules = rules
        self.inputs = inputs
        eventInfo = rules.rules.map { ($0.family, $0.id, $0.severity) }
        storage = CompiledRulesStorage(rules)
        compiled = storage.tables
        httpGate = HTTPGate(rules: rules, enabled: compiled.pathGated, lastBytes: compiled.anyLastBytes)
        var scans: [AddressScanTracker] = []
        for (index, rule) in rules.rules.enumerated() {
            if case .addressScan(let c) = rule.condition {
                scans.append(AddressScanTracker(
                    rule: index, condition: c, maximumPairs: Swift.max(1, limits.maximumTrackedPairs),
                    maximumDestinations: Swift.max(1, limits.maximumTrackedDestinations)))
            }
        }
        self.scans = scans
    }

    /// Says what input `index`'s records are once it has been opened and recognised
    /// (a scan detects logs and captures as it reaches them).
    public mutating func setRecords(_ records: RecordKind, ofInput index: Int) {
        guard inputs.indices.contains(index) else { return }
        inputs[index].records = records
    }

    /// The counters so far.
    public var statistics: Statistics {
        var s = counters
        s.untrackedProbes = scans.reduce(0) { $0 + $1.untracked }
        return s
    }

    /// Matches one observation, calling `emit` for each event (none for most).
    @inlinable
    public mutating func observe(_ o: borrowing Observation, emit: (SensorEvent) -> Void) {
        counters.observations += 1
        switch o.kind {
        case .httpRequest:
            counters.httpRequests += 1
            let rule = httpMatch(o.target)
            if rule >= 0 { emitHTTP(rule, o, emit) }
        case .tcpPacket:
            observePacket(o, .tcp, emit)
        case .udpPacket:
            observePacket(o, .udp, emit)
        }
    }

    /// The index in `rules.rules` of the first `http` rule that matches `target`, or -1.
    @inlinable
    public mutating func httpMatch(_ target: UnsafeRawBufferPointer) -> Int {
        guard target.count > 0 else { return -1 }
        let scan = PathScan.scan(target)
        if !scan.needsDecoding && !scan.dotDot && compiled.pathGated {
            // Every rule fails its last-byte or path-evasion gate (the query cannot change that).
            let last: UInt8 = scan.end > 0 ? CompiledRules.fold(target[scan.end - 1]) : 0
            if compiled.anyLastBytes & (1 << UInt64(last & 63)) == 0 { return -1 }
        }
        let query: UnsafeRawBufferPointer? = scan.end < target.count ? UnsafeRawBufferPointer(rebasing: target[(scan.end + 1)...]) : nil
        var found: Int
        if !scan.needsDecoding {
            // The path decodes to itself but for case: match its raw bytes, folding as we compare.
            var view = HTTPView(
                path: UnsafeRawBufferPointer(rebasing: target[..<scan.end]), whole: query == nil ? target : nil, query: query,
                evasions: [], traversalKnown: false, mayHaveTraversal: scan.dotDot)
            found = compiled.firstHTTPMatch(from: 0, &view)
            if found <= -2, let query {
                if !PathScan.scan(query).needsDecoding && !query.contains(UInt8(ascii: "?")) {
                    // The query decodes to itself too.
                    view.whole = target
                    view.maskKnown = false
                    found = compiled.firstHTTPMatch(from: -2 - found, &view)
                } else {
                    found = matchDecoded(target, from: -2 - found, query: query, includingQuery: true)
                }
            }
        } else {
            found = matchDecoded(target, from: 0, query: query, includingQuery: query == nil)
            if found <= -2 {
                found = matchDecoded(target, from: -2 - found, query: query, includingQuery: true)
            }
        }
        return found < 0 ? -1 : compiled.httpRules[found].rule
    }

    /// Decodes the path (and the query if asked) and tries the rules from `start` on.
    @inlinable
    mutating func matchDecoded(_ target: UnsafeRawBufferPointer, from start: Int, query: UnsafeRawBufferPointer?, includingQuery: Bool) -> Int {
        counters.decodedRequests += 1
        let compiled = self.compiled
        return decoder.decode(target, includingQuery: includingQuery) { decoded in
            var view = HTTPView(
                path: decoded.path, whole: includingQuery ? decoded.bytes : nil, query: query, evasions: decoded.evasions,
                traversalKnown: true, mayHaveTraversal: true)
            return compiled.firstHTTPMatch(from: start, &view)
        }
    }

    @inlinable
    mutating func observePacket(_ o: borrowing Observation, _ transport: TransportProtocol, _ emit: (SensorEvent) -> Void) {
        let rule = compiled.firstPacketMatch(transport: transport, port: o.destinationPort, length: o.payloadLength, payload: o.payload)
        if rule >= 0 {
            emitPacket(compiled.packetRules[rule].rule, o, transport, emit)
        }
        for k in scans.indices where scans[k].applies(transport: transport, flags: o.tcpFlags, port: o.destinationPort) {
            if scans[k].observe(source: o.source, destination: o.destination, port: o.destinationPort, time: o.timeNanoseconds) {
                emitScan(k, o, transport, emit)
            }
        }
    }

    // MARK: Events (the cold path)

    @usableFromInline @inline(never)
    mutating func emitHTTP(_ rule: Int, _ o: borrowing Observation, _ emit: (SensorEvent) -> Void) {
        emit(event(rule, o, .tcp, evidence: Evidence.target(o.target)))
    }

    @usableFromInline @inline(never)
    mutating func emitPacket(_ rule: Int, _ o: borrowing Observation, _ transport: TransportProtocol, _ emit: (SensorEvent) -> Void) {
        let evidence = Evidence.packet(transport, port: o.destinationPort, length: o.payloadLength, payload: o.payload)
        emit(event(rule, o, transport, evidence: evidence))
    }

    @usableFromInline @inline(never)
    mutating func emitScan(_ k: Int, _ o: borrowing Observation, _ transport: TransportProtocol, _ emit: (SensorEvent) -> Void) {
        let tracker = scans[k]
        let evidence = Evidence.scan(count: Int(tracker.threshold), transport: transport, port: o.destinationPort, windowSeconds: tracker.windowSeconds)
        emit(event(tracker.rule, o, transport, evidence: evidence))
    }

    mutating func event(_ index: Int, _ o: borrowing Observation, _ transport: TransportProtocol, evidence: String) -> SensorEvent {
        counters.events += 1
        let input = o.input
        let known = input >= 0 && input < inputs.count
        let unknownKind: RecordKind = o.kind == .httpRequest ? .line : .packet
        return SensorEvent(
            timeNanoseconds: o.timeNanoseconds, source: o.source, destination: o.destination, destinationPort: o.destinationPort,
            transport: transport, family: eventInfo[index].family, ruleID: eventInfo[index].id, severity: eventInfo[index].severity,
            evidence: evidence, input: known ? inputs[input].name : "input \(input)",
            recordKind: known ? inputs[input].records : unknownKind, record: o.record)
    }
}
