import Foundation
import Reports
import Testing

/// Reading observed series: the formats that must work, and every bad input with its exact
/// one-line message and line number.
@Suite("Series CSV and fit report")
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
                #expect(error == SeriesCSVError(line: line, message: message), sourceLocation: sourceLocation)
            }
        }
        expectError("", 1, "empty file: expected a header row naming the columns 'time' and 'ever_infected'")
        expectError("time,infected\n0,1\n", 1,
                    "no column 'ever_infected' (the header has: time, infected); choose one with --count-column")
        expectError("when,ever_infected\n0,1\n", 1,
                    "no column 'time' (the header has: when, ever_infected); choose one with --time-column")
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

    @Test("fit report: JSON has the documented keys, the table the parameters, the SVG data and fit")
    func report() throws {
        var report = FitReport(model: "logistic", source: "x.csv", timeColumn: "time", countColumn: "ever_infected",
                               counts: .cumulative, start: 995_536_800, converged: true)
        report.parameters = [FitReport.Parameter(name: "K", unit: "1/s", value: 0.0005, standardError: 0.00001,
                                                 low: 0.00048, high: 0.00052)]
        report.fixed = []
        report.parameterCount = 3
        report.tQuantile = 2.0
        report.iterations = 7
        report.convergence = "relative change of cost below tolerance"
        report.rmse = 12.5
        report.rSquared = 0.9999
        report.times = [0, 600, 1200, 1800, 2400]
        report.observed = [10, 20, 40, 80, 150]
        report.fitted = [10, 21, 41, 79, 150]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["format"] as? String == "wormwatch.fit/1")
        #expect(object["start"] as? String == "2001-07-19T10:00:00Z")
        #expect(object["converged"] as? Bool == true)
        #expect(object["points"] as? Int == 5 && object["degrees_of_freedom"] as? Int == 2)
        let parameter = try #require((object["parameters"] as? [[String: Any]])?.first)
        #expect(parameter.keys.sorted() == ["ci95_high", "ci95_low", "name", "standard_error", "unit", "value"])
        #expect(parameter["ci95_low"] as? Double == 0.00048)
        #expect((object["series"] as? [Any])?.count == 5)
        let table = report.table()
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("K ") })
        #expect(row.split(separator: " ") == ["K", "5e-04", "1e-05", "4.8e-04", "5.2e-04", "1/s"], "\(table)")
        #expect(table.contains("goodness of fit: rmse 12.5 hosts, R² 0.9999, n = 5, p = 3"))
        let svg = report.svg()
        #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        #expect(svg.contains("logistic fit") && svg.contains("observed"))

        var failed = FitReport(model: "aawp", source: "x.csv", timeColumn: "time", countColumn: "ever_infected",
                               counts: .cumulative, converged: false, failure: "d is not identifiable")
        failed.observed = [1, 2, 3]
        let failedObject = try #require(try JSONSerialization.jsonObject(with: Data(failed.json().utf8)) as? [String: Any])
        #expect(failedObject["converged"] as? Bool == false)
        #expect(failedObject["reason"] as? String == "d is not identifiable")
        #expect((failedObject["parameters"] as? [Any])?.isEmpty == true)
    }

    @Test("numbers in the table: six significant digits, no exponent sign")
    func numbers() {
        #expect(FitReport.number(0.000496913) == "4.96913e-04")
        #expect(FitReport.number(1.8) == "1.8")
        #expect(FitReport.number(359_812.4567) == "359812")
        #expect(FitReport.number(0.0029802) == "0.0029802")
        #expect(FitReport.number(2.5e20) == "2.5e20")
        #expect(FitReport.number(.nan) == "-")
    }
}
