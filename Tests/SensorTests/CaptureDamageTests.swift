import Testing
@testable import Sensor

/// Damaged and hostile captures: exact errors and skip messages, what is still read after
/// the damage, and that nothing traps, hangs or allocates without bound.
@Suite(.timeLimit(.minutes(1)))
struct CaptureDamageTests {
    static let syn = Build.ethernet(Build.tcpPacket(ip(10, 0, 0, 1), 3345, ip(10, 0, 0, 2), 80))  // 54 bytes
    static let udp = Build.ethernet(Build.udpPacket(ip(10, 0, 0, 3), 1434, ip(10, 0, 0, 4), 1434, payload: [1, 2, 3, 4]))

    static func record(_ data: [UInt8], capturedLength: UInt32? = nil) -> Build.Record {
        Build.Record(seconds: 1, fraction: 0, data: data, capturedLength: capturedLength)
    }

    static func expectError(_ bytes: [UInt8], path: String = "t.pcap", _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: SensorError.unrecognizedFormat(path: path, reason: reason), sourceLocation: sourceLocation) {
            _ = try readCapture(bytes, path: path)
        }
        // Also when the bytes arrive one at a time.
        #expect(throws: SensorError.unrecognizedFormat(path: path, reason: reason), sourceLocation: sourceLocation) {
            _ = try readCapture(bytes, path: path, chunk: 1)
        }
    }

    // MARK: Not a capture

    @Test func notACapture() {
        Self.expectError([], "empty file, not a pcap or pcapng capture")
        Self.expectError([0xA1, 0xB2, 0xC3], "3-byte file, not a pcap or pcapng capture")
        Self.expectError(Array("<html><body>".utf8), "bad magic 0x3c68746d, not a pcap or pcapng capture")
        Self.expectError(Array(Build.pcapHeader().prefix(10)), "truncated pcap file header (10 of 24 bytes)")
        Self.expectError([0x1F, 0x8B, 0x08, 0x00, 0, 0], "bad magic 0x1f8b0800, not a pcap or pcapng capture")
    }

    @Test func badFirstSectionHeader() {
        var badOrder = Build.sectionHeader()
        badOrder.replaceSubrange(8..<12, with: [0x11, 0x22, 0x33, 0x44])
        Self.expectError(badOrder, path: "t.pcapng", "bad pcapng byte-order magic 0x11223344")
        Self.expectError(Build.sectionHeader(major: 2), path: "t.pcapng", "pcapng version 2.0 not supported")
        Self.expectError(Array(Build.sectionHeader().prefix(20)), path: "t.pcapng", "truncated pcapng section header block")
        Self.expectError([0x0A, 0x0D, 0x0D, 0x0A, 12, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A], path: "t.pcapng", "section header block length 12")
        Self.expectError([0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0], path: "t.pcapng", "truncated pcapng section header block")
        Self.expectError([0x0A, 0x0D, 0x0D, 0x0A, 0xFC, 0xFF, 0xFF, 0xFF, 0x4D, 0x3C, 0x2B, 0x1A], path: "t.pcapng",
                         "section header block length 4294967292 larger than the 266240-byte limit")
        var mismatch = Build.sectionHeader()
        mismatch[mismatch.count - 4] = 44
        Self.expectError(mismatch, path: "t.pcapng", "trailing block length 44 differs from 40")
    }

    // MARK: pcap records

    @Test func caplenLargerThanSnaplenIsSkippedAndReadingGoesOn() throws {
        let bytes = Build.pcap([
            Self.record(Self.syn),
            Self.record([UInt8](repeating: 0, count: 70000)),
            Self.record(Self.udp),
        ])
        let result = try readCapture(bytes)
        #expect(result.skips == ["t.pcap: packet 2 (offset 94): caplen 70000 larger than snaplen 65535"])
        #expect(result.statistics.packets == 3 && result.statistics.damagedPackets == 1)
        #expect(result.seen.map(\.record) == [1, 3])
    }

    @Test func nonsenseCaplenStopsReading() throws {
        var bytes = Build.pcap([Self.record(Self.syn)])
        bytes += Build.pcapRecord(Self.record([1, 2, 3, 4], capturedLength: 0xFFFF_FFF0))
        bytes += Build.pcapRecord(Self.record(Self.udp))
        let result = try readCapture(bytes)
        #expect(result.skips == ["t.pcap: packet 2 (offset 94): caplen 4294967280 larger than snaplen 65535 and the 262144-byte limit, rest of file not read"])
        #expect(result.statistics.packets == 1 && result.seen.count == 1)

        var zeroSnap = Build.pcap(snapLength: 0, [])
        zeroSnap += Build.pcapRecord(Self.record([1, 2, 3, 4], capturedLength: 300_000))
        #expect(try readCapture(zeroSnap).skips == ["t.pcap: packet 1 (offset 24): caplen 300000 larger than the 262144-byte limit, rest of file not read"])

        let small = Build.pcap([Self.record([UInt8](repeating: 0, count: 5000))])
        #expect(try readCapture(small, maximumPacketLength: 1000).skips == [
            "t.pcap: packet 1 (offset 24): caplen 5000 larger than the 1000-byte limit, rest of file not read",
        ])
    }

    @Test func truncatedRecordAtEndOfFile() throws {
        let whole = Build.pcap([Self.record(Self.syn), Self.record(Self.udp)])
        for cut in [1, 10, Self.udp.count, Self.udp.count + 11] {
            let result = try readCapture(Array(whole.dropLast(cut)))
            #expect(result.skips == ["t.pcap: packet 2 (offset 94): truncated record at end of file"], "cut \(cut)")
            #expect(result.statistics.packets == 1 && result.seen.count == 1)
        }
        // A record announcing more than the rest of the file (but within the limits).
        let short = Build.pcap([Self.record(Self.syn)]) + Build.pcapRecord(Self.record([1, 2, 3], capturedLength: 60000))
        #expect(try readCapture(short).skips == ["t.pcap: packet 2 (offset 94): truncated record at end of file"])
        #expect(try readCapture(Array(whole.prefix(24))).skips.isEmpty)
    }

    struct DamagedPacket: Sendable, CustomTestStringConvertible {
        var linkType: UInt32
        var frame: [UInt8]
        var reason: String
        var testDescription: String { reason }
    }

    static let damagedPackets: [DamagedPacket] = {
        let source = ip(10, 0, 0, 1)
        let destination = ip(10, 0, 0, 2)
        let tcp = Build.tcp(sourcePort: 1, destinationPort: 80)
        return [
            DamagedPacket(linkType: 1, frame: Array(Self.syn.prefix(10)), reason: "truncated Ethernet header (10 bytes captured)"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination, transport: tcp, headerWords: 3)),
                          reason: "IPv4 header length 3 words"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination, transport: tcp, version: 6)),
                          reason: "IPv4 header version 6"),
            DamagedPacket(linkType: 1, frame: Array(Self.syn.prefix(24)), reason: "truncated IPv4 header (10 bytes captured)"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination, transport: tcp, headerWords: 15)),
                          reason: "truncated IPv4 header (40 of 60 bytes captured)"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination, transport: tcp, totalLength: 10)),
                          reason: "IPv4 total length 10 less than its header length 20"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination,
                                                                        transport: Build.tcp(sourcePort: 1, destinationPort: 2, dataOffsetWords: 3))),
                          reason: "TCP header length 3 words"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination, transport: Array(tcp.prefix(10)))),
                          reason: "truncated TCP header (10 bytes captured)"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 6, source: source, destination: destination,
                                                                        transport: Build.tcp(sourcePort: 1, destinationPort: 2, dataOffsetWords: 8))),
                          reason: "TCP header (32 bytes) longer than the IPv4 payload (20 bytes)"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 17, source: source, destination: destination,
                                                                        transport: Build.udp(sourcePort: 1, destinationPort: 2, length: 4))),
                          reason: "UDP length 4 less than 8"),
            DamagedPacket(linkType: 1, frame: Build.ethernet(Build.ipv4(proto: 17, source: source, destination: destination, transport: [0, 1, 0, 2, 0, 8])),
                          reason: "truncated UDP header (6 bytes captured)"),
            DamagedPacket(linkType: 147, frame: Self.syn, reason: "link type 147 not supported"),
            DamagedPacket(linkType: 113, frame: Array(repeating: 0, count: 10), reason: "truncated Linux cooked header (10 bytes captured)"),
            DamagedPacket(linkType: 276, frame: Array(repeating: 0, count: 19), reason: "truncated Linux cooked v2 header (19 bytes captured)"),
            DamagedPacket(linkType: 101, frame: [], reason: "empty raw IP packet"),
            DamagedPacket(linkType: 228, frame: [0x45, 0, 0], reason: "truncated IPv4 header (3 bytes captured)"),
            DamagedPacket(linkType: 0, frame: [2, 0], reason: "truncated loopback header (2 bytes captured)"),
        ]
    }()

    @Test(arguments: damagedPackets)
    func damagedPacketIsSkipped(_ damaged: DamagedPacket) throws {
        let bytes = Build.pcap(linkType: damaged.linkType, [Self.record(damaged.frame)])
        let result = try readCapture(bytes)
        #expect(result.skips == ["t.pcap: packet 1 (offset 24): \(damaged.reason)"])
        #expect(result.statistics.packets == 1 && result.statistics.damagedPackets == 1 && result.seen.isEmpty)
    }

    // MARK: pcapng blocks

    /// SHB (40 bytes) and one Ethernet interface (32 bytes): blocks start at offset 72.
    static let pcapngStart = Build.sectionHeader() + Build.interface(linkType: 1)
    static let epb = Build.enhancedPacket(interface: 0, ticks: 1, syn)  // 100 bytes

    @Test func brokenBlockLengthsStopReading() throws {
        #expect(Self.pcapngStart.count == 72 && Self.epb.count == 100)
        let cases: [([UInt8], String)] = [
            ([6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "block length 0, rest of file not read"),
            ([6, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0], "block length 8, rest of file not read"),
            ([6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0], "block length 13 not a multiple of 4, rest of file not read"),
        ]
        for (block, reason) in cases {
            let bytes = Self.pcapngStart + Self.epb + block + Self.epb
            let result = try readCapture(bytes, path: "t.pcapng")
            #expect(result.skips == ["t.pcapng: offset 172: \(reason)"])
            #expect(result.statistics.packets == 1 && result.seen.count == 1)
        }
    }

    @Test func trailingLengthMismatchSkipsTheBlock() throws {
        let badEPB = Build.enhancedPacket(interface: 0, ticks: 2, Self.udp, trailer: 96)
        let badNRB = Build.block(4, [0, 0, 0, 0], trailer: 20)
        let bytes = Self.pcapngStart + Self.epb + badEPB + badNRB + Self.epb
        let result = try readCapture(bytes, path: "t.pcapng")
        #expect(result.skips == [
            "t.pcapng: packet 2 (offset 172): trailing block length 96 differs from 92",
            "t.pcapng: offset 264: trailing block length 20 differs from 16",
        ])
        #expect(result.statistics.packets == 3 && result.statistics.damagedPackets == 1)
        #expect(result.seen.map(\.record) == [1, 3])
    }

    @Test func damagedPacketBlocks() throws {
        let cases: [([UInt8], String)] = [
            (Build.enhancedPacket(interface: 3, ticks: 1, Self.syn), "unknown interface 3 (1 in this section)"),
            (Build.enhancedPacket(interface: 0, ticks: 1, Self.syn, capturedLength: 1000), "captured length 1000 larger than its block"),
            (Build.block(6, [0, 0, 0, 0, 0, 0, 0, 0]), "packet block length 20 too short"),
            (Build.block(3, []), "simple packet block length 12 too short"),
        ]
        for (block, reason) in cases {
            let result = try readCapture(Self.pcapngStart + block + Self.epb, path: "t.pcapng")
            #expect(result.skips == ["t.pcapng: packet 1 (offset 72): \(reason)"])
            #expect(result.statistics.packets == 2 && result.statistics.damagedPackets == 1 && result.seen.map(\.record) == [2])
        }
        let noInterface = Build.sectionHeader() + Build.simplePacket(Self.syn) + Build.enhancedPacket(interface: 0, ticks: 1, Self.syn)
        let noInterfaceSkips = try readCapture(noInterface, path: "t.pcapng").skips
        #expect(noInterfaceSkips == [
            "t.pcapng: packet 1 (offset 40): simple packet block before any interface description",
            "t.pcapng: packet 2 (offset 112): unknown interface 0 (0 in this section)",
        ])
        let shortInterface = Build.sectionHeader() + Build.block(1, [0, 1, 0, 0]) + Self.epb
        #expect(try readCapture(shortInterface, path: "t.pcapng").skips == [
            "t.pcapng: offset 40: interface description block length 16 too short",
            "t.pcapng: packet 1 (offset 56): unknown interface 0 (0 in this section)",
        ])
    }

    @Test func oversizedBlockIsDroppedWithoutBufferingIt() throws {
        let custom = Build.block(0x0000_0BAD, [UInt8](repeating: 0x77, count: 270_000))
        let hugePacket = Build.enhancedPacket(interface: 0, ticks: 1, [UInt8](repeating: 0, count: 300_000))
        let bytes = Self.pcapngStart + custom + hugePacket + Self.epb
        let expected = [
            "t.pcapng: offset 72: block length 270012 larger than the 266240-byte limit",
            "t.pcapng: packet 1 (offset 270084): block length 300044 larger than the 266240-byte limit",
        ]
        for (chunk, capacity) in [(Int.max, 1 << 20), (1000, 64), (65536, 4096)] {
            let result = try readCapture(bytes, path: "t.pcapng", chunk: chunk, bufferCapacity: capacity)
            #expect(result.skips == expected)
            #expect(result.statistics.packets == 2 && result.statistics.damagedPackets == 1 && result.seen.map(\.record) == [2])
            #expect(result.statistics.bytesRead == Int64(bytes.count))
        }
        // Cut short while being dropped: one skip, a clean end.
        let cut = Array((Self.pcapngStart + custom).prefix(5000))
        #expect(try readCapture(cut, path: "t.pcapng", bufferCapacity: 64).skips == [expected[0]])
    }

    @Test func badLaterSectionHeaderStopsReading() throws {
        var badOrder = Build.sectionHeader()
        badOrder.replaceSubrange(8..<12, with: [0x11, 0x22, 0x33, 0x44])
        let cases: [([UInt8], String)] = [
            (badOrder, "bad pcapng byte-order magic 0x11223344, rest of file not read"),
            (Build.sectionHeader(bigEndian: true, major: 2, minor: 1), "pcapng version 2.1 not supported, rest of file not read"),
        ]
        for (section, reason) in cases {
            let result = try readCapture(Self.pcapngStart + Self.epb + section + Self.pcapngStart + Self.epb, path: "t.pcapng")
            #expect(result.skips == ["t.pcapng: offset 172: \(reason)"])
            #expect(result.seen.count == 1)
        }
        let truncated = Self.pcapngStart + Self.epb + Array(Build.sectionHeader().prefix(30))
        #expect(try readCapture(truncated, path: "t.pcapng").skips == [
            "t.pcapng: offset 172: truncated pcapng section header block, rest of file not read",
        ])
    }

    @Test func truncatedBlockAtEndOfFile() throws {
        let packetCut = Array((Self.pcapngStart + Self.epb + Self.epb).dropLast(30))
        #expect(try readCapture(packetCut, path: "t.pcapng").skips == ["t.pcapng: packet 2 (offset 172): truncated record at end of file"])
        let otherCut = Array((Self.pcapngStart + Self.epb + Build.block(4, [0, 0, 0, 0])).dropLast(2))
        #expect(try readCapture(otherCut, path: "t.pcapng").skips == ["t.pcapng: offset 172: truncated record at end of file"])
        let stray = Self.pcapngStart + Self.epb + [6, 0]
        #expect(try readCapture(stray, path: "t.pcapng").skips == ["t.pcapng: offset 172: truncated record at end of file"])
    }

    // MARK: Robustness

    /// Every prefix and many single-byte corruptions of valid captures: never a trap, the
    /// statistics stay consistent, and the only error is "not a capture".
    @Test func prefixesAndCorruptionsNeverTrap() throws {
        let fixtures = [
            CaptureReaderTests.twoSections(),
            CaptureReaderTests.ethernetVariety(),
            Build.pcap(nanoseconds: true, bigEndian: true, CaptureReaderTests.threeRecords(nanoseconds: true)),
        ]
        var reads = 0
        for fixture in fixtures {
            var variants: [[UInt8]] = (0...fixture.count).map { Array(fixture.prefix($0)) }
            for index in fixture.indices {
                for value: UInt8 in [0x00, 0xFF, fixture[index] &+ 1, fixture[index] ^ 0x80] {
                    var corrupt = fixture
                    corrupt[index] = value
                    variants.append(corrupt)
                }
            }
            for bytes in variants {
                reads += 1
                do {
                    let result = try readCapture(bytes, chunk: 13, bufferCapacity: 64)
                    #expect(result.statistics.bytesRead <= Int64(bytes.count))
                } catch {
                    guard case .unrecognizedFormat = error else {
                        Issue.record("unexpected error \(error)")
                        continue
                    }
                }
            }
        }
        #expect(reads > 5000)
    }
}
