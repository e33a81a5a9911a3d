import EarlyWarning
import Foundation
import Sensor
import WormWatchCore

/// What to do about a family: the patch and the filter, in the words of 2001's advisories.
public struct FamilyGuidance: Sendable, Hashable {
    /// The family's common name.
    public var name: String
    /// What it attacks.
    public var target: String
    /// What to do, one sentence each.
    public var actions: [String]

    /// The guidance for a family name (`code-red-ii`, `codered-v2`, `slammer`, …); a generic
    /// one for families it does not know.
    public static func `for`(_ family: String) -> FamilyGuidance {
        let f = family.lowercased()
        if f.contains("code-red") || f.contains("codered") || f.contains("ida") {
            return FamilyGuidance(
                name: "Code Red", target: "Microsoft IIS web servers (the .ida indexing buffer overflow)",
                actions: [
                    "Apply Microsoft's patch for MS01-033 to every IIS server, then reboot it: a reboot clears the worm from memory, the patch keeps it out.",
                    "Where a server does not need to be reached from outside, filter inbound TCP port 80 to it.",
                    "Look in web server logs for requests to /default.ida; a host that sends them is infected.",
                ])
        }
        if f.contains("slammer") || f.contains("sapphire") {
            return FamilyGuidance(
                name: "Slammer", target: "Microsoft SQL Server 2000 and MSDE (the Resolution Service overflow)",
                actions: [
                    "Apply Microsoft's patch for MS02-039 (or SQL Server 2000 SP3) to every SQL Server and MSDE installation.",
                    "Filter UDP port 1434 at the network edge, inbound and outbound.",
                    "Infected hosts saturate their links: find them by their outbound UDP 1434 traffic.",
                ])
        }
        if f.contains("nimda") {
            return FamilyGuidance(
                name: "Nimda", target: "Microsoft IIS web servers and Windows clients",
                actions: [
                    "Apply the cumulative IIS patch (MS01-044) and the Internet Explorer patch (MS01-020).",
                    "Look in web server logs for requests to cmd.exe and root.exe.",
                ])
        }
        if let (transport, port) = UnknownScanners.port(ofFamily: f) {
            let service = "\(transport.rawValue.uppercased()) port \(port)"
            return FamilyGuidance(
                name: "Unknown scanners on \(service)", target: "whatever service listens on \(service) (no signature names the worm yet)",
                actions: [
                    "Find which of your hosts offer a service on \(service) and apply their vendors' latest patches.",
                    "Filter \(service) at the network edge, inbound and outbound, where the service need not be reached.",
                    "Capture some of the probes (the top sources on the dashboard) and share them, so that a signature can name the worm.",
                ])
        }
        return FamilyGuidance(
            name: family, target: "hosts the scanning looks for",
            actions: [
                "Identify the service the probes look for and apply its vendor's patches.",
                "Filter the probed port at the network edge where the service need not be reached.",
            ])
    }
}

/// A Watch Center advisory: written when a family's level changes, in the manner of the NIPC's
/// updates of 2001 — what is happening, the numbers with their uncertainty, what to do.
public struct Advisory: Sendable, Hashable {
    /// A stable identifier: family, level and the minute of the change.
    public var id: String
    /// The family.
    public var family: String
    /// When the change was decided, nanoseconds since 1970.
    public var timeNanoseconds: Int64
    /// The level it announces.
    public var level: AlertLevel
    /// The level before.
    public var previous: AlertLevel
    /// One line.
    public var title: String
    /// The paragraphs.
    public var paragraphs: [String]
    /// What to do.
    public var actions: [String]

    /// How far the forecast's median final size must move from the last one announced (and
    /// out of its band) for a "forecast revised" advisory.
    public static let materialMove = 0.25

    /// The advisories of an assessment, oldest first: one per change of level, and one each
    /// time the forecast of the final size moves materially (``materialMove``) while active.
    public static func advisories(for assessment: FamilyAssessment) -> [Advisory] {
        var list = levelAdvisories(for: assessment)
        list += forecastAdvisories(for: assessment)
        return list.sorted { ($0.timeNanoseconds, $0.id) < ($1.timeNanoseconds, $1.id) }
    }

    /// One advisory each time the forecast moves materially from the one last announced (the
    /// first forecast after "active" is the first announced).
    static func forecastAdvisories(for assessment: FamilyAssessment) -> [Advisory] {
        let guidance = FamilyGuidance.for(assessment.family)
        guard var announced = assessment.forecasts.first else { return [] }
        var list: [Advisory] = []
        for f in assessment.forecasts.dropFirst() {
            let moved = abs(f.finalSize.median / announced.finalSize.median - 1)
            guard moved > materialMove, !announced.finalSize.contains(f.finalSize.median) else { continue }
            let ns = Int64((f.time * 1e9).rounded())
            let direction = f.finalSize.median > announced.finalSize.median ? "up" : "down"
            list.append(Advisory(
                id: "\(assessment.family)-forecast-\(ns / 60_000_000_000)", family: assessment.family, timeNanoseconds: ns,
                level: .active, previous: .active, title: "\(guidance.name) (\(assessment.family)): forecast revised \(direction)",
                paragraphs: [
                    "The forecast of \(assessment.family)'s final size has moved \(direction) by \(Int((moved * 100).rounded())) % since \(clock(announced.time)) UTC.",
                    "About \(Figures.count(f.finalSize.median)) hosts will be infected (90 %: \(Figures.count(f.finalSize.low))–\(Figures.count(f.finalSize.high))), against \(Figures.count(announced.finalSize.median)) forecast then; half of them by \(clock(f.timeTo50Percent.median)) UTC (90 %: \(clock(f.timeTo50Percent.low))–\(clock(f.timeTo50Percent.high))).",
                ],
                actions: guidance.actions))
            announced = f
        }
        return list
    }

    static func levelAdvisories(for assessment: FamilyAssessment) -> [Advisory] {
        let guidance = FamilyGuidance.for(assessment.family)
        let coverage = assessment.coverage
        return assessment.changes.enumerated().map { index, change in
            let ns = Int64((change.time * 1e9).rounded())
            let when = UTCCalendar.iso8601(nanoseconds: ns)
            let title: String
            var paragraphs: [String] = []
            switch change.to {
            case .active:
                title = "\(guidance.name) (\(assessment.family)) has gone active"
                paragraphs.append("Data analysis at \(when) confirms that \(assessment.family) is spreading: its growth has settled on a constant rate, the signature of a worm rather than of ordinary scanning.")
            case .watch:
                title = "\(guidance.name) (\(assessment.family)): scanning is growing"
                paragraphs.append("At \(when) the sources scanning for \(guidance.target) began to grow faster than ordinary scanning does. The Watch Center is following it; it is not yet confirmed as a spreading worm.")
            case .quiet:
                title = "\(guidance.name) (\(assessment.family)): back to quiet"
                paragraphs.append("At \(when) the growth of \(assessment.family)'s sources was no longer clearly above a worm's.")
            }
            paragraphs.append(contentsOf: change.reasons.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." })
            paragraphs.append("Seen by \(assessment.sensors) sensor\(assessment.sensors == 1 ? "" : "s") watching \(Figures.count(Double(coverage.monitored))) addresses (1/\(Figures.count((1 / max(coverage.fraction, 1e-12)).rounded())) of IPv4).")
            if change.to == .active, let f = assessment.forecasts.first(where: { $0.time >= change.time - 600 }) ?? assessment.forecast {
                paragraphs.append(
                    "If it keeps spreading as it does now, about \(Figures.count(f.finalSize.median)) hosts will be infected (90 %: \(Figures.count(f.finalSize.low))–\(Figures.count(f.finalSize.high))), half of them by \(clock(f.timeTo50Percent.median)) UTC (90 %: \(clock(f.timeTo50Percent.low))–\(clock(f.timeTo50Percent.high))).")
            }
            let minute = ns / 60_000_000_000
            return Advisory(
                id: "\(assessment.family)-\(change.to.rawValue)-\(minute)", family: assessment.family, timeNanoseconds: ns,
                level: change.to, previous: change.from, title: title, paragraphs: paragraphs,
                actions: change.to == .quiet ? [] : guidance.actions)
        }
    }


    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let iso = UTCCalendar.iso8601(nanoseconds: Int64(seconds) * 1_000_000_000)
        // 2001-07-19T18:34:00Z → 2001-07-19 18:34
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
