import Foundation
import Testing
@testable import Sensor

/// The fuzzing seeds in Fuzz/corpus/capture/ and the inputs fuzzing found.
///
/// The seeds are built by the fixture builders; `WORMWATCH_WRITE_FUZZ_SEEDS=1 swift test
/// --filter CaptureFuzzTests` rewrites them after the builders change.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CaptureFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/capture")

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.pcap").path
        let writer = try CaptureWriter(path: path)
        let time: Int64 = 995_553_000_000_000_000
        try writer.appendTCPSyn(timeNanoseconds: time, source: ip(10, 0, 0, 1), destination: ip(10, 0, 0, 2), sourcePort: 3345,
                                sequenceNumber: 1, ipIdentification: 1)
        try writer.appendTCPSegment(timeNanoseconds: time + 1000, source: ip(10, 0, 0, 1), destination: ip(10, 0, 0, 2), sourcePort: 3345,
                                    sequenceNumber: 2, acknowledgmentNumber: 1, ipIdentification: 2,
                                    payload: Array("GET /default.ida?NNNN%u9090 HTTP/1.0\r\n\r\n".utf8))
        try writer.appendUDP(timeNanoseconds: time + 2000, source: ip(10, 0, 0, 3), destination: ip(10, 0, 0, 4), sourcePort: 1434,
                             destinationPort: 1434, ipIdentification: 3, payload: [4, 1, 1, 1, 1, 1, 1, 1])
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let tcp = Build.tcpPacket(ip(192, 0, 2, 1), 1234, ip(198, 51, 100, 2), 80)
        let udp = Build.udpPacket(ip(192, 0, 2, 3), 5678, ip(198, 51, 100, 4), 53, payload: [1, 2])
        return [
            ("written-us-ethernet.pcap", written),
            ("ns-big-endian.pcap", Build.pcap(nanoseconds: true, bigEndian: true, CaptureReaderTests.threeRecords(nanoseconds: true))),
            ("ethernet-variety.pcap", CaptureReaderTests.ethernetVariety()),
            ("two-sections.pcapng", CaptureReaderTests.twoSections()),
            ("sll2.pcap", Build.pcap(linkType: 276, [Build.Record(seconds: 1, fraction: 2, data: Build.sll2(udp))])),
            ("raw.pcapng", Build.sectionHeader() + Build.interface(linkType: 101, tsresol: 0x8A)
                + Build.enhancedPacket(interface: 0, ticks: 5000, tcp) + Build.simplePacket(udp)),
        ]
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["WORMWATCH_WRITE_FUZZ_SEEDS"] == "1"))
    func writeSeeds() throws {
        try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
        for seed in try Self.seeds() {
            try Data(seed.bytes).write(to: Self.corpus.appendingPathComponent(seed.name))
        }
    }

    @Test func committedSeedsAreCurrentAndReadCleanly() throws {
        for seed in try Self.seeds() {
            let committed = try? [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(seed.name)))
            let current = committed == seed.bytes
            #expect(current, "Fuzz/corpus/capture/\(seed.name) is missing or out of date")
            let result = try readCapture(seed.bytes)
            #expect(result.statistics.skipped.isEmpty && !result.seen.isEmpty, "\(seed.name)")
        }
    }
}
