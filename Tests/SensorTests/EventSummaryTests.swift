import Foundation
import Testing
@testable import Sensor

/// ScanSummary and new-source series on a small case computed by hand.
@Suite("Event summary and source series")
struct EventSummaryTests {
    static let a: UInt32 = 0x0101_0101, b: UInt32 = 0x0202_0202, c: UInt32 = 0x0303_0303, d: UInt32 = 0x0404_0404, e: UInt32 = 0x0505_0505

    /// 2001-07-19 at hh:mm:ss plus a fraction, in nanoseconds.
    static func at(_ h: Int64, _ m: Int64, _ s: Int64, _ fraction: Int64 = 0) -> Int64 {
        (995_500_800 + h * 3600 + m * 60 + s) * 1_000_000_000 + fraction
    }

    static func event(_ family: String, _ source: UInt32, _ time: Int64) -> SensorEvent {
        SensorEvent(timeNanoseconds: time, source: source, destination: 0, destinationPort: 80, transport: .tcp, family: family,
                    ruleID: family, severity: .high, evidence: "", input: "x.log", recordKind: .line, record: 1)
    }

    /// Nine events, out of time order, one from an unknown source.
    static let events = [
        event("code-red-i", a, at(10, 0, 0)),
        event("code-red-i", b, at(10, 0, 30, 500_000_000)),
        event("code-red-i", a, at(10, 2, 0)),
        event("nimda", a, at(9, 59, 0)),
        event("nimda", 0, at(10, 5, 0)),
        event("slammer", c, at(10, 1, 0)),
        event("code-red-i", d, at(10, 3, 59, 500_000_000)),
        event("slammer", e, at(10, 4, 0)),
        event("slammer", e, at(10, 2, 10)),
    ]

    static var summary: ScanSummary {
        var s = ScanSummary()
        for e in events { s.add(e) }
        return s
    }

    static var series: NewSourceSeries {
        var s = NewSourceSeries()
        for e in events { s.add(e) }
        return s
    }

    @Test("per family: events, distinct sources, first and last seen")
    func families() {
        let s = Self.summary
        #expect(s.families == [
            .init(family: "code-red-i", events: 4, distinctSources: 3, firstSeenNanoseconds: Self.at(10, 0, 0), lastSeenNanoseconds: Self.at(10, 3, 59, 500_000_000)),
            .init(family: "nimda", events: 2, distinctSources: 1, firstSeenNanoseconds: Self.at(9, 59, 0), lastSeenNanoseconds: Self.at(10, 5, 0)),
            .init(family: "slammer", events: 3, distinctSources: 2, firstSeenNanoseconds: Self.at(10, 1, 0), lastSeenNanoseconds: Self.at(10, 4, 0)),
        ])
        #expect(s.totalEvents == 9 && s.distinctSources == 5)
    }

    @Test("the summary as a table, CSV and JSON")
    func summaryFormats() throws {
        let s = Self.summary
        #expect(s.table() == """
            family      events  sources  first seen            last seen
            code-red-i       4        3  2001-07-19T10:00:00Z  2001-07-19T10:03:59.500Z
            nimda            2        1  2001-07-19T09:59:00Z  2001-07-19T10:05:00Z
            slammer          3        2  2001-07-19T10:01:00Z  2001-07-19T10:04:00Z
            all              9        5  2001-07-19T09:59:00Z  2001-07-19T10:05:00Z

            """)
        #expect(s.csv() == """
            family,events,distinct_sources,first_seen,last_seen
            code-red-i,4,3,2001-07-19T10:00:00Z,2001-07-19T10:03:59.500Z
            nimda,2,1,2001-07-19T09:59:00Z,2001-07-19T10:05:00Z
            slammer,3,2,2001-07-19T10:01:00Z,2001-07-19T10:04:00Z

            """)
        #expect(s.json() == """
            {
              "format": "wormwatch.scan-summary/1",
              "total_events": 9,
              "distinct_sources": 5,
              "families": [
                {"family": "code-red-i", "events": 4, "distinct_sources": 3, "first_seen": "2001-07-19T10:00:00Z", "last_seen": "2001-07-19T10:03:59.500Z"},
                {"family": "nimda", "events": 2, "distinct_sources": 1, "first_seen": "2001-07-19T09:59:00Z", "last_seen": "2001-07-19T10:05:00Z"},
                {"family": "slammer", "events": 3, "distinct_sources": 2, "first_seen": "2001-07-19T10:01:00Z", "last_seen": "2001-07-19T10:04:00Z"}
              ]
            }

            """)
        _ = try JSONSerialization.jsonObject(with: Data(s.json().utf8))
    }

    @Test("an empty summary")
    func emptySummary() throws {
        let s = ScanSummary()
        #expect(s.table() == "family  events  sources  first seen  last seen\nall          0        0  -           -\n")
        #expect(s.csv() == "family,events,distinct_sources,first_seen,last_seen\n")
        #expect(s.json() == "{\n  \"format\": \"wormwatch.scan-summary/1\",\n  \"total_events\": 0,\n  \"distinct_sources\": 0,\n  \"families\": []\n}\n")
        _ = try JSONSerialization.jsonObject(with: Data(s.json().utf8))
    }

    @Test("new sources per minute: earliest event wins, zeros between, by minute then family")
    func series() throws {
        let s = Self.series
        #expect(s.csv() == """
            minute,family,new_sources,cumulative_sources
            2001-07-19T09:59:00Z,nimda,1,1
            2001-07-19T10:00:00Z,code-red-i,2,2
            2001-07-19T10:01:00Z,code-red-i,0,2
            2001-07-19T10:01:00Z,slammer,1,1
            2001-07-19T10:02:00Z,code-red-i,0,2
            2001-07-19T10:02:00Z,slammer,1,2
            2001-07-19T10:03:00Z,code-red-i,1,3

            """)
        #expect(s.json().hasPrefix("""
            {
              "format": "wormwatch.source-series/1",
              "interval_seconds": 60,
              "rows": [
                {"minute": "2001-07-19T09:59:00Z", "family": "nimda", "new_sources": 1, "cumulative_sources": 1},
                {"minute": "2001-07-19T10:00:00Z", "family": "code-red-i", "new_sources": 2, "cumulative_sources": 2},
            """))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        #expect((object["rows"] as? [Any])?.count == 7)
    }

    @Test("the order events arrive in does not change the outputs")
    func orderIndependent() {
        var summary = ScanSummary(), series = NewSourceSeries()
        for e in Self.events.reversed() {
            summary.add(e)
            series.add(e)
        }
        #expect(summary.json() == Self.summary.json())
        #expect(series.csv() == Self.series.csv())
    }

    @Test("family names with commas and quotes are quoted in CSV")
    func csvQuoting() {
        var s = ScanSummary()
        s.add(Self.event("a,\"b\"", 1, 0))
        #expect(s.csv().split(separator: "\n")[1] == #""a,""b""",1,1,1970-01-01T00:00:00Z,1970-01-01T00:00:00Z"#)
    }

    @Test("past 2^20 sources a family's count is a sketch's estimate, marked so, within its stated error")
    func estimatedPastTheExactLimit() throws {
        var s = ScanSummary()
        let n = ScanSummary.exactSourceLimit + 200_000
        // Every source twice: the count is of distinct sources.
        for i in 0..<(2 * n) {
            s.add(Self.event("code-red-i", UInt32(i % n) &* 0x9E37_79B1 &+ 1, Self.at(10, 0, 0)))
        }
        s.add(Self.event("nimda", Self.a, Self.at(10, 0, 0)))
        let cr = try #require(s.families.first)
        #expect(!cr.distinctSourcesExact && !s.distinctSourcesExact)
        #expect(abs(Double(cr.distinctSources) / Double(n) - 1) < 4 * 0.0081, "\(cr.distinctSources) of \(n)")
        #expect(s.families.last?.distinctSources == 1 && s.families.last?.distinctSourcesExact == true)
        let rows = s.table().split(separator: "\n")
        #expect(rows[1].contains(" ~\(cr.distinctSources)  ") && rows[2].hasPrefix("nimda") && rows[2].contains("  1  "))
        #expect(s.json().contains("\"distinct_sources\": \(cr.distinctSources), \"distinct_sources_exact\": false, "))
        #expect(!Self.summary.json().contains("distinct_sources_exact"))
    }
}
