/// Worm family names numbered in the order they are first seen, for per-family tallies.
///
/// Events come in runs of one family, so the last family looked up is remembered and a run
/// costs one string comparison per event instead of a hash.
struct FamilyIndex: Sendable {
    /// Family name → its number.
    private var numbers: [String: Int] = [:]
    /// The names, by number.
    private(set) var names: [String] = []
    private var lastFamily = ""
    private var lastNumber = -1

    /// The number of `family`, and whether this is its first appearance.
    @inline(__always)
    mutating func number(of family: String) -> (number: Int, isNew: Bool) {
        if lastNumber >= 0 && family == lastFamily { return (lastNumber, false) }
        var isNew = false
        let k: Int
        if let known = numbers[family] {
            k = known
        } else {
            k = names.count
            numbers[family] = k
            names.append(family)
            isNew = true
        }
        lastFamily = family
        lastNumber = k
        return (k, isNew)
    }
}
