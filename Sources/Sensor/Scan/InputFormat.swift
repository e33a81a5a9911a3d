/// What kind of file an input is: detected from its first bytes, or forced by the user.
public enum InputFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Detect: a pcap or pcapng magic number means a capture; otherwise a web server log
    /// whose format the first lines show (Apache common/combined, IIS W3C or IIS native).
    case auto
    /// Apache/NCSA common or combined log.
    case apache
    /// IIS W3C extended log.
    case iis
    /// IIS log in Microsoft's comma-separated IIS format (local times: see
    /// ``SensorScan/localTimeOffset``).
    case iisNative = "iis-native"
    /// A packet capture, pcap or pcapng (the magic number says which).
    case pcap

    public var description: String { rawValue }
}
