import WormWatchCore

/// A time series read from a CSV file: one count per time, with the line each came from.
public struct ObservedSeries: Sendable, Equatable {
    /// Times in seconds: plain seconds as written, or seconds since 1970 for ISO 8601 times.
    public var times: [Double]
    /// Counts in hosts, cumulative (per-interval input has been summed).
    public var counts: [Double]
    /// The file's line number (1-based, the header is line 1) of each point.
    public var lines: [Int]
    /// The first time as seconds since 1970, when the times were ISO 8601.
    public var start: Int64?

    /// Creates a series.
    public init(times: [Double], counts: [Double], lines: [Int], start: Int64? = nil) {
        self.times = times; self.counts = counts; self.lines = lines; self.start = start
    }

    /// Seconds since the first point.
    public var elapsed: [Double] { times.map { $0 - (times.first ?? 0) } }
}

/// The two columns a series is read from.
public enum SeriesColumn: String, Sendable, Hashable {
    /// The times.
    case time
    /// The counts.
    case count
}

/// Whether a count column holds running totals or per-interval increments.
public enum CountKind: String, Sendable, CaseIterable {
    /// Running totals (e.g. `ever_infected`).
    case cumulative
    /// Counts per interval (e.g. `new_infections`), summed into running totals on reading.
    case perInterval = "per-interval"
}

/// A problem in a series CSV file: the line (nil for the file as a whole) and what is wrong.
public struct SeriesCSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number, or nil.
    public var line: Int?
    /// What is wrong, in words.
    public var message: String
    /// Set when a named column is not in the header: which of the two.
    public var missingColumn: SeriesColumn?

    /// Creates an error.
    public init(line: Int?, message: String, missingColumn: SeriesColumn? = nil) {
        self.line = line; self.message = message; self.missingColumn = missingColumn
    }

    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}

/// Reads a time series from CSV text (conventions.md: a header row, comma separator, `.` decimal
/// point). The time column holds plain seconds (`elapsed_seconds`) or ISO 8601 UTC times
/// (`2001-07-19T10:00:00Z`); times must increase strictly; counts must be finite and ≥ 0.
/// Blank lines are skipped. The CSV written by `wormwatch simulate --format csv` reads as is.
public enum SeriesCSV {
    /// Parses `text`.
    /// - Parameters:
    ///   - timeColumn: The header name of the time column.
    ///   - countColumn: The header name of the count column.
    ///   - counts: `.perInterval` sums the column into a cumulative series.
    public static func parse(_ text: String, timeColumn: String = "time", countColumn: String = "ever_infected",
                             counts kind: CountKind = .cumulative) throws(SeriesCSVError) -> ObservedSeries {
        // "\r\n" is one Character in Swift, so split on both.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if var first = lines.first, first.hasPrefix("\u{FEFF}") { first.removeFirst(); lines[0] = first }
        guard let headerLine = lines.first, !headerLine.trimmingSpaces.isEmpty else {
            throw SeriesCSVError(line: 1, message: "empty file: expected a header row naming the columns '\(timeColumn)' and '\(countColumn)'")
        }
        let header: [String]
        do { header = try fields(headerLine).map { $0.trimmingSpaces } } catch {
            throw SeriesCSVError(line: 1, message: error.message)
        }
        let listing = header.joined(separator: ", ")
        guard let timeIndex = header.firstIndex(of: timeColumn) else {
            throw SeriesCSVError(line: 1, message: "no column '\(timeColumn)' (the header has: \(listing))", missingColumn: .time)
        }
        guard let countIndex = header.firstIndex(of: countColumn) else {
            throw SeriesCSVError(line: 1, message: "no column '\(countColumn)' (the header has: \(listing))", missingColumn: .count)
        }
        var series = ObservedSeries(times: [], counts: [], lines: [])
        var isoTimes: Bool?
        var total = 0.0
        for (offset, raw) in lines.enumerated().dropFirst() where !raw.trimmingSpaces.isEmpty {
            let lineNumber = offset + 1
            let row: [String]
            do { row = try fields(raw) } catch { throw SeriesCSVError(line: lineNumber, message: error.message) }
            guard row.count == header.count else {
                throw SeriesCSVError(line: lineNumber, message: "\(row.count) field\(row.count == 1 ? "" : "s"), but the header has \(header.count)")
            }
            let timeText = row[timeIndex].trimmingSpaces, countText = row[countIndex].trimmingSpaces
            let time: Double
            if let seconds = Double(timeText), seconds.isFinite, isoTimes != true {
                time = seconds
                isoTimes = false
            } else if let instant = UTCCalendar.parseISO8601(timeText), isoTimes != false {
                time = Double(instant)
                isoTimes = true
                if series.start == nil { series.start = instant }
            } else if timeText.isEmpty {
                throw SeriesCSVError(line: lineNumber, message: "\(timeColumn): empty; expected a time")
            } else if isoTimes == true, Double(timeText) != nil {
                throw SeriesCSVError(line: lineNumber, message: "\(timeColumn): '\(timeText)' is in seconds, but the earlier times are ISO 8601")
            } else if isoTimes == false, UTCCalendar.parseISO8601(timeText) != nil {
                throw SeriesCSVError(line: lineNumber, message: "\(timeColumn): '\(timeText)' is ISO 8601, but the earlier times are in seconds")
            } else {
                throw SeriesCSVError(line: lineNumber, message: "\(timeColumn): '\(timeText)' is neither seconds nor an ISO 8601 UTC time like 2001-07-19T10:00:00Z")
            }
            if let previous = series.times.last, let previousLine = series.lines.last, !(time > previous) {
                throw SeriesCSVError(line: lineNumber, message: "\(timeColumn): '\(timeText)' is not after the time on line \(previousLine); times must increase")
            }
            guard !countText.isEmpty else {
                throw SeriesCSVError(line: lineNumber, message: "\(countColumn): empty; expected a count")
            }
            guard let count = Double(countText), count.isFinite else {
                throw SeriesCSVError(line: lineNumber, message: "\(countColumn): '\(countText)' is not a number")
            }
            guard count >= 0 else {
                throw SeriesCSVError(line: lineNumber, message: "\(countColumn): negative count \(countText)")
            }
            total += count
            series.times.append(time)
            series.counts.append(kind == .cumulative ? count : total)
            series.lines.append(lineNumber)
        }
        return series
    }

    struct FieldError: Error { let message: String }

    /// Splits one CSV line into fields; double quotes may enclose a field ("" is a quote).
    static func fields(_ line: Substring) throws(FieldError) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuotes = false
        var wasQuoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { current.append(c) }
            } else if c == "," {
                result.append(current); current = ""; wasQuoted = false
            } else if c == "\"" && current.trimmingSpaces.isEmpty && !wasQuoted {
                current = ""; inQuotes = true; wasQuoted = true
            } else {
                current.append(c)
            }
        }
        guard !inQuotes else { throw FieldError(message: "a quoted field is not closed") }
        result.append(current)
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
