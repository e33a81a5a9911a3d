// Fuzz target for custom Apache LogFormats: the format-string parser and the line reader it
// drives (ApacheLogFormat, ApacheLogFormat+Parse).
//
// Built by scripts/fuzz with every Sensor source into one module (so no import of Sensor),
// against WormWatchCore built as a module of its own.
import WormWatchCore
// The first input byte sets the read chunk size (2^(b & 7) bytes, 1 ... 128); the input's first
// line after it is the LogFormat string (a nickname or a format), the rest is the log. Every
// byte an observation points at is read, so AddressSanitizer sees any stray pointer; the
// reader's counts must add up, and the same log read in one piece must give the same counts.

@_cdecl("LLVMFuzzerTestOneInput")
public func logFormatFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 1 else { return 0 }
    let chunk = 1 << Int(data[0] & 7)
    let rest = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let newline = rest.firstIndex(of: 10) ?? rest.count
    let formatText = String(decoding: rest[..<newline], as: UTF8.self)
    let log = newline < rest.count ? Array(rest[(newline + 1)...]) : []
    guard let format = try? ApacheLogFormat(parsing: formatText) else { return 0 }
    let pieces = fuzzReadCustom(log, format: format, chunk: chunk)
    let whole = fuzzReadCustom(log, format: format, chunk: .max)
    precondition(pieces == whole, "chunked reading changed the result")
    return 0
}

/// Reads `bytes` with `format`, touching every byte of every observation; returns the counts.
func fuzzReadCustom(_ bytes: [UInt8], format: ApacheLogFormat, chunk: Int) -> [Int] {
    var reader = LogReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz", apacheFormat: format)
    var count = 0
    var sum = 0
    do {
        while let observation = try reader.next() {
            count += 1
            for byte in observation.method { sum &+= Int(byte) }
            for byte in observation.target { sum &+= Int(byte) }
            for byte in reader.userAgent { sum &+= Int(byte) }
            sum &+= Int(observation.source) &+ Int(observation.destinationPort) &+ Int(observation.timeNanoseconds % 1_000_003)
            if let status = reader.status { precondition((0...999).contains(status)) }
        }
    } catch {
        preconditionFailure("a memory source and a forced format cannot fail: \(error)")
    }
    let s = reader.statistics
    precondition(s.requests == count)
    precondition(s.lines == s.requests + s.emptyRequests + s.directives + s.blankLines + reader.skipped.count)
    return [count, sum, s.lines, s.emptyRequests, s.unresolvedClients, reader.skipped.count]
}
