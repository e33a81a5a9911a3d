import EarlyWarning
import Synchronization
import WatchCenter

/// The families' assessments, computed from the store at most every ``maximumAge`` seconds:
/// a request within that time is answered from memory without touching the store; a later one
/// gets the last assessment at once while a refresh runs in the background (one at a time), so
/// only the very first request waits for the early warning to run over 30 days of minutes.
/// A maximum age of 0 assesses on every request (tests).
///
/// Each family's top sources and /16 prefixes (``TopSources``) are kept beside them: they read
/// every source of the family (about a second at 5 million), so they are read in the
/// background, never on a request's path once known, and again only when the family's data
/// changed and they are older than ``topMaximumAge``.
final class AssessmentCache<Store: ObservationStore>: Sendable {
    let store: Store
    let maximumAge: Duration
    private struct Snapshot {
        var computed: ContinuousClock.Instant
        var summaries: [FamilySummary]
        var assessments: [String: FamilyAssessment]
    }
    private struct TopEntry {
        var computed: ContinuousClock.Instant
        var summary: FamilySummary
        var top: TopSources
    }
    private struct State {
        var snapshot: Snapshot?
        var refreshing = false
        var tops: [String: TopEntry] = [:]
        var topsRefreshing = false
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

    /// A family's top sources and prefixes, or `nil` if the family has no data; read now if
    /// they never were.
    func top(family: String) async throws(StoreError) -> TopSources? {
        let summaries = try await current().summaries
        guard let summary = summaries.first(where: { $0.family == family }) else { return nil }
        if maximumAge != .zero, let known = state.withLock({ $0.tops[family] }) {
            refreshTops(summaries)
            return known.top
        }
        let top = try await store.topSources(family: family, limit: Self.topCount)
        state.withLock { $0.tops[family] = TopEntry(computed: .now, summary: summary, top: top) }
        return top
    }

    /// The top lists known now, without waiting for the store: the missing and the stale ones
    /// are read in the background (all of them, at once, with a maximum age of 0).
    func tops() async throws(StoreError) -> [String: TopSources] {
        let summaries = try await current().summaries
        if maximumAge == .zero {
            var all: [String: TopSources] = [:]
            for s in summaries { all[s.family] = try await store.topSources(family: s.family, limit: Self.topCount) }
            return all
        }
        refreshTops(summaries)
        return state.withLock { $0.tops.mapValues(\.top) }
    }

    /// Assesses every family and reads every top list now, waiting for both: run before the
    /// server listens, so that no request (not even the first) waits for the store.
    func warm() async {
        guard let summaries = try? await current().summaries else { return }
        for summary in summaries where state.withLock({ $0.tops[summary.family] == nil }) {
            if let top = try? await store.topSources(family: summary.family, limit: Self.topCount) {
                state.withLock { $0.tops[summary.family] = TopEntry(computed: .now, summary: summary, top: top) }
            }
        }
    }

    /// Starts reading, in the background, the top lists of families that have none or whose
    /// data changed since theirs were read more than ``topMaximumAge`` ago (one reader at a time).
    private func refreshTops(_ summaries: [FamilySummary]) {
        let clock = ContinuousClock.now
        let due: [FamilySummary] = state.withLock { s in
            guard !s.topsRefreshing else { return [] }
            let list = summaries.filter { summary in
                guard let entry = s.tops[summary.family] else { return true }
                return entry.summary != summary && clock - entry.computed >= topMaximumAge
            }
            if !list.isEmpty { s.topsRefreshing = true }
            return list
        }
        guard !due.isEmpty else { return }
        Task {
            for summary in due {
                if let top = try? await self.store.topSources(family: summary.family, limit: Self.topCount) {
                    self.state.withLock { $0.tops[summary.family] = TopEntry(computed: .now, summary: summary, top: top) }
                }
            }
            self.state.withLock { $0.topsRefreshing = false }
        }
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
        for summary in summaries {
            let unchanged = previous?.summaries.contains(summary) ?? false
            if unchanged, let kept = previous?.assessments[summary.family] {
                assessments[summary.family] = kept
            } else {
                assessments[summary.family] = try await WarningAnalysis.assess(family: summary.family, store: store)
            }
        }
        return Snapshot(computed: clock, summaries: summaries, assessments: assessments)
    }
}
