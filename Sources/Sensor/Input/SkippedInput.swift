/// What a reader skipped because it was damaged, and why.
///
/// Readers keep going past corrupt records; they count each one here and keep the first
/// few locations so the summary can name them (`access.log:1207: line longer than 65536 bytes`).
public struct SkippedInput: Sendable, Equatable {
    /// One skipped piece of input.
    public struct Example: Sendable, Equatable, CustomStringConvertible {
        /// Where: `file:line` for text, `file: packet N (offset O)` or `file: offset O` for captures.
        public var location: String
        /// Why it was skipped, in a few words.
        public var reason: String

        public init(location: String, reason: String) {
            self.location = location
            self.reason = reason
        }

        public var description: String { "\(location): \(reason)" }
    }

    /// How many records (lines, packets, blocks) were skipped in all.
    public private(set) var count: Int = 0
    /// The first ``exampleLimit`` of them.
    public private(set) var examples: [Example] = []
    /// How many examples are kept.
    public let exampleLimit: Int

    public init(exampleLimit: Int = 5) {
        self.exampleLimit = exampleLimit
    }

    /// Whether nothing was skipped.
    public var isEmpty: Bool { count == 0 }

    /// Counts one skipped record; `location` is built only if the example is kept.
    public mutating func record(_ location: @autoclosure () -> String, _ reason: @autoclosure () -> String) {
        count += 1
        if examples.count < exampleLimit {
            examples.append(Example(location: location(), reason: reason()))
        }
    }

    /// Adds another reader's skips (examples kept in order, up to the limit).
    public mutating func merge(_ other: SkippedInput) {
        count += other.count
        for example in other.examples where examples.count < exampleLimit {
            examples.append(example)
        }
    }
}
