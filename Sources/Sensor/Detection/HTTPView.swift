/// What the HTTP rules look at for one request, with the costly parts worked out only when a
/// rule gets far enough to need them.
@usableFromInline
struct HTTPView {
    /// The path, decoded or (if decoding would change only case) raw; compared case-folded.
    @usableFromInline var path: UnsafeRawBufferPointer
    /// The whole target, decoded or raw, or nil if the query has not been decoded yet.
    @usableFromInline var whole: UnsafeRawBufferPointer?
    /// The raw query, nil without a `?`.
    @usableFromInline var query: UnsafeRawBufferPointer?
    /// The evasions found so far (all of them once `whole` is known; `traversal` only once
    /// ``traversalKnown``).
    @usableFromInline var evasions: URIEvasions
    @usableFromInline var traversalKnown: Bool
    /// False when the path has no `..`, so it cannot have a `..` segment.
    @usableFromInline var mayHaveTraversal: Bool
    /// The anchor bits of `whole` (or of `path` while `whole` is nil), once ``maskKnown``.
    @usableFromInline var mask: UInt32
    @usableFromInline var maskKnown: Bool
    /// The path's last byte, case folded (0 for an empty path).
    @usableFromInline var lastByte: UInt8

    @inlinable
    init(path: UnsafeRawBufferPointer, whole: UnsafeRawBufferPointer?, query: UnsafeRawBufferPointer?, evasions: URIEvasions,
         traversalKnown: Bool, mayHaveTraversal: Bool) {
        self.path = path
        self.whole = whole
        self.query = query
        self.evasions = evasions
        self.traversalKnown = traversalKnown
        self.mayHaveTraversal = mayHaveTraversal
        mask = 0
        maskKnown = false
        lastByte = path.isEmpty ? 0 : CompiledRules.fold(path[path.count - 1])
    }
}
