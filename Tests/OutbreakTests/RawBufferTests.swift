import Testing
@testable import Outbreak

/// ``RawBuffer`` owns its memory: elements are deinitialised and the memory released when
/// the buffer goes away, wherever it was placed.
@Suite struct RawBufferTests {
    /// Counts deinitialisations.
    final class Counter { var value = 0 }

    /// A noncopyable element that reports its deinitialisation.
    struct Token: ~Copyable {
        let counter: Counter
        deinit { counter.value += 1 }
    }

    @Test func elementsAreInitialisedAndWritableInPlace() {
        let buffer = RawBuffer(count: 5) { Int32($0 * 10) }
        buffer[3] += 1
        #expect(buffer.count == 5)
        #expect((0..<5).map { buffer[$0] } == [0, 10, 20, 31, 40])
    }

    @Test func noncopyableElementsAreDeinitialisedWithTheBuffer() {
        let counter = Counter()
        do {
            let buffer = RawBuffer(count: 4) { _ in Token(counter: counter) }
            #expect(buffer[2].counter === counter)
            #expect(counter.value == 0)
        }
        #expect(counter.value == 4)
    }

    @Test func classElementsAreReleasedWithTheBuffer() {
        weak var released: Counter?
        do {
            let counter = Counter()
            released = counter
            let buffer = RawBuffer(repeating: counter, count: 3)
            #expect(buffer[0] === counter)
        }
        #expect(released == nil)
    }

    @Test func hugePagePlacementIsAlignedToAHugePage() {
        let count = 3 * LargeBuffer.hugePage  // 12 huge pages of Int32: past the threshold
        let buffer = RawBuffer<Int32>(repeating: 7, count: count, placement: .hugePages)
        #expect(Int(bitPattern: buffer.base) % LargeBuffer.hugePage == 0)
        buffer[count - 1] = 9
        #expect(buffer[0] == 7 && buffer[count - 1] == 9)
    }

    @Test func anEmptyBufferHasAValidBase() {
        let buffer = RawBuffer<Double>(repeating: 0, count: 0, placement: .hugePages)
        #expect(buffer.count == 0)
    }
}
