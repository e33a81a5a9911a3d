import WormWatchCore

/// A ``SensorEvent`` coded as one object of the `wormwatch.event/1` stream (the same keys
/// and values ``EventNDJSON`` writes), so that another program — the Watch Center's ingest —
/// can read what a sensor wrote with any JSON decoder.
extension SensorEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case format, time, source, destination
        case destinationPort = "destination_port"
        case transport = "protocol"
        case family, rule, severity, evidence, input, line, packet
    }

    /// Why an event object cannot be read.
    public struct DecodingProblem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The key whose value is wrong.
        public var key: String
        /// What is wrong.
        public var message: String
        public var description: String { "\(key): \(message)" }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decode(String.self, forKey: .format)
        guard format == EventNDJSON.format else {
            throw DecodingProblem(key: "format", message: "'\(format)' is not \(EventNDJSON.format)")
        }
        let time = try c.decode(String.self, forKey: .time)
        guard let nanoseconds = UTCCalendar.parseISO8601Nanoseconds(time) else {
            throw DecodingProblem(key: "time", message: "'\(time)' is not an ISO 8601 UTC time like 2001-07-19T10:00:00Z")
        }
        func address(_ key: CodingKeys) throws -> UInt32 {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return 0 }
            guard let a = IPv4Address(text) else { throw DecodingProblem(key: key.rawValue, message: "'\(text)' is not an IPv4 address") }
            return a.value
        }
        let transportName = try c.decode(String.self, forKey: .transport)
        guard let transport = TransportProtocol(rawValue: transportName) else {
            throw DecodingProblem(key: "protocol", message: "'\(transportName)' is not tcp or udp")
        }
        let severityName = try c.decode(String.self, forKey: .severity)
        guard let severity = Rule.Severity(rawValue: severityName) else {
            throw DecodingProblem(key: "severity", message: "'\(severityName)' is not low, medium or high")
        }
        let kind: RecordKind
        let record: Int
        if let line = try c.decodeIfPresent(Int.self, forKey: .line) {
            kind = .line
            record = line
        } else if let packet = try c.decodeIfPresent(Int.self, forKey: .packet) {
            kind = .packet
            record = packet
        } else {
            throw DecodingProblem(key: "line", message: "missing (an event names its line or its packet)")
        }
        self.init(
            timeNanoseconds: nanoseconds, source: try address(.source), destination: try address(.destination),
            destinationPort: try c.decode(UInt16.self, forKey: .destinationPort), transport: transport,
            family: try c.decode(String.self, forKey: .family), ruleID: try c.decode(String.self, forKey: .rule),
            severity: severity, evidence: try c.decode(String.self, forKey: .evidence), input: try c.decode(String.self, forKey: .input),
            recordKind: kind, record: record)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(EventNDJSON.format, forKey: .format)
        try c.encode(UTCCalendar.iso8601(nanoseconds: timeNanoseconds), forKey: .time)
        if source == 0 { try c.encodeNil(forKey: .source) } else { try c.encode(IPv4Address(source).description, forKey: .source) }
        if destination == 0 {
            try c.encodeNil(forKey: .destination)
        } else {
            try c.encode(IPv4Address(destination).description, forKey: .destination)
        }
        try c.encode(destinationPort, forKey: .destinationPort)
        try c.encode(transport.rawValue, forKey: .transport)
        try c.encode(family, forKey: .family)
        try c.encode(ruleID, forKey: .rule)
        try c.encode(severity.rawValue, forKey: .severity)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(input, forKey: .input)
        try c.encode(record, forKey: recordKind == .line ? .line : .packet)
    }
}
