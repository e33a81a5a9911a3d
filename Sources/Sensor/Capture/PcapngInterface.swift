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

/// A pcapng option code (draft-ietf-opsawg-pcapng, "Options" and "Interface Description
/// Block"): the codes the reader acts on. Codes other than the common ones are per block type;
/// `if_` codes belong to the Interface Description Block.
@usableFromInline
struct PcapngOption: RawRepresentable, Hashable, Sendable {
    /// The 16-bit option code, in the section's byte order in the file.
    @usableFromInline var rawValue: UInt16

    /// The option with this code.
    @inlinable
    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// `opt_endofopt` (0): the end of the option list, in every block.
    @usableFromInline static let endOfOptions = PcapngOption(rawValue: 0)
    /// `opt_comment` (1): a UTF-8 comment, in every block.
    @usableFromInline static let comment = PcapngOption(rawValue: 1)
    /// `if_tsresol` (9): one byte, the resolution of the interface's timestamps (see
    /// ``TimestampResolution``); a microsecond without it.
    @usableFromInline static let ifTsresol = PcapngOption(rawValue: 9)
    /// `if_tsoffset` (14): a signed 64-bit number of seconds added to every timestamp of the
    /// interface.
    @usableFromInline static let ifTsoffset = PcapngOption(rawValue: 14)
}
