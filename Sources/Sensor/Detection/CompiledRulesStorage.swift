/// Owns the memory of a ``CompiledRules``: matchers copy the tables (plain pointers, no
/// reference counting on the hot path) and keep this object alive alongside.
@usableFromInline
final class CompiledRulesStorage {
    @usableFromInline let tables: CompiledRules

    init(_ set: RuleSet) {
        tables = CompiledRules(set)
    }

    deinit {
        tables.deallocate()
    }
}
