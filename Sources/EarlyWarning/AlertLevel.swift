/// How sure the center is that a worm is spreading, in the colours of the SANS Internet Storm
/// Center's InfoCon that operators know.
public enum AlertLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Nothing that grows: green.
    case quiet
    /// Sources grow faster than the threshold, but the growth has not yet held: yellow.
    case watch
    /// The growth rate has settled on a positive constant while the infected hosts at least
    /// doubled: a spreading worm (red).
    case active

    /// The InfoCon colour's name.
    public var colour: String {
        switch self {
        case .quiet: "green"
        case .watch: "yellow"
        case .active: "red"
        }
    }

    /// The colour as a CSS hex value.
    public var hex: String {
        switch self {
        case .quiet: "#2e7d32"
        case .watch: "#f9a825"
        case .active: "#c62828"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
    private var order: Int {
        switch self {
        case .quiet: 0
        case .watch: 1
        case .active: 2
        }
    }
}

/// A change of level and why.
public struct LevelChange: Sendable, Hashable, Codable {
    /// When, in seconds since 1970 (the end of the interval that decided it).
    public var time: Double
    /// The level before.
    public var from: AlertLevel
    /// The level after.
    public var to: AlertLevel
    /// Why, one sentence each, with the numbers.
    public var reasons: [String]
}
