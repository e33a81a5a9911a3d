#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes web server log lines — Apache combined, or IIS W3C extended with its
/// `#Software`/`#Version`/`#Date`/`#Fields` header — as a real server would have logged the
/// requests a honeypot received. Buffered; ``close()`` flushes and reports write errors.
///
/// What it writes, per format:
/// - Apache combined: `CLIENT - - [19/Jul/2001:10:04:12 +0000] "METHOD TARGET HTTP/1.0" STATUS - "-" "AGENT"`,
///   in the zone `utcOffsetMinutes` east of UTC. `"`, `\` and bytes outside printable ASCII
///   are escaped as Apache 2 does (`\"`, `\\`, `\xhh`); an empty method and target log as
///   `"-"`, an empty agent as `"-"`.
/// - IIS W3C: `date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query
///   sc-status cs(User-Agent)` in UTC; the target is split at its first `?`; spaces become
///   `+` and control bytes `%hh` (IIS writes one space-free token per field); empty fields `-`.
///   The header is written before the first line, its `#Date` that line's time.
/// - Status codes outside 100...999 are logged as `-`; times are whole seconds.
public struct LogWriter: ~Copyable {
    /// The fields of the IIS W3C lines written.
    public static let iisFields = "date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)"

    /// The output's name in messages.
    public let path: String
    public let format: LogFormat
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let software: String
    private let utcOffsetSeconds: Int64
    private var pending: [UInt8] = []
    private var wroteHeader = false
    private var closed = false
    private static let flushThreshold = 1 << 18

    /// Creates (or truncates) the file at `path` (`-`: standard output). `software` is the IIS
    /// `#Software` directive; `utcOffsetMinutes` the Apache time zone (e.g. -420 for -0700).
    public init(
        path: String, format: LogFormat,
        software: String = "Microsoft Internet Information Services 5.0", utcOffsetMinutes: Int = 0
    ) throws(SensorError) {
        self.path = path
        self.format = format
        self.software = software
        utcOffsetSeconds = Int64(max(-1439, min(1439, utcOffsetMinutes))) * 60
        if path == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
            descriptor = fd
            ownsDescriptor = true
        }
        pending.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        if !closed {
            _ = Self.writeAll(descriptor, pending)
            if ownsDescriptor { Glibc.close(descriptor) }
        }
    }

    /// Logs one request.
    public mutating func write(
        timeNanoseconds: Int64, client: UInt32, server: UInt32, serverPort: UInt16,
        method: some Collection<UInt8>, target: some Collection<UInt8>, status: Int,
        userAgent: some Collection<UInt8>
    ) throws(SensorError) {
        guard !closed else { throw .unwritable(path: path, reason: "already closed") }
        let seconds = timeNanoseconds >= 0 ? timeNanoseconds / 1_000_000_000 : (timeNanoseconds - 999_999_999) / 1_000_000_000
        switch format {
        case .apache:
            appendApache(seconds: seconds, client: client, method: method, target: target, status: status, userAgent: userAgent)
        case .iisW3C:
            if !wroteHeader {
                appendText("#Software: \(software)\n#Version: 1.0\n#Date: ")
                appendDate(seconds, separator: 45)
                appendByte(32)
                appendTime(seconds)
                appendText("\n#Fields: \(Self.iisFields)\n")
                wroteHeader = true
            }
            appendIIS(seconds: seconds, client: client, server: server, serverPort: serverPort, method: method,
                      target: target, status: status, userAgent: userAgent)
        }
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Writes out what is buffered.
    public mutating func flush() throws(SensorError) {
        guard !pending.isEmpty else { return }
        if let reason = Self.writeAll(descriptor, pending) {
            throw .unwritable(path: path, reason: reason)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; reports a failed write or close.
    public mutating func close() throws(SensorError) {
        guard !closed else { return }
        defer { closed = true }
        let failure = Self.writeAll(descriptor, pending)
        pending.removeAll()
        if ownsDescriptor, Glibc.close(descriptor) != 0, failure == nil {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        if let failure { throw .unwritable(path: path, reason: failure) }
    }

    /// Writes all of `bytes`; the reason on failure.
    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return n < 0 ? String(cString: strerror(errno)) : "short write"
                }
            }
            return nil
        }
    }

    // MARK: Formatting

    private mutating func appendByte(_ byte: UInt8) { pending.append(byte) }

    private mutating func appendText(_ text: String) { pending.append(contentsOf: text.utf8) }

    private mutating func appendNumber(_ value: Int, width: Int = 1) {
        if value < 0 { pending.append(45) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var digits = 1
        while divisor <= magnitude / 10 {
            divisor *= 10
            digits += 1
        }
        for _ in digits..<max(digits, width) { pending.append(48) }
        var rest = magnitude
        while divisor > 0 {
            pending.append(UInt8(truncatingIfNeeded: 48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private mutating func appendIPv4(_ address: UInt32) {
        appendNumber(Int(address >> 24))
        appendByte(46)
        appendNumber(Int((address >> 16) & 255))
        appendByte(46)
        appendNumber(Int((address >> 8) & 255))
        appendByte(46)
        appendNumber(Int(address & 255))
    }

    private mutating func appendDate(_ seconds: Int64, separator: UInt8) {
        let (y, m, d) = LogTime.date(days: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        appendNumber(y, width: 4)
        appendByte(separator)
        appendNumber(m, width: 2)
        appendByte(separator)
        appendNumber(d, width: 2)
    }

    private mutating func appendTime(_ seconds: Int64) {
        let s = Int(((seconds % 86_400) + 86_400) % 86_400)
        appendNumber(s / 3600, width: 2)
        appendByte(58)
        appendNumber(s / 60 % 60, width: 2)
        appendByte(58)
        appendNumber(s % 60, width: 2)
    }

    private mutating func appendStatus(_ status: Int) {
        if (100...999).contains(status) { appendNumber(status) } else { appendByte(45) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Apache 2's log escaping (`ap_escape_logitem`).
    private mutating func appendApacheEscaped(_ bytes: some Collection<UInt8>) {
        for byte in bytes {
            switch byte {
            case 34, 92:
                pending.append(92)
                pending.append(byte)
            case 32..<127:
                pending.append(byte)
            default:
                pending.append(92)
                pending.append(120)
                pending.append(Self.hex[Int(byte >> 4)])
                pending.append(Self.hex[Int(byte & 15)])
            }
        }
    }

    private mutating func appendApache(
        seconds: Int64, client: UInt32, method: some Collection<UInt8>, target: some Collection<UInt8>,
        status: Int, userAgent: some Collection<UInt8>
    ) {
        appendIPv4(client)
        appendText(" - - [")
        let local = seconds + utcOffsetSeconds
        let (y, m, d) = LogTime.date(days: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        appendNumber(d, width: 2)
        appendByte(47)
        LogTime.monthNames[m - 1].withUTF8Buffer { pending.append(contentsOf: $0) }
        appendByte(47)
        appendNumber(y, width: 4)
        appendByte(58)
        appendTime(local)
        appendByte(32)
        appendByte(utcOffsetSeconds < 0 ? 45 : 43)
        let offset = Int(utcOffsetSeconds.magnitude / 60)
        appendNumber(offset / 60, width: 2)
        appendNumber(offset % 60, width: 2)
        appendText("] \"")
        if method.isEmpty, target.isEmpty {
            appendByte(45)
        } else {
            appendApacheEscaped(method)
            appendByte(32)
            appendApacheEscaped(target)
            appendText(" HTTP/1.0")
        }
        appendText("\" ")
        appendStatus(status)
        appendText(" - \"-\" \"")
        if userAgent.isEmpty { appendByte(45) } else { appendApacheEscaped(userAgent) }
        appendText("\"\n")
    }

    /// One W3C field: `-` if empty, spaces as `+`, control bytes as `%hh`.
    private mutating func appendW3CField(_ bytes: some Collection<UInt8>) {
        if bytes.isEmpty {
            pending.append(45)
            return
        }
        for byte in bytes {
            switch byte {
            case 32:
                pending.append(43)
            case 0..<32, 127:
                pending.append(37)
                pending.append(Self.hex[Int(byte >> 4)])
                pending.append(Self.hex[Int(byte & 15)])
            default:
                pending.append(byte)
            }
        }
    }

    private mutating func appendIIS(
        seconds: Int64, client: UInt32, server: UInt32, serverPort: UInt16, method: some Collection<UInt8>,
        target: some Collection<UInt8>, status: Int, userAgent: some Collection<UInt8>
    ) {
        appendDate(seconds, separator: 45)
        appendByte(32)
        appendTime(seconds)
        appendByte(32)
        appendIPv4(client)
        appendText(" - ")
        appendIPv4(server)
        appendByte(32)
        appendNumber(Int(serverPort))
        appendByte(32)
        appendW3CField(method)
        appendByte(32)
        if let question = target.firstIndex(of: 63) {
            appendW3CField(target[..<question])
            appendByte(32)
            appendW3CField(target[target.index(after: question)...])
        } else {
            appendW3CField(target)
            appendText(" -")
        }
        appendByte(32)
        appendStatus(status)
        appendByte(32)
        appendW3CField(userAgent)
        appendByte(10)
    }
}
