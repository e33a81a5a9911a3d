import Foundation

/// Code Red v2-like numbers used throughout: N = 360,000 vulnerable hosts in IPv4, 6 probes/s.
enum CodeRed {
    static let population = 360_000.0
    static let addressSpace = 4_294_967_296.0   // 2^32
    static let probeRate = 6.0
}

func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(b), .leastNormalMagnitude)
}
