import Testing
import WormWatchCore
@testable import Sensor

@Suite struct LogLineReaderTests {
    /// Every line (as text) with its number, and the skip messages.
    func split(_ text: [UInt8], limit: Int = 65_536, chunk: Int = .max, chunkSize: Int = 1 << 20)
        throws(SensorError) -> (lines: [String], numbers: [Int], skipped: [String])
    {
        var reader = LineReader(
            source: MemoryByteSource(text, maximumChunk: chunk), path: "t.log", lineLimit: limit,
            chunkSize: chunkSize, skipped: SkippedInput(exampleLimit: 1000))
        var lines: [String] = []
        var numbers: [Int] = []
        while let line = try reader.next() {
            lines.append(String(decoding: line.bytes, as: UTF8.self))
            numbers.append(line.number)
        }
        #expect(reader.skipped.count == reader.skipped.examples.count)
        return (lines, numbers, reader.skipped.examples.map(\.description))
    }

    func split(_ text: String, limit: Int = 65_536) throws(SensorError) -> (lines: [String], numbers: [Int], skipped: [String]) {
        try split(Array(text.utf8), limit: limit)
    }

    @Test func lineEnds() throws {
        #expect(try split("a\nb\r\nc").lines == ["a", "b", "c"])
        #expect(try split("a\nb\r\nc").numbers == [1, 2, 3])
        #expect(try split("a\n\n").lines == ["a", ""])
        #expect(try split("").lines == [])
        #expect(try split("\n").lines == [""])
        #expect(try split("\r\n\r\n").lines == ["", ""])
        #expect(try split("a\rb\n").lines == ["a\rb"])  // only a CR before the LF is a line end
        #expect(try split("x\r").lines == ["x"])  // CR stripped from a final line too
    }

    @Test func overLongLinesAreSkippedAndCounted() throws {
        let result = try split("12345678\n123456789\nabc\n1234567890123\r\n12345678\r\nlast123456", limit: 8)
        #expect(result.lines == ["12345678", "abc", "12345678"])
        #expect(result.numbers == [1, 3, 5])
        #expect(result.skipped == [
            "t.log:2: line longer than 8 bytes", "t.log:4: line longer than 8 bytes",
            "t.log:6: line longer than 8 bytes",
        ])
    }

    @Test func overLongLinesStreamPastWithoutBeingBuffered() throws {
        // Lines far longer than the buffer: one chunk of 16 bytes plus a line of at most 8.
        let long = [UInt8](repeating: 120, count: 100_000)
        let text = Array("ok1\n".utf8) + long + Array("\nok3\n".utf8) + long + Array("\r\n".utf8) + long
        for chunk in [1, 3, 7, 4096, Int.max] {
            let result = try split(text, limit: 8, chunk: chunk, chunkSize: 16)
            #expect(result.lines == ["ok1", "ok3"], "chunk \(chunk)")
            #expect(result.numbers == [1, 3])
            #expect(result.skipped == [
                "t.log:2: line longer than 8 bytes", "t.log:4: line longer than 8 bytes",
                "t.log:5: line longer than 8 bytes",
            ])
        }
    }

    @Test func defaultLimitIs65536Bytes() throws {
        let exact = [UInt8](repeating: 97, count: 65_536)
        let over = [UInt8](repeating: 98, count: 65_537)
        let text = exact + [13, 10] + over + [10] + Array("end".utf8)
        let result = try split(text)
        #expect(result.lines.map(\.count) == [65_536, 3])
        #expect(result.numbers == [1, 3])
        #expect(result.skipped == ["t.log:2: line longer than 65536 bytes"])
    }

    @Test func chunkBoundariesDoNotMatter() throws {
        var text: [UInt8] = []
        for i in 0..<500 {
            text += Array("line \(i) \(String(repeating: "y", count: i % 37))".utf8)
            text += i % 3 == 0 ? [13, 10] : [10]
        }
        let whole = try split(text, limit: 30)
        #expect(whole.lines.count + whole.skipped.count == 500)
        for chunk in [1, 2, 7, 64] {
            for chunkSize in [1, 5, 100] {
                let pieces = try split(text, limit: 30, chunk: chunk, chunkSize: chunkSize)
                #expect(pieces.lines == whole.lines)
                #expect(pieces.numbers == whole.numbers)
                #expect(pieces.skipped == whole.skipped)
            }
        }
    }

    /// Lines of every length from 0 to 300 bytes, LF and CRLF, read whole and in pieces of
    /// many sizes, against a plain split.
    @Test func linesOfEveryLength() throws {
        var random = SplitMix64(seed: 64)
        var text: [UInt8] = []
        var expected: [String] = []
        for i in 0..<3_000 {
            let length = i < 200 ? i : Int(random.next() % 300)
            let line = (0..<length).map { k in UInt8(97 + (i + k) % 26) }
            text += line
            let crlf = random.next() % 4 == 0
            text += crlf ? [13, 10] : [10]
            expected.append(String(decoding: line, as: UTF8.self))
        }
        text += Array("no line end".utf8)
        expected.append("no line end")
        for (chunk, chunkSize) in [(Int.max, 1 << 20), (Int.max, 63), (Int.max, 64), (Int.max, 65), (7, 1 << 17), (130, 200)] {
            let result = try split(text, limit: 400, chunk: chunk, chunkSize: chunkSize)
            #expect(result.lines == expected, "chunk \(chunk), chunk size \(chunkSize)")
            #expect(result.numbers == Array(1...expected.count))
            #expect(result.skipped.isEmpty)
        }
    }

    @Test func aLongStreamKeepsOneBuffer() throws {
        // 64 MiB through a 1 MiB buffer: counts stay exact and nothing grows.
        struct Repeating: ByteSource {
            var remaining: Int
            let block = Array(String(repeating: "0123456789abcde\n", count: 4096).utf8)
            mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SensorError) -> Int {
                let n = min(remaining, buffer.count, block.count)
                block.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
                remaining -= n
                return n
            }
        }
        var reader = LineReader(source: Repeating(remaining: 64 << 20), path: "big")
        let capacity = reader.buffer.capacity
        var count = 0
        while let line = try reader.next() {
            count += 1
            if line.bytes.count != 15 { Issue.record("line \(line.number) has \(line.bytes.count) bytes") }
        }
        #expect(count == (64 << 20) / 16)
        #expect(reader.lineCount == count)
        #expect(reader.buffer.capacity == capacity)
        #expect(capacity == LineReader<Repeating>.defaultChunkSize + 65_536 + 2)
    }
}

