import Outbreak
import Sensor

/// Writes what a monitor saw in a simulated outbreak as the files a real system would have
/// written: a packet capture of the probes, or a web server's log of the requests a honeypot
/// answered.
///
/// Probe times are seconds since the simulation start; they become UTC timestamps by adding
/// `startTime`, rounded to the nanosecond in captures and truncated to the second in logs
/// (logs keep whole seconds). Ports, sequence numbers and IP identifications are derived from
/// the probe's index and source so the same record always gives the same bytes.
public enum ProbeEmitter {
    /// Writes `probes` as a classic pcap (nanosecond timestamps, Ethernet) and returns how many
    /// packets were written: one TCP SYN per probe for Code Red, one UDP datagram for Slammer.
    @discardableResult
    public static func writeCapture(
        _ probes: [MonitorProbe], startTime: Int64, signature: ProbeSignature, to path: String
    ) throws(SensorError) -> Int {
        let writer = try CaptureWriter(path: path, precision: .nanoseconds, link: .ethernet)
        let payload = ProbeSignature.slammerPayload
        for (index, probe) in probes.enumerated() {
            let time = timeNanoseconds(probe.time, startTime: startTime)
            let mix = mixed(UInt64(index), probe.source)
            let sourcePort = UInt16(1024 + mix % 64_000)
            let id = UInt16(truncatingIfNeeded: mix >> 16)
            if signature.isTCP {
                try writer.appendTCPSyn(
                    timeNanoseconds: time, source: probe.source, destination: probe.destination,
                    sourcePort: sourcePort, destinationPort: signature.port,
                    sequenceNumber: UInt32(truncatingIfNeeded: mix >> 32), ipIdentification: id)
            } else {
                try writer.appendUDP(
                    timeNanoseconds: time, source: probe.source, destination: probe.destination,
                    sourcePort: sourcePort, destinationPort: signature.port, ipIdentification: id, payload: payload)
            }
        }
        try writer.close()
        return probes.count
    }

    /// Writes `probes` as the web server log of a honeypot that answered every one (Apache
    /// combined or IIS W3C extended): one request line per probe. Slammer's probes are UDP and
    /// reach no web server: that is an error (`SensorError.unwritable` naming the reason).
    @discardableResult
    public static func writeLog(
        _ probes: [MonitorProbe], startTime: Int64, signature: ProbeSignature, format: LogFormat, to path: String
    ) throws(SensorError) -> Int {
        guard signature.isTCP else {
            throw .unwritable(path: path, reason: "\(signature) probes are UDP datagrams: no web server logs them (use a capture)")
        }
        var writer = try LogWriter(path: path, format: format)
        let target = signature.requestTarget
        let method = Array("GET".utf8)
        let agent: [UInt8] = []
        for probe in probes {
            try writer.write(
                timeNanoseconds: timeNanoseconds(probe.time, startTime: startTime), client: probe.source,
                server: probe.destination, serverPort: 80, method: method, target: target, status: 404,
                userAgent: agent)
        }
        try writer.close()
        return probes.count
    }

    /// A probe's UTC time in nanoseconds since 1970.
    @inlinable
    public static func timeNanoseconds(_ seconds: Double, startTime: Int64) -> Int64 {
        startTime * 1_000_000_000 + Int64((seconds * 1e9).rounded())
    }

    @inlinable
    static func mixed(_ index: UInt64, _ source: UInt32) -> UInt64 {
        var z = index &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(source)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
