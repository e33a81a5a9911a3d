import WormWatchCore

/// The tests' seeded generator: the project's one SplitMix64, so random inputs are the same on
/// every run.
public typealias SeededRandom = SplitMix64
