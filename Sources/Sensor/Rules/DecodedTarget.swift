/// A decoded request target, valid only during the ``URIDecoder/decode(_:_:)`` call.
public struct DecodedTarget {
    /// The decoded, lower-cased path, then `?` and the decoded query if the raw target had a `?`.
    public var bytes: UnsafeRawBufferPointer
    /// How many leading bytes of ``bytes`` are the path.
    public var pathLength: Int
    /// The tricks found while decoding.
    public var evasions: URIEvasions

    @inlinable
    /// A decoded target over `bytes`, whose first `pathLength` bytes are the path.
    public init(bytes: UnsafeRawBufferPointer, pathLength: Int, evasions: URIEvasions) {
        self.bytes = bytes
        self.pathLength = pathLength
        self.evasions = evasions
    }

    /// The decoded path.
    @inlinable
    public var path: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[0..<pathLength]) }
}
