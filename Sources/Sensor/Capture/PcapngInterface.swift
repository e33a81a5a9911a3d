/// What an Interface Description Block says about the packets recorded on one interface.
@usableFromInline
struct PcapngInterface: Sendable, Equatable {
    @usableFromInline var linkType: LinkType
    /// The interface's snapshot length; 0 means no limit.
    @usableFromInline var snapLength: Int
    @usableFromInline var resolution: TimestampResolution
    /// `if_tsoffset`: seconds to add to every timestamp.
    @usableFromInline var offsetSeconds: Int64

    @usableFromInline
    init(linkType: LinkType, snapLength: Int, resolution: TimestampResolution, offsetSeconds: Int64) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.resolution = resolution
        self.offsetSeconds = offsetSeconds
    }

    /// A timestamp of this interface in nanoseconds since 1970 (wrapping, never trapping, if
    /// a damaged offset pushes it out of range).
    @inlinable
    func nanoseconds(high: UInt32, low: UInt32) -> Int64 {
        let ticks = UInt64(high) << 32 | UInt64(low)
        return resolution.nanoseconds(ticks) &+ offsetSeconds &* 1_000_000_000
    }
}
