import Foundation
import Outbreak

/// The published figures each validated preset is compared with.
///
/// Figures come from shared/reference/published-record.md unless their `source` says
/// otherwise; figures that were recalled rather than read in the original say so.
public enum PublishedRecord {
    /// The presets that have a published record, in the report's order.
    public static let presets = ["codered-v2", "codered-v2-august", "codered-v1", "slammer"]

    /// The figures for a preset, or `nil` if it has no published record.
    public static func figures(for preset: String) -> [PublishedFigure]? {
        switch preset {
        case "codered-v2": codeRedV2()
        case "codered-v2-august": codeRedV2August()
        case "codered-v1": codeRedV1()
        case "slammer": slammer()
        default: nil
        }
    }

    /// Code Red v2 on 19 July 2001, from shared/reference/published-record.md.
    public static func codeRedV2() -> [PublishedFigure] {
        [
            PublishedFigure(
                quantity: "hosts infected after 14 hours (by 00:00 UTC on 20 July)", key: "infected_after_14h",
                value: 359_104, text: "359,104", unit: "hosts", comparison: .value,
                source: "CAIDA Code-Red data set: unique infected addresses, 19–20 July; Moore, Shannon, Brown, IMW 2002",
                caveat: "The preset's population is 360,000 and uniform scanning at 6 probes/s saturates it hours before 00:00, so every run ends at (or within a few hosts of) N. The published count is a lower bound on the vulnerable population, seen through a /8; the model has no hosts it could not reach.",
                marker: .init(chart: .infected, hours: 14, value: 359_104, label: "359,104"),
                simulated: { record, scenario in
                    Double(row(record, atHours: 14)?.everInfected ?? 0)
                }),
            PublishedFigure(
                quantity: "peak of new infections per minute", key: "peak_new_per_minute",
                value: 2_000, text: "> 2,000", unit: "hosts/min", comparison: .atLeast,
                source: "CAIDA Code-Red analysis; Moore, Shannon, Brown, IMW 2002",
                caveat: "",
                marker: .init(chart: .newInfectionsPerMinute, hours: 6, value: 2_000, label: "> 2,000 (15:00–17:00 UTC)"),
                simulated: { record, _ in record.summary.peakNewInfectionsPerMinute }),
            PublishedFigure(
                quantity: "hour of the peak of new infections (UTC)", key: "peak_hour_utc",
                value: 16, text: "15:00–17:00 (operators' logs, approximate)", unit: "hour of day, UTC", comparison: .window(low: 15, high: 17),
                source: "Not stated in the record at hand. A site's IDS log posted to Bugtraq on 20 July 2001 (P. Reed) saw the surge begin between 14:00 and 15:00 GMT and level off around 16:00–17:00 GMT; the fastest growth lies between",
                caveat: "The hour is read from one site's log, not a measured global peak. The simulation starts from 10 assumed instances at 10:00 UTC; the peak's hour moves by about 1.3 h for every factor of 10 in that assumption (ln 10 / K with K = 1.8/h), and the diurnal pattern CAIDA saw is not switched on in the preset.",
                simulated: { record, scenario in
                    let t = Double(scenario.startTime) + record.summary.peakTime - scenario.interval / 2
                    return (t / 3600).truncatingRemainder(dividingBy: 24)
                }),
            PublishedFigure(
                quantity: "distinct sources seen by the /8 telescope", key: "telescope_sources",
                value: 359_104, text: "359,104", unit: "addresses", comparison: .value,
                source: "CAIDA Code-Red data set (UCSD /8 telescope plus two LBNL /16s), 19–20 July",
                caveat: "A /8 telescope sees every infected host within minutes (λ = 6/256 probes/s), so the simulated count equals the simulated infections, which saturate at the preset's N = 360,000; DHCP churn, which inflated and deflated the real unique-address count, is not modelled.",
                simulated: { record, scenario in
                    let m = scenario.monitors.firstIndex { $0.prefixes.contains { $0.length == 8 } } ?? 0
                    return record.summary.monitorSources.indices.contains(m) ? Double(record.summary.monitorSources[m]) : .nan
                }),
            PublishedFigure(
                quantity: "logistic growth rate K fitted to the infection curve", key: "logistic_k_per_hour",
                value: 1.8, text: "≈ 1.8 (1.75–1.85 as rounded)", unit: "1/h", comparison: .window(low: 1.75, high: 1.85),
                source: "Staniford, Paxson, Weaver, USENIX Security 2002 (fit to Code Red's spread)",
                caveat: "The preset's probe rate (6/s) is itself derived from this K (K·2^32/N), so agreement is a consistency check of the engine and the fit rather than independent evidence.",
                simulated: { record, scenario in ValidationResult.fittedK(record, until: 14 * 3600) }),
        ]
    }


    /// Code Red v2 waking on 1 August 2001.
    public static func codeRedV2August() -> [PublishedFigure] {
        [
            PublishedFigure(
                quantity: "minutes from 00:00 UTC on 1 August to the first new infection", key: "resumed_after_minutes",
                value: 1, text: "00:01 GMT", unit: "minutes", comparison: .window(low: 0, high: 1),
                source: "NIPC, 1 August 2001 (shared/reference/seed-nipc-code-red-2001-08-01.txt): the worm \"began infiltrating ... at 0001 GMT August 1\"",
                caveat: "The lifecycle wakes every still-infected host at 00:00 UTC on the 1st by construction; the row checks that the sleeping hosts resume and infect within the minute the NIPC reported.",
                simulated: { record, _ in
                    guard let row = record.rows.first(where: { $0.newInfections > 0 }) else { return .nan }
                    return row.time / 60 - 0.5
                }),
            PublishedFigure(
                quantity: "hosts infected on 1 August", key: "infected_on_1_august",
                value: 276_237, text: "276,237", unit: "hosts", comparison: .value,
                source: "SANS Internet Storm Center's count for 1 August, reported by Redmond Channel Partner and InformationWeek on 2 August 2001 (not in the record at hand); NIPC put July's at an estimated 275,000",
                caveat: "The preset's population is the 30 % of July's 360,000 hosts that CAIDA's survey found unpatched on 31 July (108,000), so no run can reach 276,237. The two published sources cannot both hold for one population: ISC's count is about as large as its July count (280,391), as if almost no host had been patched, while CAIDA surveyed 30 % still vulnerable. ISC counted distinct addresses reported by many sites over the day, which DHCP churn inflates (Moore et al.: addresses overcount hosts beyond about a day); newly installed IIS servers are not modelled either.",
                marker: .init(chart: .infected, hours: 24, value: 276_237, label: "276,237 (ISC)"),
                simulated: { record, _ in
                    Double(row(record, atHours: 24)?.everInfected ?? 0)
                }),
            PublishedFigure(
                quantity: "share of July's 360,000 vulnerable hosts still unpatched 48 h later", key: "unpatched_share_after_48h",
                value: 0.12, text: "≈ 12 % (11.5–12.5 % as rounded)", unit: "of 360,000", comparison: .window(low: 0.115, high: 0.125),
                source: "CAIDA's daily survey of IIS servers: 30 % vulnerable for six days, roughly 12 % within 48 hours (InformationWeek, 2 August 2001; not in the record at hand)",
                caveat: "The preset's patch rate is derived from this fall (ln(30/12)/48 h), so agreement checks the engine's patching, not the model.",
                simulated: { record, _ in
                    guard let row = row(record, atHours: 48) else { return .nan }
                    return Double(row.susceptible + row.infected) / 360_000
                }),
        ]
    }

    /// Code Red v1, 12–19 July 2001 (static seed).
    public static func codeRedV1() -> [PublishedFigure] {
        [
            PublishedFigure(
                quantity: "growth from 16 to 20 July over growth from 12 to 16 July (1 = linear)", key: "second_half_growth_ratio",
                value: 1, text: "\"slow and roughly linear\" (taken as 0.5–2)", unit: "ratio", comparison: .window(low: 0.5, high: 2),
                source: "CERT IN-2001-08; Moore, Shannon, Brown, IMW 2002 (qualitative; the range 0.5–2 is our reading of \"roughly linear\": exponential growth over the same days would give a ratio in the thousands)",
                caveat: "The record gives a shape, not counts: the rate r·N/Ω of a static-seed worm depends on how many sequences the threads walk, which is not published.",
                simulated: { record, _ in
                    let at = { (hours: Double) in Double(row(record, atHours: hours)?.everInfected ?? 0) }
                    let first = at(96) - at(0), second = at(192) - at(96)
                    return first > 0 ? second / first : .nan
                }),
        ]
    }

    /// Slammer, 25 January 2003.
    public static func slammer() -> [PublishedFigure] {
        let source = "Moore, Paxson, Savage, Shannon, Staniford, Weaver, \"Inside the Slammer Worm\", IEEE Security & Privacy 2003 (recalled: not in the record at hand)"
        return [
            PublishedFigure(
                quantity: "seconds until 90 % of the vulnerable hosts were infected", key: "time_to_90pct_seconds",
                value: 600, text: "within 10 minutes", unit: "s", comparison: .atMost,
                source: source, caveat: "",
                simulated: { record, _ in record.summary.timeTo90Percent ?? .nan }),
            PublishedFigure(
                quantity: "doubling time of the infected population early on", key: "doubling_time_seconds",
                value: 8.5, text: "8.5 ± 1", unit: "s", comparison: .window(low: 7.5, high: 9.5),
                source: source,
                caveat: "The preset draws each host's rate from a log-normal (median 3,000/s, σ 0.8: mean 4,130/s), a bandwidth spread assumed from the hosts' links rather than fitted; its doubling time ln 2 · Ω / (mean rate · N) is 9.6 s. The published 8.5 s was measured by a telescope over the first minute, when a few fast hosts dominate.",
                simulated: { record, _ in
                    let n = Double(record.summary.population)
                    guard let a = crossingTime(record, n / 100), let b = crossingTime(record, n / 10) else { return .nan }
                    return (b - a) / log2(10)
                }),
            PublishedFigure(
                quantity: "peak scanning rate of all infected hosts", key: "peak_probes_per_second",
                value: 55e6, text: "over 55 million (after about 3 minutes)", unit: "probes/s", comparison: .value,
                source: source,
                caveat: "Slammer saturated links: the real scan rate stopped growing at about 55 million/s after 3 minutes because the hosts' upstream links and the core filled up. The engine limits each host by its own drawn rate but has no shared capacity, so 75,000 hosts reach their full 4,130/s average (about 310 million/s). Network congestion (network.congestion_exponent) thins infections only, not probes.",
                simulated: { record, _ in record.rows.map(\.probesPerSecond).max() ?? .nan }),
        ]
    }

    /// The first row at or after `hours` since the start (the last row if the run is shorter).
    static func row(_ record: OutbreakRecord, atHours hours: Double) -> OutbreakRow? {
        record.rows.first { $0.time >= hours * 3600 } ?? record.rows.last
    }

    /// When a run's ever-infected count first reached `count`, interpolated within the interval (seconds).
    public static func crossingTime(_ record: OutbreakRecord, _ count: Double) -> Double? {
        var previousTime = 0.0, previousCount = 0.0
        for row in record.rows {
            let c = Double(row.everInfected)
            if c >= count {
                if c == previousCount { return row.time }
                return previousTime + (row.time - previousTime) * (count - previousCount) / (c - previousCount)
            }
            previousTime = row.time
            previousCount = c
        }
        return nil
    }
}
