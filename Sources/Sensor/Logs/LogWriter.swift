import WormWatchCore

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
/// - IIS native: `CLIENT, -, M/D/YY, H:MM:SS, W3SVC1, WORMWATCH, SERVER, 0, 0, 0, STATUS, 0,
///   METHOD, STEM, QUERY,` in the zone `utcOffsetMinutes` east of UTC (the format records local
///   time and does not say which); fields escaped as for W3C, so none holds `, `; two-digit
///   years, so only 1970–2069 read back.
/// - Status codes outside 100...999 are logged as `-`; times are whole seconds.
public struct LogWriter: ~Copyable {
    /// The fields of the IIS W3C lines written.
    public static let iisFields = "date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)"

    /// The output's name in messages.
    public let path: String
    /// What is written: Apache combined, IIS W3C extended or IIS native.
    public let format: LogFormat
    private var file: OutputFile
    private let software: String
    private let utcOffsetSeconds: Int64
    /// Formatted lines not yet written: `buffer[0..<count]`.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var wroteHeader = false
    private var closed = false
    private static let bufferSize = 1 << 18

    /// Creates (or truncates) the file at `path` (`-`: standard output). `software` is the IIS
    /// `#Software` directive; `utcOffsetMinutes` the Apache time zone (e.g. -420 for -0700),
    /// also the local time of IIS native lines.
    public init(
        path: String, format: LogFormat,
        software: String = "Microsoft Internet Information Services 5.0", utcOffsetMinutes: Int = 0
    ) throws(SensorError) {
        self.path = path
        self.format = format
        self.software = software
        utcOffsetSeconds = Int64(max(-1439, min(1439, utcOffsetMinutes))) * 60
        do { file = try OutputFile(path: path) } catch { throw .unwritable(path: path, reason: error.reason) }
        capacity = Self.bufferSize
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        if !closed { try? file.write(buffer, count: count) }  // the file closes itself
        buffer.deallocate()
    }

    /// Logs one request. The byte collections are read once each (contiguously if they can be:
    /// `String.UTF8View`, `[UInt8]`, `UnsafeRawBufferPointer`).
    public mutating func write(
        timeNanoseconds: Int64, client: UInt32, server: UInt32, serverPort: UInt16,
        method: some Collection<UInt8>, target: some Collection<UInt8>, status: Int,
        userAgent: some Collection<UInt8>
    ) throws(SensorError) {
        guard !closed else { throw .unwritable(path: path, reason: "already closed") }
        Self.withBytes(method) { method in
            Self.withBytes(target) { target in
                Self.withBytes(userAgent) { userAgent in
                    self.format(
                        timeNanoseconds: timeNanoseconds, client: client, server: server, serverPort: serverPort,
                        method: method, target: target, status: status, userAgent: userAgent)
                }
            }
        }
        if count >= Self.bufferSize { try flush() }
    }

    /// Writes out what is buffered.
    public mutating func flush() throws(SensorError) {
        guard count > 0 else { return }
        defer { count = 0 }
        do { try file.write(buffer, count: count) } catch { throw .unwritable(path: path, reason: error.reason) }
    }

    /// Flushes and closes the file; reports a failed write or close.
    public mutating func close() throws(SensorError) {
        guard !closed else { return }
        closed = true
        var failure: SystemError?
        do { try file.write(buffer, count: count) } catch { failure = error }
        count = 0
        do { try file.close() } catch { failure = failure ?? error }
        if let failure { throw .unwritable(path: path, reason: failure.reason) }
    }

    private static func withBytes(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> Void) {
        if bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes(body)
        }
    }

    // MARK: Formatting (non-generic, into the raw buffer)

    /// Makes room for `needed` more bytes by growing the buffer (formatting does not throw;
    /// ``write(timeNanoseconds:client:server:serverPort:method:target:status:userAgent:)``
    /// writes the buffer out once it holds 256 KiB, so it grows only for a huge line).
    private mutating func reserve(_ needed: Int) {
        guard count + needed > capacity else { return }
        let newCapacity = max(capacity * 2, count + needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        buffer[count] = byte
        count &+= 1
    }

    private mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { bytes in
            guard let from = bytes.baseAddress else { return }
            (buffer + count).update(from: from, count: bytes.count)
            count &+= bytes.count
        }
    }

    private mutating func putNumber(_ value: Int, width: Int = 1) {
        if value < 0 { put(45) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var digits = 1
        while divisor <= magnitude / 10 {
            divisor *= 10
            digits += 1
        }
        for _ in digits..<max(digits, width) { put(48) }
        var rest = magnitude
        while divisor > 0 {
            put(UInt8(truncatingIfNeeded: 48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private mutating func putIPv4(_ address: UInt32) {
        putNumber(Int(address >> 24))
        put(46)
        putNumber(Int((address >> 16) & 255))
        put(46)
        putNumber(Int((address >> 8) & 255))
        put(46)
        putNumber(Int(address & 255))
    }

    private mutating func putDate(_ seconds: Int64) {
        let (y, m, d) = UTCCalendar.date(seconds)
        putNumber(y, width: 4)
        put(45)
        putNumber(m, width: 2)
        put(45)
        putNumber(d, width: 2)
    }

    private mutating func putTime(_ seconds: Int64) {
        let s = Int(((seconds % 86_400) + 86_400) % 86_400)
        putNumber(s / 3600, width: 2)
        put(58)
        putNumber(s / 60 % 60, width: 2)
        put(58)
        putNumber(s % 60, width: 2)
    }

    private mutating func putStatus(_ status: Int) {
        if (100...999).contains(status) { putNumber(status) } else { put(45) }
    }

    private static let hex: StaticString = "0123456789abcdef"

    @inline(__always)
    private mutating func putHex(_ byte: UInt8) {
        Self.hex.withUTF8Buffer { digits in
            put(digits[Int(byte >> 4)])
            put(digits[Int(byte & 15)])
        }
    }

    /// Apache 2's log escaping (`ap_escape_logitem`): `\"`, `\\`, `\xhh` outside printable ASCII.
    private mutating func putApacheEscaped(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            switch byte {
            case 34, 92:
                put(92)
                put(byte)
            case 32..<127:
                put(byte)
            default:
                put(92)
                put(120)
                putHex(byte)
            }
        }
    }

    /// One W3C field: `-` if empty, spaces as `+`, control bytes as `%hh`.
    private mutating func putW3CField(_ bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty {
            put(45)
            return
        }
        for byte in bytes {
            switch byte {
            case 32:
                put(43)
            case 0..<32, 127:
                put(37)
                putHex(byte)
            default:
                put(byte)
            }
        }
    }

    private mutating func format(
        timeNanoseconds: Int64, client: UInt32, server: UInt32, serverPort: UInt16,
        method: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer, status: Int, userAgent: UnsafeRawBufferPointer
    ) {
        let seconds = timeNanoseconds >= 0
            ? timeNanoseconds / 1_000_000_000 : (timeNanoseconds - 999_999_999) / 1_000_000_000
        // Fixed parts (header, numbers, punctuation) fit in 1 KiB; escaping at most quadruples.
        reserve(1024 + software.utf8.count + 4 * (method.count + target.count + userAgent.count))
        switch format {
        case .apache:
            formatApache(seconds: seconds, client: client, method: method, target: target, status: status, userAgent: userAgent)
        case .iisW3C:
            if !wroteHeader {
                put("#Software: ")
                for byte in software.utf8 where byte >= 32 { put(byte) }
                put("\n#Version: 1.0\n#Date: ")
                putDate(seconds)
                put(32)
                putTime(seconds)
                put("\n#Fields: ")
                Self.iisFields.utf8.forEach { put($0) }
                put(10)
                wroteHeader = true
            }
            formatIIS(seconds: seconds, client: client, server: server, serverPort: serverPort, method: method,
                      target: target, status: status, userAgent: userAgent)
        case .iisNative:
            formatIISNative(seconds: seconds, client: client, server: server, method: method, target: target, status: status)
        }
    }

    private mutating func formatApache(
        seconds: Int64, client: UInt32, method: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer,
        status: Int, userAgent: UnsafeRawBufferPointer
    ) {
        putIPv4(client)
        put(" - - [")
        let local = seconds + utcOffsetSeconds
        let (y, m, d) = UTCCalendar.date(local)
        putNumber(d, width: 2)
        put(47)
        LogTime.monthNames[m - 1].withUTF8Buffer { name in name.forEach { put($0) } }
        put(47)
        putNumber(y, width: 4)
        put(58)
        putTime(local)
        put(32)
        put(utcOffsetSeconds < 0 ? 45 : 43)
        let offset = Int(utcOffsetSeconds.magnitude / 60)
        putNumber(offset / 60, width: 2)
        putNumber(offset % 60, width: 2)
        put("] \"")
        if method.isEmpty, target.isEmpty {
            put(45)
        } else {
            putApacheEscaped(method)
            put(32)
            putApacheEscaped(target)
            put(" HTTP/1.0")
        }
        put("\" ")
        putStatus(status)
        put(" - \"-\" \"")
        if userAgent.isEmpty { put(45) } else { putApacheEscaped(userAgent) }
        put("\"\n")
    }

    private mutating func formatIISNative(
        seconds: Int64, client: UInt32, server: UInt32, method: UnsafeRawBufferPointer,
        target: UnsafeRawBufferPointer, status: Int
    ) {
        let local = seconds + utcOffsetSeconds
        let (y, m, d) = UTCCalendar.date(local)
        putIPv4(client)
        put(", -, ")
        putNumber(m)
        put(47)
        putNumber(d)
        put(47)
        putNumber(y % 100, width: 2)
        put(", ")
        let s = Int(((local % 86_400) + 86_400) % 86_400)
        putNumber(s / 3600)
        put(58)
        putNumber(s / 60 % 60, width: 2)
        put(58)
        putNumber(s % 60, width: 2)
        put(", W3SVC1, WORMWATCH, ")
        putIPv4(server)
        put(", 0, 0, 0, ")
        putStatus(status)
        put(", 0, ")
        putW3CField(method)
        put(", ")
        if let question = target.firstIndex(of: 63) {
            putW3CField(UnsafeRawBufferPointer(rebasing: target[..<question]))
            put(", ")
            putW3CField(UnsafeRawBufferPointer(rebasing: target[(question + 1)...]))
        } else {
            putW3CField(target)
            put(", -")
        }
        put(",\n")
    }

    private mutating func formatIIS(
        seconds: Int64, client: UInt32, server: UInt32, serverPort: UInt16, method: UnsafeRawBufferPointer,
        target: UnsafeRawBufferPointer, status: Int, userAgent: UnsafeRawBufferPointer
    ) {
        putDate(seconds)
        put(32)
        putTime(seconds)
        put(32)
        putIPv4(client)
        put(" - ")
        putIPv4(server)
        put(32)
        putNumber(Int(serverPort))
        put(32)
        putW3CField(method)
        put(32)
        if let question = target.firstIndex(of: 63) {
            putW3CField(UnsafeRawBufferPointer(rebasing: target[..<question]))
            put(32)
            putW3CField(UnsafeRawBufferPointer(rebasing: target[(question + 1)...]))
        } else {
            putW3CField(target)
            put(" -")
        }
        put(32)
        putStatus(status)
        put(32)
        putW3CField(userAgent)
        put(10)
    }
}
