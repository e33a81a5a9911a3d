import EarlyWarning
import Synchronization
import WatchCenter

/// The families' assessments, computed from the store and kept while the family's data has
/// not changed, or for at most ``maximumAge`` seconds while it keeps changing, so the read
/// routes do not re-run the early warning over 30 days of minutes on every request.
final class AssessmentCache<Store: ObservationStore>: Sendable {
    let store: Store
    let maximumAge: Int64
    let now: @Sendable () -> Int64
    private struct Entry {
        var summary: FamilySummary
        var computed: Int64
        var assessment: FamilyAssessment
    }
    private let entries = Mutex<[String: Entry]>([:])

    init(store: Store, maximumAgeSeconds: Int = 5, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.maximumAge = Int64(maximumAgeSeconds) * 1_000_000_000
        self.now = now
    }

    /// Every family's assessment, in the store's family order.
    func all() async throws(StoreError) -> [FamilyAssessment] {
        var out: [FamilyAssessment] = []
        for summary in try await store.families() { out.append(try await assessment(summary)) }
        return out
    }

    /// One family's assessment, or `nil` if the family has no data.
    func assessment(family: String) async throws(StoreError) -> FamilyAssessment? {
        guard let summary = try await store.families().first(where: { $0.family == family }) else { return nil }
        return try await assessment(summary)
    }

    private func assessment(_ summary: FamilySummary) async throws(StoreError) -> FamilyAssessment {
        let clock = now()
        if let entry = entries.withLock({ $0[summary.family] }),
           entry.summary == summary || clock - entry.computed < maximumAge {
            return entry.assessment
        }
        let assessment = try await WarningAnalysis.assess(family: summary.family, store: store)
        entries.withLock { $0[summary.family] = Entry(summary: summary, computed: clock, assessment: assessment) }
        return assessment
    }
}
