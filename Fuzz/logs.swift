// Fuzz target for the web-log readers: gzip, LineReader, Apache and IIS W3C parsing.
//
// Built by scripts/fuzz with every Sensor source into one module (so no import of Sensor),
// against WormWatchCore built as a module of its own.
import WormWatchCore
// The first input byte chooses the path, the rest is the file:
//   bits 0-1  0: auto-detect through the gzip-aware opener   1: forced Apache
//             2: forced IIS W3C                              3: LineReader alone
//   bits 2-4  read chunk size 2^k bytes (1 ... 128): joins at every position
//   bit  5    line limit 64 bytes instead of 65,536 (over-long paths)
//   bits 6-7  opener prefix length 2, 16, 600 or 4096 bytes
// Every byte an observation points at is read, so AddressSanitizer sees any stray pointer.
// Logs read as Apache (auto-detected or forced) are also read through the fast path
// (LogReader.classify, which turns ordinary requests away before building observations) and
// must give exactly what the plain path gives: events, statistics, skipped lines, counters.

@_cdecl("LLVMFuzzerTestOneInput")
public func logsFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let chunk = 1 << Int((control >> 2) & 7)
    let lineLimit = control & 0x20 != 0 ? 64 : 65_536
    let prefixLength = [2, 16, 600, 4096][Int(control >> 6)]
    _ = LogFormat.detect(bytes)
    switch control & 3 {
    case 0:
        do {
            let input = try openInput(MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz", prefixLength: prefixLength)
            _ = LogFormat.detect(input.prefix)
            var reader = LogReader(source: input, path: "fuzz", lineLimit: lineLimit)
            fuzzDrain(&reader)
        } catch {}
        fuzzCompareFastPath(bytes, chunk: chunk, lineLimit: lineLimit, format: nil)
    case 1, 2:
        var reader = LogReader(
            source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz",
            format: control & 3 == 1 ? .apache : .iisW3C, lineLimit: lineLimit)
        fuzzDrain(&reader)
        if control & 3 == 1 { fuzzCompareFastPath(bytes, chunk: chunk, lineLimit: lineLimit, format: .apache) }
    default:
        var lines = LineReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz", lineLimit: lineLimit, chunkSize: 64)
        var previous = 0
        do {
            while let line = try lines.next() {
                precondition(line.number > previous && line.bytes.count <= lineLimit)
                previous = line.number
                precondition(!line.bytes.contains(10))
            }
        } catch {
            preconditionFailure("a memory source cannot fail")
        }
        precondition(lines.lineCount >= previous)
    }
    return 0
}

/// Reads every request, touching every byte, and checks the reader's invariants.
func fuzzDrain<Source: ByteSource>(_ reader: inout LogReader<Source>) {
    var count = 0
    var previous = 0
    var sum: UInt8 = 0
    do {
        while let observation = try reader.next() {
            count += 1
            precondition(observation.kind == .httpRequest && observation.record > previous)
            previous = observation.record
            // Years 1900 ... 2261 only.
            precondition(observation.timeNanoseconds > -2_300_000_000 * 1_000_000_000)
            for byte in observation.method { sum &+= byte }
            for byte in observation.target { sum &+= byte }
            for byte in reader.userAgent { sum &+= byte }
            if let status = reader.status { precondition((0...999).contains(status)) }
        }
    } catch {
        // Thrown errors are fine (bad gzip data, not a log); traps are not.
    }
    let statistics = reader.statistics
    precondition(statistics.requests == count)
    // Every line lands in exactly one bucket.
    precondition(statistics.lines == statistics.requests + statistics.emptyRequests + statistics.directives
        + statistics.blankLines + reader.skipped.count)
    precondition(statistics.unresolvedClients <= statistics.requests)
    if sum == 0x5a { count += 1 }  // keep `sum` alive
}

/// Reads `bytes` both ways with the default rules and traps if they differ.
func fuzzCompareFastPath(_ bytes: [UInt8], chunk: Int, lineLimit: Int, format: LogFormat?) {
    struct Outcome: Equatable {
        var events: [SensorEvent] = []
        var observed = 0
        var statistics = LogStatistics()
        var skipped = SkippedInput()
        var counters = Matcher.Statistics()
        var failure = ""
    }
    let inputs = [InputDescriptor(name: "fuzz", records: .line)]
    func matcher() -> Matcher {
        do { return try Matcher(rules: .default, inputs: inputs) } catch { preconditionFailure("default rules: \(error)") }
    }
    var plain = Outcome()
    var plainMatcher = matcher()
    var plainReader = LogReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz", format: format, lineLimit: lineLimit)
    do {
        while let observation = try plainReader.next() {
            plain.observed += 1
            plainMatcher.observe(observation) { plain.events.append($0) }
        }
    } catch {
        plain.failure = "\(error)"
    }
    plain.statistics = plainReader.statistics
    plain.skipped = plainReader.skipped
    plain.counters = plainMatcher.statistics

    var fast = Outcome()
    var fastMatcher = matcher()
    var fastReader = LogReader(source: MemoryByteSource(bytes, maximumChunk: chunk), path: "fuzz", format: format, lineLimit: lineLimit)
    do {
        try fastReader.classify(with: &fastMatcher, observed: &fast.observed) { fast.events.append($0) }
    } catch {
        fast.failure = "\(error)"
    }
    fast.statistics = fastReader.statistics
    fast.skipped = fastReader.skipped
    fast.counters = fastMatcher.statistics
    precondition(fast == plain, "the fast path differs: \(fast) vs \(plain)")
}
