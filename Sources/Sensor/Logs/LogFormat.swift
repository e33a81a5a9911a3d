/// A web server log format the sensor reads and writes.
public enum LogFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Apache/NCSA common (`%h %l %u %t "%r" %>s %b`) or combined (plus
    /// `"%{Referer}i" "%{User-agent}i"`); the reader takes either, the writer writes combined.
    case apache
    /// IIS W3C extended (`#Software`, `#Version`, `#Date`, `#Fields` directives, UTC times).
    case iisW3C = "iis-w3c"
    /// Microsoft's IIS log file format: fifteen comma-separated fields, the server's local
    /// time (see ``IISNativeLineParser``).
    case iisNative = "iis-native"

    public var description: String { rawValue }

    /// The format of a log whose content starts with `prefix` (for example
    /// ``InputSource/prefix``), judged by its first non-blank line: a `#` directive means IIS
    /// W3C, a line Apache's format parses means Apache, one of IIS's comma-separated lines IIS
    /// native; `nil` otherwise.
    public static func detect(_ prefix: [UInt8]) -> LogFormat? {
        var start = 0
        while start < prefix.count {
            var end = start
            while end < prefix.count, prefix[end] != 10 { end += 1 }
            var last = end
            if last > start, prefix[last - 1] == 13 { last -= 1 }
            if last > start {
                if prefix[start] == 35 { return .iisW3C }
                var parser = ApacheLineParser()
                var native = IISNativeLineParser()
                return prefix.withUnsafeBytes { bytes in
                    let line = UnsafeRawBufferPointer(rebasing: bytes[start..<last])
                    if case .parsed = parser.parse(line) { return .apache }
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: line.count + 1, alignment: 1)
                    defer { scratch.deallocate() }
                    if case .parsed = native.parse(line, scratch: scratch, offset: 0) { return .iisNative }
                    return nil
                }
            }
            start = end + 1
        }
        return nil
    }
}
