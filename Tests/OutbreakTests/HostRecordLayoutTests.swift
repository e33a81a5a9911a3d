import Testing
@testable import Outbreak

/// The exact engine touches one `HostRecord` per host event: it must stay small.
@Suite struct HostRecordLayoutTests {
    @Test func hostStateIsOneByte() {
        #expect(MemoryLayout<HostState>.size == 1)
    }

    @Test func hostRecordFitsSixteenBytes() {
        #expect(MemoryLayout<HostRecord>.size == 13)
        #expect(MemoryLayout<HostRecord>.stride == 16)
    }
}
