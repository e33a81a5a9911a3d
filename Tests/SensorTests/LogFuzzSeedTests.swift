import Foundation
import Testing
@testable import Sensor

/// The fuzz target's seeds (Fuzz/corpus/logs; first byte = options, see Fuzz/logs.swift) and
/// its invariants, in the normal test run.
@Suite struct LogFuzzSeedTests {
    static var seedDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/corpus/logs").standardizedFileURL
    }

    @Test func seedsKeepTheReaderInvariants() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.seedDirectory.path).sorted()
        #expect(names.count >= 8)
        for name in names {
            let seed = Array(try Data(contentsOf: Self.seedDirectory.appendingPathComponent(name)))
            let bytes = Array(seed.dropFirst())
            for chunk in [1, 7] {
                let source = try openInput(MemoryByteSource(bytes, maximumChunk: chunk), path: name)
                var reader = LogReader(source: source, path: name, lineLimit: seed[0] & 0x20 != 0 ? 64 : 65_536)
                var count = 0
                // `damaged-auto` is nothing but damage at its 64-byte line limit: not a log.
                let damaged = name.hasPrefix("damaged")
                do {
                    while try reader.next() != nil { count += 1 }
                    #expect(!damaged)
                } catch {
                    #expect(damaged && error == .unrecognizedFormat(
                        path: name, reason: "not an Apache or IIS log: none of its 4 lines could be read"))
                }
                let s = reader.statistics
                #expect(s.requests == count, "\(name)")
                #expect(s.lines == s.requests + s.emptyRequests + s.directives + s.blankLines + reader.skipped.count, "\(name)")
                #expect((count > 0) != damaged, "\(name)")
                if damaged { #expect(reader.skipped.count == 6) }
            }
        }
    }
}
