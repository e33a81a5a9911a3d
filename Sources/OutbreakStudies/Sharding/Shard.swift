import WormWatchCore

/// One of N nearly equal, contiguous parts of a study's runs (`--shard I/N`, I from 1 to N):
/// a cluster runs the N parts as N jobs and `wormwatch merge` puts their partial results
/// together. Run indices, hence random streams, are those of the unsharded study, so the
/// merged output is the same bytes whatever N is.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Which part, from 1 to ``count``.
    public var index: Int
    /// How many parts.
    public var count: Int

    /// The most parts a study may be cut into.
    public static let maximumCount = 1_000_000

    /// A shard, checked: 1 ≤ index ≤ count ≤ ``maximumCount``.
    public init(index: Int, count: Int) throws(RequestError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw RequestError(setting: "shard", reason: "N must be between 1 and \(Self.maximumCount) (got \(count))")
        }
        guard (1...count).contains(index) else {
            throw RequestError(setting: "shard", reason: "I must be between 1 and N = \(count) (got \(index))",
                               hint: "shards are numbered from 1: --shard 1/\(count) … --shard \(count)/\(count)")
        }
        self.index = index; self.count = count
    }

    /// Parses `I/N`.
    public static func parse(_ text: String) throws(RequestError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw RequestError(setting: "shard", reason: "expected I/N, e.g. 3/8 (got '\(text)')")
        }
        return try Shard(index: i, count: n)
    }

    /// The run indices of this part out of `total`: ⌊total·(I−1)/N⌋ ..< ⌊total·I/N⌋ (empty
    /// when there are more parts than runs).
    public func runs(of total: Int) -> Range<Int> {
        let t = UInt64(max(0, total)), i = UInt64(index), n = UInt64(count)
        return Int(t * (i - 1) / n)..<Int(t * i / n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    enum CodingKeys: String, CodingKey { case index, count }

    /// Decodes and checks a shard.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let index = try c.decode(Int.self, forKey: .index), count = try c.decode(Int.self, forKey: .count)
        do { self = try Shard(index: index, count: count) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "shard \(index)/\(count): \(error.reason)"))
        }
    }
}
