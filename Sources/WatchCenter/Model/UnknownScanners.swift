import Sensor

/// "Unknown scanners on port P": a sensor's generic scan rule (family `address-scan`) says that
/// a source probed many addresses on one port, not which worm it is. The center files each
/// such event under a family of its port and protocol, `unknown-tcp-445`, so that the early
/// warning follows a new worm on a port as it follows a named one — its sources, estimate,
/// level and advisories — before anyone has written a signature for it.
public enum UnknownScanners {
    /// The family the sensor's generic scan rule reports (``Sensor/RuleSet/default``).
    public static let sensorFamily = "address-scan"

    /// The family for scanners of `port` over `transport`: `unknown-tcp-445`.
    public static func family(transport: TransportProtocol, port: UInt16) -> String {
        "unknown-\(transport.rawValue)-\(port)"
    }

    /// The protocol and port of an `unknown-…` family, or `nil` for any other family.
    public static func port(ofFamily family: String) -> (transport: TransportProtocol, port: UInt16)? {
        let parts = family.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "unknown", let transport = TransportProtocol(rawValue: String(parts[1])),
              let port = UInt16(parts[2]), String(port) == parts[2] else { return nil }
        return (transport, port)
    }

    /// Files a sensor's event: an `address-scan` event goes to its port's family; any other is
    /// left as it is.
    public static func file(_ event: inout SensorEvent) {
        if event.family == sensorFamily {
            event.family = family(transport: event.transport, port: event.destinationPort)
        }
    }
}
