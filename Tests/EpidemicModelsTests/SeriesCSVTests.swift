import EpidemicModels
import Foundation
import Testing

/// Reading observed series: the formats that must work, and every bad input with its exact
/// one-line message and line number.
@Suite("Series CSV")
struct SeriesCSVTests {
    @Test("the CSV of 'wormwatch simulate --format csv' reads as is: ISO times, ever_infected")
    func simulateCSV() throws {
        let text = """
            time,elapsed_seconds,susceptible,infected,removed,new_infections,ever_infected
            2001-07-01T00:01:00Z,60,395,2,3,0,2
            2001-07-01T00:02:00Z,120,393,3,4,1,3
            2001-07-01T00:03:00Z,180,390,6,4,3,6

            """
        let s = try SeriesCSV.parse(text)
        #expect(s.counts == [2, 3, 6])
        #expect(s.elapsed == [0, 60, 120])
        #expect(s.lines == [2, 3, 4])
        #expect(s.start == 993_945_660)   // 2001-07-01T00:01:00Z
        let plain = try SeriesCSV.parse(text, timeColumn: "elapsed_seconds")
        #expect(plain.times == [60, 120, 180] && plain.start == nil)
    }

    @Test("per-interval counts are summed; quotes, CRLF, a BOM and blank lines are fine")
    func perInterval() throws {
        let text = "\u{FEFF}t,\"new, hosts\"\r\n0,5\r\n\r\n10,\"3\"\r\n20,0\r\n"
        let s = try SeriesCSV.parse(text, timeColumn: "t", countColumn: "new, hosts", counts: .perInterval)
        #expect(s.counts == [5, 8, 8])
        #expect(s.lines == [2, 4, 5])
    }

    @Test("bad input: the exact message and line")
    func errors() {
        func expectError(_ text: String, _ line: Int?, _ message: String, counts: String = "ever_infected",
                         sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try SeriesCSV.parse(text, countColumn: counts)
                Issue.record("no error", sourceLocation: sourceLocation)
            } catch {
                #expect(error.line == line && error.message == message, "\(error)", sourceLocation: sourceLocation)
            }
        }
        expectError("", 1, "empty file: expected a header row naming the columns 'time' and 'ever_infected'")
        expectError("time,infected\n0,1\n", 1,
                    "no column 'ever_infected' (the header has: time, infected)")
        expectError("when,ever_infected\n0,1\n", 1,
                    "no column 'time' (the header has: when, ever_infected)")
        #expect(throws: SeriesCSVError(line: 1, message: "no column 'time' (the header has: when, ever_infected)", missingColumn: .time)) {
            try SeriesCSV.parse("when,ever_infected\n0,1\n")
        }
        #expect(throws: SeriesCSVError(line: 1, message: "no column 'ever_infected' (the header has: time, infected)", missingColumn: .count)) {
            try SeriesCSV.parse("time,infected\n0,1\n")
        }
        expectError("time,ever_infected\n0,1\n60,2\n60,3\n", 4,
                    "time: '60' is not after the time on line 3; times must increase")
        expectError("time,ever_infected\n2001-07-19T10:00:00Z,1\n2001-07-19T09:59:00Z,3\n", 3,
                    "time: '2001-07-19T09:59:00Z' is not after the time on line 2; times must increase")
        expectError("time,ever_infected\n0,1\n60,-2\n", 3, "ever_infected: negative count -2")
        expectError("time,ever_infected\n0,1\n60,many\n", 3, "ever_infected: 'many' is not a number")
        expectError("time,ever_infected\n0,1\n60,\n", 3, "ever_infected: empty; expected a count")
        expectError("time,ever_infected\n0,1\n60\n", 3, "1 field, but the header has 2")
        expectError("time,ever_infected\nnoon,1\n", 2,
                    "time: 'noon' is neither seconds nor an ISO 8601 UTC time like 2001-07-19T10:00:00Z")
        expectError("time,ever_infected\n0,1\n2001-07-19T10:00:00Z,2\n", 3,
                    "time: '2001-07-19T10:00:00Z' is ISO 8601, but the earlier times are in seconds")
        expectError("time,ever_infected\n2001-07-19T10:00:00Z,1\n60,2\n", 3,
                    "time: '60' is in seconds, but the earlier times are ISO 8601")
        expectError("time,ever_infected\n0,\"1\n", 2, "a quoted field is not closed")
    }
}
