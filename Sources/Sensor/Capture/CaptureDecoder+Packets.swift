/// The packet decoders: link layer, IPv4, TCP, UDP, and the HTTP request line.
extension CaptureDecoder {
    /// Decodes one captured frame. Returns whether ``observation`` now holds a TCP or UDP packet;
    /// otherwise the frame has been counted (other protocol, non-IPv4, fragment, damaged).
    @usableFromInline
    mutating func decodeFrame(_ frame: UnsafeRawPointer, count: Int, linkType: LinkType, time: Int64, offset: Int64) -> Bool {
        var network = 0
        switch linkType {
        case .ethernet:
            guard count >= 14 else {
                skipPacket(at: offset, "truncated Ethernet header (\(count) bytes captured)")
                return false
            }
            var etherType = EtherType(rawValue: CaptureBytes.bigEndian16(frame, 12))
            network = 14
            // 802.1Q, 802.1ad and the old QinQ tag: 2 bytes of tag control, then the next type.
            while etherType.isVLANTag && network + 4 <= count {
                etherType = EtherType(rawValue: CaptureBytes.bigEndian16(frame, network + 2))
                network += 4
            }
            guard etherType == .ipv4 else {
                statistics.nonIPv4Packets += 1
                return false
            }
        case .raw, .rawDLT12, .rawDLT14:
            guard count >= 1 else {
                skipPacket(at: offset, "empty raw IP packet")
                return false
            }
            guard CaptureBytes.byte(frame, 0) >> 4 == 4 else {
                statistics.nonIPv4Packets += 1
                return false
            }
        case .ipv4:
            break
        case .linuxSLL:
            guard count >= 16 else {
                skipPacket(at: offset, "truncated Linux cooked header (\(count) bytes captured)")
                return false
            }
            guard EtherType(rawValue: CaptureBytes.bigEndian16(frame, 14)) == .ipv4 else {
                statistics.nonIPv4Packets += 1
                return false
            }
            network = 16
        case .linuxSLL2:
            guard count >= 20 else {
                skipPacket(at: offset, "truncated Linux cooked v2 header (\(count) bytes captured)")
                return false
            }
            guard EtherType(rawValue: CaptureBytes.bigEndian16(frame, 0)) == .ipv4 else {
                statistics.nonIPv4Packets += 1
                return false
            }
            network = 20
        case .null, .loop:
            guard count >= 4 else {
                skipPacket(at: offset, "truncated loopback header (\(count) bytes captured)")
                return false
            }
            // AF_INET is 2 everywhere; NULL stores it in the writer's byte order, LOOP big-endian.
            let family = CaptureBytes.bigEndian32(frame, 0)
            let inet = LinkType.loopbackIPv4Family
            guard family == inet || (linkType == .null && family == inet.byteSwapped) else {
                statistics.nonIPv4Packets += 1
                return false
            }
            network = 4
        default:
            let type = linkType.rawValue
            skipPacket(at: offset, "link type \(type) not supported")
            return false
        }
        return decodeIPv4(frame + network, count: count - network, time: time, offset: offset)
    }

    /// Decodes an IPv4 header and the TCP or UDP header behind it.
    @usableFromInline
    mutating func decodeIPv4(_ packet: UnsafeRawPointer, count: Int, time: Int64, offset: Int64) -> Bool {
        guard count >= 20 else {
            skipPacket(at: offset, "truncated IPv4 header (\(count) bytes captured)")
            return false
        }
        let versionAndLength = CaptureBytes.byte(packet, 0)
        guard versionAndLength >> 4 == 4 else {
            skipPacket(at: offset, "IPv4 header version \(versionAndLength >> 4)")
            return false
        }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20 else {
            skipPacket(at: offset, "IPv4 header length \(headerLength / 4) words")
            return false
        }
        guard count >= headerLength else {
            skipPacket(at: offset, "truncated IPv4 header (\(count) of \(headerLength) bytes captured)")
            return false
        }
        var totalLength = Int(CaptureBytes.bigEndian16(packet, 2))
        if totalLength == 0 {
            // Segmentation offload: the stack had not filled the length in yet.
            totalLength = count
        } else if totalLength < headerLength {
            skipPacket(at: offset, "IPv4 total length \(totalLength) less than its header length \(headerLength)")
            return false
        }
        guard CaptureBytes.bigEndian16(packet, 6) & 0x1FFF == 0 else {
            statistics.nonFirstFragments += 1
            return false
        }
        let proto = IPProtocol(rawValue: CaptureBytes.byte(packet, 9))
        guard proto == .tcp || proto == .udp else {
            statistics.otherIPv4Packets += 1
            return false
        }
        // Captured bytes of this IP packet (not the link layer's padding or trailer).
        let transportCount = min(count, totalLength) - headerLength
        let transport = packet + headerLength
        observation.timeNanoseconds = time
        observation.source = CaptureBytes.bigEndian32(packet, 12)
        observation.destination = CaptureBytes.bigEndian32(packet, 16)
        observation.record = packetNumber
        if proto == .tcp {
            guard transportCount >= 20 else {
                skipPacket(at: offset, "truncated TCP header (\(transportCount) bytes captured)")
                return false
            }
            let tcpHeaderLength = Int(CaptureBytes.byte(transport, 12) >> 4) * 4
            guard tcpHeaderLength >= 20 else {
                skipPacket(at: offset, "TCP header length \(tcpHeaderLength / 4) words")
                return false
            }
            let payloadLength = totalLength - headerLength - tcpHeaderLength
            guard payloadLength >= 0 else {
                let ipPayload = totalLength - headerLength
                skipPacket(at: offset, "TCP header (\(tcpHeaderLength) bytes) longer than the IPv4 payload (\(ipPayload) bytes)")
                return false
            }
            let payloadStart = min(tcpHeaderLength, transportCount)
            observation.kind = .tcpPacket
            observation.sourcePort = CaptureBytes.bigEndian16(transport, 0)
            observation.destinationPort = CaptureBytes.bigEndian16(transport, 2)
            observation.tcpFlags = CaptureBytes.byte(transport, 13)
            observation.payloadLength = payloadLength
            observation.payload = UnsafeRawBufferPointer(start: transport + payloadStart, count: transportCount - payloadStart)
            statistics.tcpPackets += 1
            if let request = HTTPRequestLine.parse(observation.payload) {
                statistics.httpRequests += 1
                httpObservation = observation
                httpObservation.kind = .httpRequest
                httpObservation.method = UnsafeRawBufferPointer(rebasing: observation.payload[request.method])
                httpObservation.target = UnsafeRawBufferPointer(rebasing: observation.payload[request.target])
                pendingHTTP = true
            }
            return true
        }
        guard transportCount >= 8 else {
            skipPacket(at: offset, "truncated UDP header (\(transportCount) bytes captured)")
            return false
        }
        let udpLength = Int(CaptureBytes.bigEndian16(transport, 4))
        guard udpLength >= 8 else {
            skipPacket(at: offset, "UDP length \(udpLength) less than 8")
            return false
        }
        observation.kind = .udpPacket
        observation.sourcePort = CaptureBytes.bigEndian16(transport, 0)
        observation.destinationPort = CaptureBytes.bigEndian16(transport, 2)
        observation.tcpFlags = 0
        observation.payloadLength = udpLength - 8
        observation.payload = UnsafeRawBufferPointer(start: transport + 8, count: max(0, min(transportCount, udpLength) - 8))
        statistics.udpPackets += 1
        return true
    }
}
