import Testing
@testable import Outbreak

/// The exact engine touches one `HostRecord` per host event: it must stay small.
@Suite struct HostRecordLayoutTests {
    @Test func hostStateIsOneByte() {
        #expect(MemoryLayout<HostState>.size == 1)
    }

    /// One per host and monitor: 8 bytes, the seen bit folded into the first probe's time.
    @Test func monitorSlotIsEightBytes() {
        #expect(MemoryLayout<MonitorSlot>.stride == 8)
        var slot = MonitorSlot()
        #expect(!slot.isActive && !slot.seen)
        slot.firstProbe = 1234.5
        #expect(slot.isActive && !slot.seen && slot.firstProbe == 1234.5)
        slot.seen = true
        #expect(slot.isActive && slot.seen && slot.firstProbe == 1234.5)
        slot.deactivate()
        #expect(!slot.isActive && slot.seen)
        slot.firstProbe = 0
        #expect(slot.isActive && slot.seen && slot.firstProbe == 0)
    }

    @Test func hostRecordFitsEightBytes() {
        #expect(MemoryLayout<HostRecord>.size == 8)
        #expect(MemoryLayout<HostRecord>.stride == 8)
        var record = HostRecord(address: 0x0A00_0001, slotOffset: 65_535)
        #expect(record.state == .susceptible && !record.wasInfected && !record.offline)
        for state in [HostState.latent, .infected, .patched, .cleaned, .susceptible] {
            record.state = state
            record.wasInfected.toggle()
            record.offline.toggle()
            #expect(record.state == state)
        }
        #expect(record.wasInfected && record.offline && record.slotOffset == 65_535 && record.address == 0x0A00_0001)
    }
}
