import Testing

/// Expects two sets to be equal; on failure reports their sizes and at most five members
/// found on only one side, not the whole sets.
public func expectSameMembers<T: Hashable & Comparable>(
    _ theirs: Set<T>, _ ours: Set<T>, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard theirs != ours else { return }
    let onlyTheirs = theirs.subtracting(ours).sorted().prefix(5).map { "\($0)" }
    let onlyOurs = ours.subtracting(theirs).sorted().prefix(5).map { "\($0)" }
    Issue.record("""
        \(what): \(theirs.count) against our \(ours.count); \
        only theirs (first 5): \(onlyTheirs.joined(separator: ", ")); only ours (first 5): \(onlyOurs.joined(separator: ", "))
        """, sourceLocation: sourceLocation)
}

/// Expects two dictionaries to be equal; on failure reports their sizes and at most five keys
/// that are missing on one side or hold different values.
public func expectSameEntries<K: Hashable & Comparable, V: Equatable>(
    _ found: [K: V], _ expected: [K: V], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard found != expected else { return }
    let differing = Set(found.keys).union(expected.keys).filter { found[$0] != expected[$0] }.sorted().prefix(5)
    let shown = differing.map { key in
        "\(key): \(found[key].map { "\($0)" } ?? "none") instead of \(expected[key].map { "\($0)" } ?? "none")"
    }
    Issue.record("\(what): \(found.count) entries against \(expected.count) expected; first differences: \(shown.joined(separator: "; "))",
                 sourceLocation: sourceLocation)
}
