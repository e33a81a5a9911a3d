import Foundation
import Testing
import WormWatchTestSupport
@testable import Sensor

@Suite struct GzipByteSourceTests {
    /// Everything a source yields, read through a buffer of `buffer` bytes.
    func drain<S: ByteSource>(_ source: inout S, buffer: Int = 4096) throws(SensorError) -> [UInt8] {
        var out: [UInt8] = []
        let space = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer, alignment: 1)
        defer { space.deallocate() }
        while true {
            let n = try source.read(into: space)
            if n == 0 { return out }
            out += space[..<n]
        }
    }

    @Test func decompressesWhatGzipWrote() throws {
        let plain = try fixtureBytes("apache-combined-2001.log")
        let compressed = try gzipped(plain)
        #expect(compressed.starts(with: [0x1f, 0x8b]))
        for chunk in [1, 7, 100_000] {
            for buffer in [1, 3, 4096] {
                let gzip = try GzipByteSource(base: MemoryByteSource(compressed, maximumChunk: chunk), path: "a.gz")
                var source = gzip
                #expect(try drain(&source, buffer: buffer) == plain)
                #expect(gzip.membersRead == 1)
                #expect(gzip.ignoredTrailingBytes == 0)
            }
        }
    }

    @Test func concatenatedMembersReadLikeZcat() throws {
        let a = Array("first member\n".utf8)
        let b = try fixtureBytes("iis6-w3c.log")
        let empty = try gzipped([])
        let joined = try gzipped(a) + empty + gzipped(b)
        for chunk in [1, 5, 1 << 20] {
            var source = try GzipByteSource(base: MemoryByteSource(joined, maximumChunk: chunk), path: "j.gz")
            #expect(try drain(&source) == a + b)
            #expect(source.membersRead == 3)
        }
    }

    @Test func trailingGarbageIsIgnoredAndCounted() throws {
        let a = Array("payload\n".utf8)
        var zeros = try GzipByteSource(base: MemoryByteSource(try gzipped(a) + [0, 0, 0, 0]), path: "z.gz")
        #expect(try drain(&zeros) == a)
        #expect(zeros.ignoredTrailingBytes == 4)
        var junk = try GzipByteSource(base: MemoryByteSource(try gzipped(a) + [0x1f], maximumChunk: 3), path: "j.gz")
        #expect(try drain(&junk) == a)
        #expect(junk.ignoredTrailingBytes == 1)
    }

    @Test func truncatedInputThrowsWithTheOffset() throws {
        let plain = Array(String(repeating: "10.0.0.1 - - [19/Jul/2001:10:00:00 -0700] \"GET / HTTP/1.0\" 200 1\n", count: 2000).utf8)
        let compressed = try gzipped(plain)
        let cut = Array(compressed[..<(compressed.count - 10)])
        var source = try GzipByteSource(base: MemoryByteSource(cut, maximumChunk: 999), path: "cut.gz")
        let error = #expect(throws: SensorError.self) { try drain(&source) }
        #expect(error == .unrecognizedFormat(
            path: "cut.gz", reason: "truncated gzip data: input ends at byte \(cut.count) inside a member"))

        // Through a log reader: the lines before the damage are read, then the error.
        var reader = LogReader(source: try openInput(MemoryByteSource(cut), path: "cut.gz"), path: "cut.gz")
        var requests = 0
        let readError = #expect(throws: SensorError.self) {
            while try reader.next() != nil { requests += 1 }
        }
        #expect(readError == error)
        #expect(requests > 1900 && requests < 2000)
        #expect(reader.statistics.requests == requests)
        // The damage is not mistaken for the end: the cut last line is never read as complete.
        let again = #expect(throws: SensorError.self) { _ = try reader.next() }
        #expect(again == error)
        #expect(reader.statistics.requests == requests)

        // Only the header.
        var header = try GzipByteSource(base: MemoryByteSource(Array(compressed[..<5])), path: "h.gz")
        #expect(throws: SensorError.unrecognizedFormat(path: "h.gz", reason: "truncated gzip data: input ends at byte 5 inside a member")) {
            try drain(&header)
        }
    }

    @Test func corruptInputThrowsWithTheOffset() throws {
        let plain = Array(String(repeating: "GET /default.ida?NNNN HTTP/1.0\n", count: 500).utf8) + Array(0..<255)
        var compressed = try gzipped(plain)
        compressed[compressed.count - 6] ^= 0xff  // inside the CRC-32/length trailer
        var badTrailer = try GzipByteSource(base: MemoryByteSource(compressed), path: "c.gz")
        let error = #expect(throws: SensorError.self) { try drain(&badTrailer) }
        guard case let .unrecognizedFormat(path, reason) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(path == "c.gz")
        #expect(reason.hasPrefix("corrupt gzip data at byte "))
        #expect(reason.hasSuffix(": incorrect length check") || reason.hasSuffix(": incorrect data check"))

        var header = try gzipped(plain)
        header[2] = 7  // compression method
        var badHeader = try GzipByteSource(base: MemoryByteSource(header), path: "m.gz")
        #expect(throws: SensorError.unrecognizedFormat(path: "m.gz", reason: "corrupt gzip data at byte 4: unknown compression method")) {
            try drain(&badHeader)
        }
    }

    @Test func notGzipAtAll() throws {
        var source = try GzipByteSource(base: MemoryByteSource(Array("plain".utf8)), path: "p")
        #expect(throws: SensorError.unrecognizedFormat(path: "p", reason: "not gzip data (no 1f 8b at the start)")) {
            try drain(&source)
        }
        var empty = try GzipByteSource(base: MemoryByteSource([]), path: "e")
        #expect(throws: SensorError.self) { try drain(&empty) }
    }

    @Test func openInputPeeksAndUnwraps() throws {
        let plain = try fixtureBytes("apache-combined-2001.log")
        var input = try openInput(MemoryByteSource(try gzipped(plain), maximumChunk: 3), path: "a.gz", prefixLength: 100)
        #expect(input.isGzip)
        #expect(input.prefix == Array(plain[..<100]))
        #expect(try drain(&input, buffer: 7) == plain)

        var raw = try openInput(MemoryByteSource(plain, maximumChunk: 1), path: "a", prefixLength: 100)
        #expect(!raw.isGzip)
        #expect(raw.prefix == Array(plain[..<100]))
        #expect(try drain(&raw, buffer: 33) == plain)

        var tiny = try openInput(MemoryByteSource([0x1f]), path: "t")
        #expect(!tiny.isGzip)
        #expect(tiny.prefix == [0x1f])
        #expect(try drain(&tiny) == [0x1f])

        var nothing = try openInput(MemoryByteSource([]), path: "n")
        #expect(nothing.prefix.isEmpty)
        #expect(try drain(&nothing).isEmpty)

        // Magic, then garbage: the peek already fails.
        #expect(throws: SensorError.self) { try openInput(MemoryByteSource([0x1f, 0x8b, 0x41, 0x41, 0x41]), path: "g") }
    }

    @Test func openInputOnFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try fixtureBytes("iis5-w3c.log")
        let file = directory.appendingPathComponent("ex010719.log")
        try Data(plain).write(to: file)
        try runGzip(["-k", file.path])
        let compressedPath = file.path + ".gz"

        var reader = try LogReader(path: compressedPath)
        let fromGzip = try collect(&reader)
        #expect(fromGzip.requests == LogReaderIISTests.iis5Expected)
        #expect(fromGzip.skipMessages == ["\(compressedPath):17: fewer fields than #Fields declares (8 of 11)"])

        let input = try openInput(path: compressedPath)
        #expect(input.isGzip)
        #expect(LogFormat.detect(input.prefix) == .iisW3C)

        let missing = directory.appendingPathComponent("missing.log").path
        #expect(throws: SensorError.unreadable(path: missing, reason: "No such file or directory")) {
            try openInput(path: missing)
        }
        #expect(throws: SensorError.unreadable(path: directory.path, reason: "is a directory")) {
            try openInput(path: directory.path)
        }
    }
}
