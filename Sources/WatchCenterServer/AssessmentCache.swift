import EarlyWarning
import Synchronization
import WatchCenter

/// The families' assessments, computed from the store at most every ``maximumAge`` seconds:
/// a request within that time is answered from memory without touching the store; a later one
/// gets the last assessment at once while a refresh runs in the background (one at a time), so
/// only the very first request waits for the early warning to run over 30 days of minutes.
/// A maximum age of 0 assesses on every request (tests).
///
/// Each family's top sources and /16 prefixes (``TopSources``) are kept with it: they read every
/// source of the family (about a second at 5 million), so they are read again only when the
/// family's data changed and they are older than ``topMaximumAge``.
final class AssessmentCache<Store: ObservationStore>: Sendable {
    let store: Store
    let maximumAge: Duration
    private struct Snapshot {
        var computed: ContinuousClock.Instant
        var summaries: [FamilySummary]
        var assessments: [String: FamilyAssessment]
        var tops: [String: (computed: ContinuousClock.Instant, top: TopSources)]
    }
    private struct State {
        var snapshot: Snapshot?
        var refreshing = false
    }
    private let state = Mutex(State())

    /// How long a family's top lists are kept while its data changes.
    let topMaximumAge: Duration
    /// How many top sources and prefixes are kept.
    static var topCount: Int { 10 }

    init(store: Store, maximumAgeSeconds: Double = 5, topMaximumAgeSeconds: Double = 60) {
        self.store = store
        self.maximumAge = .milliseconds(Int64(maximumAgeSeconds * 1000))
        self.topMaximumAge = .milliseconds(Int64(topMaximumAgeSeconds * 1000))
    }

    /// A family's top sources and prefixes, or `nil` if the family has no data.
    func top(family: String) async throws(StoreError) -> TopSources? {
        try await current().tops[family]?.top
    }

    /// Every family's assessment, in the store's family order.
    func all() async throws(StoreError) -> [FamilyAssessment] {
        let snapshot = try await current()
        return snapshot.summaries.compactMap { snapshot.assessments[$0.family] }
    }

    /// One family's assessment, or `nil` if the family has no data.
    func assessment(family: String) async throws(StoreError) -> FamilyAssessment? {
        try await current().assessments[family]
    }

    private func current() async throws(StoreError) -> Snapshot {
        if maximumAge == .zero { return try await compute(previous: nil) }
        let clock = ContinuousClock.now
        let (snapshot, refresh) = state.withLock { s -> (Snapshot?, Bool) in
            guard let snapshot = s.snapshot else { return (nil, false) }
            if clock - snapshot.computed < maximumAge || s.refreshing { return (snapshot, false) }
            s.refreshing = true
            return (snapshot, true)
        }
        guard let snapshot else {
            let fresh = try await compute(previous: nil)
            state.withLock { $0.snapshot = fresh }
            return fresh
        }
        if refresh {
            let previous = snapshot
            Task {
                let fresh = try? await self.compute(previous: previous)
                self.state.withLock { s in
                    if let fresh { s.snapshot = fresh }
                    s.refreshing = false
                }
            }
        }
        return snapshot
    }

    /// Assesses the families whose data changed since `previous`; keeps the others.
    private func compute(previous: Snapshot?) async throws(StoreError) -> Snapshot {
        let clock = ContinuousClock.now
        let summaries = try await store.families()
        var assessments: [String: FamilyAssessment] = [:]
        var tops: [String: (computed: ContinuousClock.Instant, top: TopSources)] = [:]
        for summary in summaries {
            let unchanged = previous?.summaries.contains(summary) ?? false
            if unchanged, let kept = previous?.assessments[summary.family] {
                assessments[summary.family] = kept
            } else {
                assessments[summary.family] = try await WarningAnalysis.assess(family: summary.family, store: store)
            }
            if let kept = previous?.tops[summary.family], unchanged || clock - kept.computed < topMaximumAge {
                tops[summary.family] = kept
            } else {
                tops[summary.family] = (clock, try await store.topSources(family: summary.family, limit: Self.topCount))
            }
        }
        return Snapshot(computed: clock, summaries: summaries, assessments: assessments, tops: tops)
    }
}
