// Fuzz target `uri`: bytes → URI decoder → matcher (default rules, built in Swift: no YAML).
//
//   scripts/fuzz uri [SECONDS]         (seed corpus: Fuzz/corpus/uri/)
//
// Checks, for any input:
// - nothing traps (bounds, overflow, force-unwraps) in the decoder, the path scanner, the
//   matcher's HTTP and packet paths, address-scan tracking, evidence and JSON escaping;
// - the decoder's output is never longer than its input, and its path is a prefix of it;
// - the matcher's prefiltered answer equals the answer of decoding everything and testing
//   every rule the obvious way (so the prefilter can never miss an encoded probe);
// - JSON escaping always gives valid UTF-8 and a quoted string.
//
// The input is used whole as a request target, and as a packet whose addresses, port,
// flags and time come from its first bytes.
import WormWatchCore

nonisolated(unsafe) var fuzzMatcher: Matcher? = nil
nonisolated(unsafe) var fuzzDecoder = URIDecoder(capacity: 16)
nonisolated(unsafe) var fuzzClock: Int64 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURI(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if fuzzMatcher == nil {
        let inputs = [InputDescriptor(name: "fuzz.log", records: .line), InputDescriptor(name: "fuzz.pcap", records: .packet)]
        guard let matcher = try? Matcher(rules: .default, inputs: inputs,
                                         limits: Matcher.Limits(maximumTrackedPairs: 4096, maximumTrackedDestinations: 65536)) else {
            fatalError("the default rules do not compile")
        }
        fuzzMatcher = matcher
    }

    // The decoder on its own.
    let (decodedCount, pathLength) = fuzzDecoder.decode(bytes) { ($0.bytes.count, $0.pathLength) }
    if decodedCount > size || pathLength > decodedCount { fatalError("decoder grew its input: \(size) → \(decodedCount), path \(pathLength)") }

    // The matcher against the reference.
    let found = fuzzMatcher!.httpMatch(bytes)
    let expected = referenceMatch(RuleSet.default, Array(bytes))
    if found != expected { fatalError("prefilter \(found) but reference \(expected) for \(Array(bytes))") }

    // Events for the request and for the bytes as a packet.
    var events: [SensorEvent] = []
    let field = { (k: Int) -> UInt32 in k < size ? UInt32(data[k]) : 0 }
    fuzzClock &+= Int64(field(0)) * 1_000_000_000
    let request = Observation(kind: .httpRequest, timeNanoseconds: fuzzClock, source: field(1) << 24 | field(2), destination: 0,
                              destinationPort: 80, target: bytes, input: Int(field(3) % 3), record: size)
    fuzzMatcher!.observe(request) { events.append($0) }
    let kind: Observation.Kind = field(4) & 1 == 0 ? .tcpPacket : .udpPacket
    let packet = Observation(kind: kind, timeNanoseconds: fuzzClock, source: field(5) % 8, destination: field(6) << 8 | field(7),
                             sourcePort: 1025, destinationPort: field(8) & 1 == 0 ? 80 : 1434, tcpFlags: UInt8(field(9)),
                             payloadLength: Int(field(10)) * 2, payload: UnsafeRawBufferPointer(rebasing: bytes.dropFirst(Swift.min(size, 11))),
                             input: 1, record: size)
    fuzzMatcher!.observe(packet) { events.append($0) }
    for event in events {
        let line = EventNDJSON.line(event)
        if !line.hasSuffix("}\n") { fatalError("bad event line \(line)") }
    }

    // JSON escaping of arbitrary bytes.
    var json: [UInt8] = []
    JSONEscaping.append(utf8: bytes, to: &json)
    if String(validating: json, as: UTF8.self) == nil || json.first != UInt8(ascii: "\"") || json.last != UInt8(ascii: "\"") {
        fatalError("JSON escaping produced invalid output for \(Array(bytes))")
    }
    return 0
}

/// The first http rule matching `target`, found by decoding everything and testing each rule
/// with plain array operations.
func referenceMatch(_ rules: RuleSet, _ target: [UInt8]) -> Int {
    var decoder = URIDecoder()
    let d = decoder.decoded(target)
    let path = Array(d.text[0..<d.pathLength])
    let query = target.firstIndex(of: UInt8(ascii: "?")).map { Array(target[($0 + 1)...]) }
    func lower(_ s: String) -> [UInt8] { s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }
    func contains(_ text: [UInt8], _ p: [UInt8]) -> Bool {
        guard p.count <= text.count else { return false }
        outer: for i in 0...(text.count - p.count) {
            for j in 0..<p.count where text[i + j] != p[j] { continue outer }
            return true
        }
        return false
    }
    for (i, rule) in rules.rules.enumerated() {
        guard case .http(let c) = rule.condition else { continue }
        if !c.pathSuffix.isEmpty && !c.pathSuffix.contains(where: { path.count >= lower($0).count && Array(path.suffix(lower($0).count)) == lower($0) }) { continue }
        if !c.pathContains.isEmpty && !c.pathContains.contains(where: { contains(path, lower($0)) }) { continue }
        if !c.decodedContains.isEmpty && !c.decodedContains.contains(where: { contains(d.text, lower($0)) }) { continue }
        if let n = c.queryMinimumLength, (query?.count ?? -1) < n { continue }
        if let f = c.queryFiller {
            guard let query, contains(query, [UInt8](repeating: f.byte, count: f.minimumRun)) else { continue }
        }
        if !d.evasions.isSuperset(of: c.evasions) { continue }
        return i
    }
    return -1
}
