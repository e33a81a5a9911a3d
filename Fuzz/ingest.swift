// Fuzz target `ingest`: bytes → the Watch Center's batch parser (IngestParser), the code every
// pushed body meets before anything is stored.
//
//   scripts/fuzz ingest [SECONDS]      (seed corpus: Fuzz/corpus/ingest/)
//
// Checks, for any input:
// - nothing traps (bounds, overflow, force-unwraps) in line splitting, JSON decoding, the
//   number-range fallback, time and address parsing, the checks on every field;
// - a refusal names a line that exists (1 ... the number of lines) and a known code;
// - an accepted batch round-trips: its own NDJSON parses back to an equal batch;
// - the fast event scanner agrees with the full decoder: every line it reads, the decoder reads
//   as the same event.
import Foundation
import Sensor
import WormWatchCore

nonisolated(unsafe) let fuzzParser = IngestParser(limits: IngestLimits(maxBodyBytes: 1 << 20, maxLines: 1_000))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let now: Int64 = 1_796_000_000 * 1_000_000_000
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
        let array = Array(line)
        guard let fast = array.withUnsafeBufferPointer({ EventLineScanner.scan($0) }) else { continue }
        do {
            guard case .event(let slow) = try fuzzParser.decodeLine(Data(array), number: 1, decoder: JSONDecoder()), slow == fast else {
                fatalError("the fast scanner and the decoder disagree on \(String(decoding: array, as: UTF8.self))")
            }
        } catch {
            fatalError("the fast scanner took a line the decoder refuses: \(error)")
        }
    }
    do {
        let batch = try fuzzParser.parse(bytes, now: now)
        let again = try fuzzParser.parse(batch.ndjson(), now: now)
        if again != batch { fatalError("an accepted batch does not round-trip through its NDJSON") }
    } catch {
        let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        if let line = error.line, !(1...lines).contains(line) { fatalError("error names line \(line) of \(lines)") }
    }
    return 0
}
