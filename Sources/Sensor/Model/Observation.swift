/// One thing a sensor saw — a web request from a log line, or a packet from a capture —
/// reduced to what the rules look at.
///
/// Readers produce observations; the matcher turns them into ``SensorEvent``s. The byte
/// fields point into the reader's buffers and are valid only during the call that receives
/// the observation (no per-record allocation on the hot path).
public struct Observation {
    /// What was seen.
    public enum Kind: UInt8, Sendable {
        /// A request line from a web server log (or parsed out of a TCP payload).
        case httpRequest
        /// A TCP segment from a capture.
        case tcpPacket
        /// A UDP datagram from a capture.
        case udpPacket
    }

    public var kind: Kind
    /// When, in nanoseconds since 1970-01-01T00:00:00Z.
    public var timeNanoseconds: Int64
    /// The sender's IPv4 address in host byte order (the client, for logs); 0 if unknown.
    public var source: UInt32
    /// The receiver's IPv4 address in host byte order (the server, for logs); 0 if the log
    /// does not say (Apache common and combined formats).
    public var destination: UInt32
    public var sourcePort: UInt16
    /// The receiver's port; 80 for a log that does not say.
    public var destinationPort: UInt16
    /// TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10); 0 otherwise.
    public var tcpFlags: UInt8
    /// The transport payload's length on the wire, from the headers (UDP length − 8, or
    /// IP total length − headers for TCP), even when the capture kept fewer bytes; 0 for logs.
    public var payloadLength: Int
    /// The captured payload bytes (possibly fewer than `payloadLength`); empty for logs.
    public var payload: UnsafeRawBufferPointer
    /// The HTTP method (`GET`), or empty.
    public var method: UnsafeRawBufferPointer
    /// The request target exactly as logged or sent, not decoded (`/default.ida?NNNN…`);
    /// for IIS logs `cs-uri-stem` and `cs-uri-query` rejoined with `?`. Empty if none.
    public var target: UnsafeRawBufferPointer
    /// Which input it came from (index into the list of inputs).
    public var input: Int
    /// The line number (logs, 1-based) or packet number (captures, 1-based).
    public var record: Int

    public init(
        kind: Kind, timeNanoseconds: Int64, source: UInt32, destination: UInt32,
        sourcePort: UInt16 = 0, destinationPort: UInt16, tcpFlags: UInt8 = 0, payloadLength: Int = 0,
        payload: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        method: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        target: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        input: Int, record: Int
    ) {
        self.kind = kind
        self.timeNanoseconds = timeNanoseconds
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.payloadLength = payloadLength
        self.payload = payload
        self.method = method
        self.target = target
        self.input = input
        self.record = record
    }
}
