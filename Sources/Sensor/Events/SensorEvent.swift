/// One detection: which rule matched what, when, between which addresses, and where in the
/// input it was seen. Written one per line by ``EventNDJSON`` (`wormwatch.event/1`).
public struct SensorEvent: Sendable, Hashable {
    /// When, in nanoseconds since 1970-01-01T00:00:00Z (the observation's time).
    public var timeNanoseconds: Int64
    /// The sender's IPv4 address in host byte order; 0 if unknown.
    public var source: UInt32
    /// The receiver's IPv4 address in host byte order; 0 if unknown (Apache logs).
    public var destination: UInt32
    /// The receiver's port (80 for logs that do not say).
    public var destinationPort: UInt16
    /// `tcp` for web requests and TCP rules, `udp` for UDP rules.
    public var transport: TransportProtocol
    /// The matching rule's family (`code-red-i`).
    public var family: String
    /// The matching rule's id.
    public var ruleID: String
    /// The matching rule's severity.
    public var severity: Rule.Severity
    /// A short description of what matched: for web requests the first 80 bytes of the raw
    /// target, escaped as Apache escapes log items (`\\` for a backslash, `\xHH` for bytes
    /// outside printable ASCII); for packets the length and first bytes; for scans the count.
    public var evidence: String
    /// The input's name.
    public var input: String
    /// Whether ``record`` is a line or a packet number.
    public var recordKind: RecordKind
    /// The 1-based line or packet number in ``input``.
    public var record: Int

    /// An event with every field given.
    public init(
        timeNanoseconds: Int64, source: UInt32, destination: UInt32, destinationPort: UInt16, transport: TransportProtocol,
        family: String, ruleID: String, severity: Rule.Severity, evidence: String, input: String, recordKind: RecordKind, record: Int
    ) {
        self.timeNanoseconds = timeNanoseconds
        self.source = source
        self.destination = destination
        self.destinationPort = destinationPort
        self.transport = transport
        self.family = family
        self.ruleID = ruleID
        self.severity = severity
        self.evidence = evidence
        self.input = input
        self.recordKind = recordKind
        self.record = record
    }
}
