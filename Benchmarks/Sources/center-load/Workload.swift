import Sensor
import WatchCenter
import WormWatchCore

/// SplitMix64: a small, fast, seeded generator, so the same seed gives the same batches.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A routable unicast address: first octet 1 to 223, not 10 or 127.
    mutating func address() -> UInt32 {
        while true {
            let a = UInt32(truncatingIfNeeded: next())
            let first = a >> 24
            if first >= 1 && first <= 223 && first != 10 && first != 127 && a & 0xFF != 0 { return a }
        }
    }
}

/// The worm families of the workload, with the rule and the evidence the sensor writes for
/// each (the first 80 bytes of the request target, as `Evidence.target` shows them).
struct WormKind: Sendable {
    let family: String
    let rule: String
    let evidence: String

    static let all: [WormKind] = [
        WormKind(family: "code-red-i", rule: "code-red-i", evidence: "/default.ida?" + String(repeating: "N", count: 67)),
        WormKind(family: "code-red-ii", rule: "code-red-ii", evidence: "/default.ida?" + String(repeating: "X", count: 67)),
        WormKind(family: "nimda", rule: "nimda-cmd-exe", evidence: "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir"),
    ]

    /// 80 % Code Red I (v2), 12 % Code Red II, 8 % Nimda.
    static func draw(_ rng: inout SplitMix64) -> Int {
        let u = rng.unit()
        return u < 0.80 ? 0 : u < 0.92 ? 1 : 2
    }
}

/// The month the workload covers: 2001-07-01T00:00:00Z onwards.
enum Month {
    static let startNanoseconds: Int64 = 993_945_600 * 1_000_000_000
    static let minute: Int64 = 60_000_000_000
    static let day: Int64 = 86_400 * 1_000_000_000
}

/// A web server sensor's Code Red–like detections over `days` days, in time order, cut into
/// batches: each event comes from a new source with probability 0.55, else from a source seen
/// before (three times in four one of the last 4,096 seen: infected hosts probe repeatedly).
/// Destinations are 64 web servers in 44.0.0.0/8, port 80.
struct EventWorkload {
    let batches: Int
    let lines: Int
    let days: Int
    let seed: UInt64

    func make() -> [[SensorEvent]] {
        var rng = SplitMix64(seed: seed)
        let total = batches * lines
        let span = Int64(days) * Month.day
        let slot = max(1, span / Int64(max(total, 1)))
        let servers: [UInt32] = (0..<64).map { _ in 0x2C00_0000 | (UInt32(truncatingIfNeeded: rng.next()) & 0x00FF_FFFF) | 1 }
        var seen: [UInt32] = []
        var kinds: [UInt8] = []
        seen.reserveCapacity(total / 2 + 16)
        kinds.reserveCapacity(total / 2 + 16)
        var out: [[SensorEvent]] = []
        out.reserveCapacity(batches)
        var line = 0
        for b in 0..<batches {
            var batch: [SensorEvent] = []
            batch.reserveCapacity(lines)
            for i in 0..<lines {
                let n = b * lines + i
                let time = Month.startNanoseconds + Int64(n) * slot + Int64(rng.below(Int(slot)))
                let index: Int
                if seen.isEmpty || rng.unit() < 0.55 {
                    seen.append(rng.address())
                    kinds.append(UInt8(WormKind.draw(&rng)))
                    index = seen.count - 1
                } else if rng.unit() < 0.75 {
                    let window = min(seen.count, 4_096)
                    index = seen.count - 1 - rng.below(window)
                } else {
                    index = rng.below(seen.count)
                }
                let kind = WormKind.all[Int(kinds[index])]
                line += 1 + rng.below(40)
                batch.append(
                    SensorEvent(
                        timeNanoseconds: time, source: seen[index], destination: servers[rng.below(servers.count)], destinationPort: 80,
                        transport: .tcp, family: kind.family, ruleID: kind.rule, severity: .high, evidence: kind.evidence,
                        input: "access.log", recordKind: .line, record: line))
            }
            out.append(batch)
        }
        return out
    }

    /// The events as CSV rows in the column order of the stores' `events` table, ids from 1,
    /// no header: what the peers (`sqlite3 .import`, `psql \copy`) load.
    static func csv(_ batches: [[SensorEvent]], sensorID: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(batches.count * (batches.first?.count ?? 0) * 180)
        var id = 0
        for batch in batches {
            for e in batch {
                id += 1
                let fields = [
                    String(id), String(sensorID), String(e.timeNanoseconds), String(e.source), String(e.destination),
                    String(e.destinationPort), e.transport.rawValue, e.family, e.ruleID, e.severity.rawValue, e.evidence, e.input,
                    "line", String(e.record),
                ]
                out.append(contentsOf: fields.map(CSV.field).joined(separator: ",").utf8)
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }
}
