import Foundation
import Testing
import WormWatchCore
import WormWatchTestSupport
@testable import Sensor

/// The writer: what it writes reads back exactly, its checksums are right by an independent
/// computation and by tshark, and tcpdump and tshark see the same packets we do.
@Suite(.timeLimit(.minutes(2)))
struct CaptureWriterTests {
    /// One packet as the test asked the writer to write it.
    struct Sent {
        enum Kind { case syn, segment, udp }
        var kind: Kind
        var time: Int64
        var source: UInt32
        var destination: UInt32
        var sourcePort: UInt16
        var destinationPort: UInt16
        var sequence: UInt32
        var identification: UInt16
        var ttl: UInt8
        var flags: UInt8
        var maximumSegmentSize: UInt16?
        var payload: [UInt8]
    }

    static let codeRedRequest = Array(("GET /default.ida?" + String(repeating: "N", count: 224)
        + "%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u6858%ucbd3%u7801%u9090%u9090%u8190%u00c3%u0003%u8b00%u531b%u53ff%u0078%u0000%u00=a HTTP/1.0\r\nContent-type: text/xml\r\n").utf8)

    static func randomPackets(_ count: Int, seed: UInt64) -> [Sent] {
        var random = SplitMix64(seed: seed)
        // Payloads are random slices of one random pool (quick to draw in a debug build).
        let pool = random.bytes(1 << 16)
        func payload(_ count: Int) -> [UInt8] {
            let start = random.below(pool.count - count)
            return Array(pool[start..<(start + count)])
        }
        var time: Int64 = 995_553_000 * 1_000_000_000
        return (0..<count).map { _ in
            time += Int64(random.below(2_000_000_000))
            let kind: Sent.Kind = [.syn, .segment, .udp][random.below(3)]
            var sent = Sent(
                kind: kind, time: time, source: UInt32(truncatingIfNeeded: random.next()),
                destination: UInt32(truncatingIfNeeded: random.next()),
                sourcePort: UInt16(truncatingIfNeeded: random.next()), destinationPort: 80,
                sequence: UInt32(truncatingIfNeeded: random.next()), identification: UInt16(truncatingIfNeeded: random.next()),
                ttl: random.below(2) == 0 ? 113 : UInt8(1 + random.below(255)), flags: 0, maximumSegmentSize: nil, payload: []
            )
            switch kind {
            case .syn:
                sent.flags = 0x02
                sent.maximumSegmentSize = random.below(2) == 0 ? 1460 : nil
            case .segment:
                sent.flags = random.below(4) == 0 ? 0x19 : 0x18
                sent.payload = random.below(4) == 0 ? Self.codeRedRequest : payload(random.below(1400))
            case .udp:
                sent.destinationPort = random.below(2) == 0 ? 1434 : UInt16(truncatingIfNeeded: random.next())
                sent.payload = payload(random.below(10) == 0 ? 376 : random.below(1500))
            }
            return sent
        }
    }

    static func write(_ packets: [Sent], to path: String, precision: CaptureWriter.Precision, link: CaptureWriter.Link) throws {
        let writer = try CaptureWriter(path: path, precision: precision, link: link)
        for p in packets {
            switch p.kind {
            case .syn:
                try writer.appendTCPSyn(
                    timeNanoseconds: p.time, source: p.source, destination: p.destination, sourcePort: p.sourcePort,
                    destinationPort: p.destinationPort, sequenceNumber: p.sequence, ipIdentification: p.identification,
                    ttl: p.ttl, maximumSegmentSize: p.maximumSegmentSize
                )
            case .segment:
                try writer.appendTCPSegment(
                    timeNanoseconds: p.time, source: p.source, destination: p.destination, sourcePort: p.sourcePort,
                    destinationPort: p.destinationPort, sequenceNumber: p.sequence, acknowledgmentNumber: 1,
                    flags: p.flags, ipIdentification: p.identification, ttl: p.ttl, payload: p.payload
                )
            case .udp:
                try writer.appendUDP(
                    timeNanoseconds: p.time, source: p.source, destination: p.destination, sourcePort: p.sourcePort,
                    destinationPort: p.destinationPort, ipIdentification: p.identification, ttl: p.ttl, payload: p.payload
                )
            }
        }
        #expect(writer.packetsWritten == packets.count)
        try writer.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size.map(Int64.init) == writer.bytesWritten)
    }

    // MARK: Round trip

    @Test(arguments: [(CaptureWriter.Precision.microseconds, CaptureWriter.Link.ethernet), (.nanoseconds, .rawIPv4)])
    func roundTrip(precision: CaptureWriter.Precision, link: CaptureWriter.Link) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("round.pcap").path
        let sent = Self.randomPackets(10_000, seed: precision == .microseconds ? 2001 : 2003)
        try Self.write(sent, to: path, precision: precision, link: link)

        var reader = CaptureReader(source: try FileByteSource(path: path), path: path, bufferCapacity: 4096)
        var index = 0
        var httpSeen = 0
        var mismatches = 0
        try reader.forEach { o in
            if o.kind == .httpRequest {
                httpSeen += 1
                if String(decoding: o.method, as: UTF8.self) != "GET" || !String(decoding: o.target, as: UTF8.self).hasPrefix("/default.ida?NNNN")
                    || o.record != index {
                    mismatches += 1
                }
                return
            }
            guard index < sent.count else {
                mismatches += 1
                return
            }
            let p = sent[index]
            index += 1
            let time = precision == .microseconds ? p.time / 1000 * 1000 : p.time
            let kindMatches = p.kind == .udp ? o.kind == .udpPacket : o.kind == .tcpPacket
            if !kindMatches || o.timeNanoseconds != time || o.source != p.source || o.destination != p.destination
                || o.sourcePort != p.sourcePort || o.destinationPort != p.destinationPort || o.tcpFlags != p.flags
                || o.payloadLength != p.payload.count || Array(o.payload) != p.payload || o.record != index {
                mismatches += 1
                if mismatches < 5 { Issue.record("packet \(index): \(Seen(o)) differs from \(p)") }
            }
        }
        #expect(mismatches == 0)
        #expect(index == sent.count)
        let s = reader.statistics
        #expect(s.packets == sent.count && s.skipped.isEmpty)
        #expect(s.tcpPackets == sent.filter { $0.kind != .udp }.count && s.udpPackets == sent.filter { $0.kind == .udp }.count)
        #expect(httpSeen == sent.filter { $0.payload == Self.codeRedRequest }.count && s.httpRequests == httpSeen && httpSeen > 100)
        #expect(reader.pcapLinkType == link.linkType)
    }

    // MARK: Checksums

    /// The Internet checksum written out longhand, byte pair by byte pair.
    static func onesComplementSum(_ bytes: ArraySlice<UInt8>, initial: UInt32 = 0) -> UInt32 {
        var sum = initial
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let high = UInt32(bytes[index])
            let low = index + 1 < bytes.endIndex ? UInt32(bytes[index + 1]) : 0
            sum += high << 8 | low
            sum = (sum & 0xFFFF) + (sum >> 16)
            index += 2
        }
        return sum
    }

    /// Walks the file's records by hand and checks every IPv4, TCP and UDP checksum.
    static func verifyChecksums(_ file: [UInt8], linkHeader: Int) -> (packets: Int, bad: Int) {
        var offset = 24
        var packets = 0
        var bad = 0
        while offset + 16 <= file.count {
            let caplen = Int(file[offset + 8]) | Int(file[offset + 9]) << 8 | Int(file[offset + 10]) << 16 | Int(file[offset + 11]) << 24
            let ip = offset + 16 + linkHeader
            offset += 16 + caplen
            packets += 1
            let header = Int(file[ip] & 0x0F) * 4
            let total = Int(file[ip + 2]) << 8 | Int(file[ip + 3])
            if onesComplementSum(file[ip..<(ip + header)]) != 0xFFFF { bad += 1 }
            let proto = file[ip + 9]
            let transportLength = total - header
            let pseudo = Array(file[(ip + 12)..<(ip + 20)]) + [0, proto, UInt8(transportLength >> 8), UInt8(transportLength & 0xFF)]
            let sum = onesComplementSum(file[(ip + header)..<(ip + total)], initial: onesComplementSum(pseudo[...]))
            if sum != 0xFFFF { bad += 1 }
            if proto == 17 && file[ip + header + 6] == 0 && file[ip + header + 7] == 0 { bad += 1 }  // "no checksum"
        }
        return (packets, bad)
    }

    @Test func checksumsByAnIndependentComputation() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (link, header) in [(CaptureWriter.Link.ethernet, 14), (.rawIPv4, 0)] {
            let path = directory.appendingPathComponent("sums.pcap").path
            let sent = Self.randomPackets(3000, seed: 7)
            try Self.write(sent, to: path, precision: .microseconds, link: link)
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let check = Self.verifyChecksums(file, linkHeader: header)
            #expect(check.packets == 3000 && check.bad == 0)
        }
        // The internal helper agrees with the longhand one on odd lengths too.
        var random = SplitMix64(seed: 99)
        for length in 0..<200 {
            let bytes = random.bytes(length)
            let fast = bytes.withUnsafeBytes { InternetChecksum.finish(InternetChecksum.add($0.baseAddress!, count: length)) }
            #expect(fast == ~UInt16(Self.onesComplementSum(bytes[...])))
        }
    }

    /// The SYN looks like Windows 2000's: 48 bytes of IP, MSS then NOP NOP SACK-permitted.
    @Test func synLayout() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("syn.pcap").path
        let writer = try CaptureWriter(path: path)
        try writer.appendTCPSyn(timeNanoseconds: 1_500_000_000, source: ip(10, 0, 0, 1), destination: ip(10, 0, 0, 2),
                                sourcePort: 3345, sequenceNumber: 0x0102_0304, ipIdentification: 0xBEEF)
        try writer.close()
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file.count == 24 + 16 + 14 + 48)
        #expect(Array(file[0..<4]) == [0xD4, 0xC3, 0xB2, 0xA1] && Array(file[20..<24]) == [1, 0, 0, 0])
        #expect(Array(file[24..<32]) == [1, 0, 0, 0, 0x20, 0xA1, 0x07, 0])  // 1 s, 500000 µs
        let frame = Array(file[40...])
        #expect(Array(frame[0..<14]) == [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
        #expect(Array(frame[14..<24]) == [0x45, 0, 0, 48, 0xBE, 0xEF, 0x40, 0, 113, 6])
        #expect(Array(frame[34..<62]) == [0x0D, 0x11, 0, 80, 1, 2, 3, 4, 0, 0, 0, 0, 0x70, 0x02, 0x40, 0, frame[50], frame[51], 0, 0,
                                          2, 4, 0x05, 0xB4, 1, 1, 4, 2])
    }

    // MARK: tcpdump and tshark

    @Test(.enabled(if: ExternalTool.runs(ExternalTool.tcpdump, ExternalTool.tshark), "needs tcpdump and tshark (installed by .ci/run)"))
    func tcpdumpAndTsharkAgree() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (precision, link) in [(CaptureWriter.Precision.microseconds, CaptureWriter.Link.ethernet), (.nanoseconds, .rawIPv4)] {
            let path = directory.appendingPathComponent("check-\(link).pcap").path
            let sent = Self.randomPackets(link == .ethernet ? 5000 : 2000, seed: 11)
            try Self.write(sent, to: path, precision: precision, link: link)

            let tcpdump = try ExternalTool.run(ExternalTool.tcpdump, ["-r", path, "-n"])
            #expect(tcpdump.status == 0, "\(tcpdump.stderr)")
            #expect(tcpdump.stdout.split(separator: "\n").count == sent.count)

            let checks = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
            // Status values: 0 Bad, 1 Good, 2 Unverified. Every packet must be verified good.
            let bad = try ExternalTool.run(ExternalTool.tshark, ["-r", path] + checks + [
                "-Y", "!(ip.checksum.status == 1) || !(tcp.checksum.status == 1 || udp.checksum.status == 1)",
                "-T", "fields", "-e", "frame.number",
            ])
            #expect(bad.status == 0, "\(bad.stderr)")
            #expect(bad.stdout.isEmpty, "tshark found bad or unverified checksums in frames \(bad.stdout.prefix(200))")
            if link == .rawIPv4 {
                // The filter does catch a bad checksum: spoil packet 2's transport checksum.
                var spoiled = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let second = 24 + 16 + (Int(spoiled[32]) | Int(spoiled[33]) << 8) + 16
                spoiled[second + 20 + (sent[1].kind == .udp ? 6 : 16)] ^= 0x5A
                let spoiledPath = directory.appendingPathComponent("spoiled.pcap").path
                try Data(spoiled).write(to: URL(fileURLWithPath: spoiledPath))
                let caught = try ExternalTool.run(ExternalTool.tshark, ["-r", spoiledPath] + checks + [
                    "-Y", "!(ip.checksum.status == 1) || !(tcp.checksum.status == 1 || udp.checksum.status == 1)",
                    "-T", "fields", "-e", "frame.number",
                ])
                #expect(caught.stdout == "2\n")
            }

            let fields = try ExternalTool.run(ExternalTool.tshark, ["-r", path, "-T", "fields", "-E", "separator=,",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst", "-e", "tcp.srcport", "-e", "udp.srcport",
                "-e", "tcp.dstport", "-e", "udp.dstport", "-e", "ip.ttl", "-e", "tcp.len", "-e", "udp.length"])
            #expect(fields.status == 0, "\(fields.stderr)")
            let lines = fields.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == sent.count)
            var differing = 0
            for (line, p) in zip(lines, sent) {
                let nanoseconds = precision == .microseconds ? p.time / 1000 * 1000 : p.time
                let epoch = "\(nanoseconds / 1_000_000_000).\(String(String(nanoseconds % 1_000_000_000 + 1_000_000_000).dropFirst()))"
                let ports = p.kind == .udp
                    ? ",\(p.sourcePort),,\(p.destinationPort),\(p.ttl),,\(p.payload.count + 8)"
                    : "\(p.sourcePort),,\(p.destinationPort),,\(p.ttl),\(p.payload.count),"
                let expected = "\(epoch),\(dotted(p.source)),\(dotted(p.destination)),\(ports)"
                if line != expected {
                    differing += 1
                    if differing < 4 { Issue.record("tshark: \(line)\n   we: \(expected)") }
                }
            }
            #expect(differing == 0)

            // Distinct sources, as tshark and as our reader see them.
            let theirs = Set(lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? "" })
            var ours = Set<String>()
            var reader = CaptureReader(source: try FileByteSource(path: path), path: path)
            try reader.forEach { ours.insert(dotted($0.source)) }
            expectSameMembers(theirs, ours, "sources tshark saw")
            #expect(ours.count > sent.count / 2)
        }
    }

    /// tshark reads the hand-built fixtures (two pcapng sections of both byte orders,
    /// interfaces with decimal and binary resolutions and a time offset, simple and obsolete
    /// packet blocks; Ethernet with VLAN tags, options, padding) as we do: same packets, same
    /// addresses, ports and times.
    @Test(.enabled(if: ExternalTool.runs(ExternalTool.tshark), "needs tshark (installed by .ci/run)"))
    func tsharkReadsTheHandBuiltFixturesAsWeDo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, bytes) in [("sections.pcapng", CaptureReaderTests.twoSections()), ("ethernet.pcap", CaptureReaderTests.ethernetVariety())] {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let tshark = try ExternalTool.run(ExternalTool.tshark, ["-r", path, "-T", "fields", "-E", "separator=,",
                "-Y", "tcp || (udp && ip.flags.mf == 0)", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport", "-e", "udp.srcport"])
            #expect(tshark.status == 0, "\(tshark.stderr)")
            let theirs = tshark.stdout.split(separator: "\n").map(String.init)
            // tshark reassembles the first fragment's datagram (record 7 of the Ethernet file),
            // so it shows no UDP header for it.
            let ours = try readCapture(bytes).seen.filter { $0.kind != .httpRequest && !(name == "ethernet.pcap" && $0.record == 7) }
            #expect(theirs.count == ours.count, "\(name)")
            for (line, seen) in zip(theirs, ours) {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let time = "\(seen.time / 1_000_000_000).\(String(String(seen.time % 1_000_000_000 + 1_000_000_000).dropFirst()))"
                let ports = seen.kind == .tcpPacket ? "\(seen.sourcePort)," : ",\(seen.sourcePort)"
                // tshark gives simple packet blocks no time; we give them the previous packet's.
                let expected = "\(fields.first == "" ? "" : time),\(dotted(seen.source)),\(ports)"
                #expect(line == expected, "\(name) record \(seen.record)")
            }
        }
    }

    // MARK: Errors

    @Test func writeErrors() throws {
        #expect(throws: SensorError.unwritable(path: "/nonexistent-dir/x.pcap", reason: "No such file or directory")) {
            _ = try CaptureWriter(path: "/nonexistent-dir/x.pcap")
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("e.pcap").path
        let writer = try CaptureWriter(path: path)
        #expect(throws: SensorError.unwritable(path: path, reason: "65536-byte packet too long for IPv4 (65535 bytes at most)")) {
            try writer.appendUDP(timeNanoseconds: 0, source: 1, destination: 2, sourcePort: 3, destinationPort: 4,
                                 ipIdentification: 5, payload: [UInt8](repeating: 0, count: 65508))
        }
        #expect(throws: SensorError.unwritable(path: path, reason: "time -1 ns outside what a pcap can store (1970 to 2106)")) {
            try writer.appendTCPSyn(timeNanoseconds: -1, source: 1, destination: 2, sourcePort: 3, sequenceNumber: 4, ipIdentification: 5)
        }
        try writer.appendUDP(timeNanoseconds: 0, source: 1, destination: 2, sourcePort: 3, destinationPort: 4,
                             ipIdentification: 5, payload: [UInt8](repeating: 0, count: 65507))
        try writer.close()
        try writer.close()
        #expect(throws: SensorError.unwritable(path: path, reason: "writer already closed")) {
            try writer.appendUDP(timeNanoseconds: 0, source: 1, destination: 2, sourcePort: 3, destinationPort: 4, ipIdentification: 5, payload: [])
        }
        let result = try readCapture(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(result.udp.count == 1 && result.udp[0].payloadLength == 65507)
    }

    @Test func largeOutputFlushesThroughTheBuffer() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.pcap").path
        let writer = try CaptureWriter(path: path, precision: .nanoseconds)
        let payload = [UInt8](repeating: 0x41, count: 60_000)
        for index in 0..<100 {
            try writer.appendUDP(timeNanoseconds: Int64(index), source: UInt32(index), destination: 2, sourcePort: 3,
                                 destinationPort: 4, ipIdentification: 5, payload: payload)
            if index == 50 { try writer.flush() }
        }
        try writer.close()
        var reader = CaptureReader(source: try FileByteSource(path: path), path: path, bufferCapacity: 1000)
        var sources: [UInt32] = []
        try reader.forEach { sources.append($0.source) }
        #expect(sources == (0..<100).map(UInt32.init) && reader.statistics.bytesRead == writer.bytesWritten)
    }
}
