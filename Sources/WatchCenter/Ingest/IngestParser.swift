import Foundation
import Sensor
import WormWatchCore

/// Reads a batch body: NDJSON, one `wormwatch.event/1` or `wormwatch.observation/1` object a
/// line (blank lines and a final `\r` allowed). The whole batch is checked before any of it is
/// stored; the first problem refuses it with the line and field at fault. Events of the
/// sensor's generic scan rule are filed under their port's family (``UnknownScanners``).
public struct IngestParser: Sendable {
    /// The limits applied.
    public var limits: IngestLimits

    /// A parser with the given limits.
    public init(limits: IngestLimits = IngestLimits()) {
        self.limits = limits
    }

    /// Reads a body. `now` is the server's clock, nanoseconds since 1970 (for the future limit).
    public func parse(_ body: some Collection<UInt8>, now: Int64) throws(IngestError) -> IngestBatch {
        guard body.count <= limits.maxBodyBytes else {
            throw IngestError(code: .bodyTooLarge, message: "the body has \(body.count) bytes; the limit is \(limits.maxBodyBytes)")
        }
        let bytes = ContiguousArray(body)
        var batch = IngestBatch()
        let latest = now &+ limits.futureSkewSeconds &* 1_000_000_000
        let decoder = JSONDecoder()
        var lineNumber = 0
        var lines = 0
        var start = 0
        let end = bytes.count
        while start < end {
            var stop = start
            while stop < end && bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
            lineNumber += 1
            var lineEnd = stop
            if lineEnd > start && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let isBlank = bytes[start..<lineEnd].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if !isBlank {
                lines += 1
                guard lines <= limits.maxLines else {
                    throw IngestError(code: .tooManyLines, line: lineNumber, message: "the batch has more than \(limits.maxLines) lines")
                }
                let lineStart = start, lineStop = lineEnd
                // Most lines are events as a sensor writes them: read without Foundation's decoder.
                if var event = bytes.withUnsafeBufferPointer({ EventLineScanner.scan(UnsafeBufferPointer(rebasing: $0[lineStart..<lineStop])) }) {
                    try check(event, line: lineNumber, latest: latest)
                    UnknownScanners.file(&event)
                    batch.events.append(event)
                    start = stop + 1
                    continue
                }
                let line = try decodeLine(Data(bytes[start..<lineEnd]), number: lineNumber, decoder: decoder)
                switch line {
                case .event(var e):
                    try check(e, line: lineNumber, latest: latest)
                    UnknownScanners.file(&e)
                    batch.events.append(e)
                case .count(let c):
                    try check(c, line: lineNumber, latest: latest)
                    batch.counts.append(c)
                }
            }
            start = stop + 1
        }
        guard lines > 0 else { throw IngestError(code: .emptyBatch, message: "the batch has no lines") }
        return batch
    }

    /// The full decoder (Foundation's), for every line the fast path does not take.
    func decodeLine(_ data: Data, number: Int, decoder: JSONDecoder) throws(IngestError) -> IngestLine {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw IngestError(code: .notUTF8, line: number, message: "the line is not UTF-8")
        }
        do {
            return try decoder.decode(IngestLine.self, from: data)
        } catch let problem as IngestProblem {
            throw IngestError(code: problem.field == "format" ? .invalidValue : .invalidValue, line: number, field: problem.field, message: problem.reason)
        } catch let problem as SensorEvent.DecodingProblem {
            throw IngestError(code: .invalidValue, line: number, field: problem.key, message: problem.message)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let problem = Self.numberProblem(data, line: number) {
                throw problem
            }
            throw Self.describe(error, line: number)
        } catch {
            throw IngestError(code: .malformedJSON, line: number, message: "not a JSON object")
        }
    }

    /// The integer fields and their ranges. Foundation's decoder reports a number out of range
    /// as invalid JSON, without the field: a second look finds it.
    static let integerFields: [(String, ClosedRange<Double>)] = [
        ("destination_port", 0...65_535), ("line", 0...9.007e15), ("packet", 0...9.007e15), ("seconds", 1...86_400),
        ("probes", 0...1e9), ("distinct_sources", 0...1e9), ("new_source_count", 0...1e9),
    ]

    static func numberProblem(_ data: Data, line: Int) -> IngestError? {
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            return IngestError(code: .malformedJSON, line: line, message: "not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            return IngestError(code: .malformedJSON, line: line, message: "not a JSON object")
        }
        for (key, range) in integerFields {
            guard let value = fields[key] as? NSNumber, !(value is Bool) else { continue }
            let d = value.doubleValue
            if !range.contains(d) || d.rounded() != d {
                return IngestError(
                    code: .wrongType, line: line, field: key,
                    message: "\(value) is not a whole number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
            }
        }
        return nil
    }

    static func path(_ codingPath: [any CodingKey]) -> String? {
        guard !codingPath.isEmpty else { return nil }
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    static func describe(_ error: DecodingError, line: Int) -> IngestError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key]) ?? key.stringValue
            return IngestError(code: .missingField, line: line, field: field, message: "missing")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return IngestError(code: .malformedJSON, line: line, message: "not a JSON object")
        case .typeMismatch(let type, let context):
            return IngestError(code: .wrongType, line: line, field: path(context.codingPath), message: "expected \(jsonTypeName(type))")
        case .valueNotFound(let type, let context):
            return IngestError(code: .wrongType, line: line, field: path(context.codingPath), message: "expected \(jsonTypeName(type)), found null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return IngestError(code: .malformedJSON, line: line, message: "not valid JSON")
            }
            return IngestError(code: .wrongType, line: line, field: path(context.codingPath), message: "a number out of range or of the wrong kind")
        @unknown default:
            return IngestError(code: .malformedJSON, line: line, message: "not a JSON object")
        }
    }

    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt16.Type, is UInt32.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") || String(describing: type).contains("Unkeyed") ? "an array" : "an object"
        }
    }

    private func checkTime(_ ns: Int64, line: Int, field: String, latest: Int64) throws(IngestError) {
        guard ns >= limits.earliestNanoseconds else {
            throw IngestError(
                code: .timeOutOfRange, line: line, field: field,
                message: "\(UTCCalendar.iso8601(nanoseconds: ns)) is before \(UTCCalendar.iso8601(nanoseconds: limits.earliestNanoseconds))")
        }
        guard ns <= latest else {
            throw IngestError(
                code: .timeOutOfRange, line: line, field: field,
                message: "\(UTCCalendar.iso8601(nanoseconds: ns)) is more than \(limits.futureSkewSeconds) s after the server's clock")
        }
    }

    private func checkText(_ text: String, line: Int, field: String) throws(IngestError) {
        guard text.utf8.count <= limits.maxFieldBytes else {
            throw IngestError(code: .invalidValue, line: line, field: field, message: "longer than \(limits.maxFieldBytes) bytes")
        }
    }

    private func checkFamily(_ family: String, line: Int) throws(IngestError) {
        guard FamilyName.isValid(family) else {
            throw IngestError(code: .invalidValue, line: line, field: "family", message: FamilyName.rule)
        }
    }

    private func check(_ e: SensorEvent, line: Int, latest: Int64) throws(IngestError) {
        try checkTime(e.timeNanoseconds, line: line, field: "time", latest: latest)
        try checkFamily(e.family, line: line)
        try checkText(e.ruleID, line: line, field: "rule")
        try checkText(e.evidence, line: line, field: "evidence")
        try checkText(e.input, line: line, field: "input")
        guard e.record >= 0 else {
            throw IngestError(code: .invalidValue, line: line, field: e.recordKind == .line ? "line" : "packet", message: "negative")
        }
    }

    private func check(_ c: MonitorCount, line: Int, latest: Int64) throws(IngestError) {
        try checkFamily(c.family, line: line)
        try checkTime(c.startNanoseconds, line: line, field: "start", latest: latest)
        guard (1...86_400).contains(c.seconds) else {
            throw IngestError(code: .invalidValue, line: line, field: "seconds", message: "\(c.seconds) is not between 1 and 86400")
        }
        guard c.probes >= 0 else { throw IngestError(code: .invalidValue, line: line, field: "probes", message: "negative") }
        for (field, value) in [("probes", c.probes), ("distinct_sources", c.distinctSources), ("new_source_count", c.newSourceCount)]
        where value > IngestLimits.maxCount {
            throw IngestError(code: .invalidValue, line: line, field: field, message: "\(value) is more than \(IngestLimits.maxCount) in one interval")
        }
        guard c.distinctSources >= 0 else {
            throw IngestError(code: .invalidValue, line: line, field: "distinct_sources", message: "negative")
        }
        guard c.distinctSources <= c.probes else {
            throw IngestError(
                code: .invalidValue, line: line, field: "distinct_sources",
                message: "\(c.distinctSources) sources cannot have sent \(c.probes) probes")
        }
        guard c.newSources.count <= limits.maxNewSourcesPerLine else {
            throw IngestError(code: .invalidValue, line: line, field: "new_sources", message: "more than \(limits.maxNewSourcesPerLine) entries")
        }
        guard c.newSourceCount >= Int64(c.newSources.count) else {
            throw IngestError(
                code: .invalidValue, line: line, field: "new_source_count",
                message: "\(c.newSourceCount) is less than the \(c.newSources.count) sources listed")
        }
        guard c.newSourceCount <= c.distinctSources else {
            throw IngestError(
                code: .invalidValue, line: line, field: "new_source_count",
                message: "\(c.newSourceCount) new sources but only \(c.distinctSources) distinct sources")
        }
        guard c.newSources.count <= c.distinctSources else {
            throw IngestError(
                code: .invalidValue, line: line, field: "new_sources",
                message: "\(c.newSources.count) new sources but only \(c.distinctSources) distinct sources")
        }
        let end = c.startNanoseconds + Int64(c.seconds) * 1_000_000_000
        var seen = Set<UInt32>()
        for (i, s) in c.newSources.enumerated() {
            guard s.firstSeenNanoseconds >= c.startNanoseconds && s.firstSeenNanoseconds <= end else {
                throw IngestError(
                    code: .invalidValue, line: line, field: "new_sources[\(i)].first_seen",
                    message: "\(UTCCalendar.iso8601(nanoseconds: s.firstSeenNanoseconds)) is outside the interval")
            }
            guard seen.insert(s.source).inserted else {
                throw IngestError(
                    code: .invalidValue, line: line, field: "new_sources[\(i)].source", message: "\(IPv4Address(s.source)) is listed twice")
            }
        }
    }
}

/// One line of a batch.
enum IngestLine: Decodable {
    case event(SensorEvent)
    case count(MonitorCount)

    enum Keys: String, CodingKey { case format }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let format = try c.decode(String.self, forKey: .format)
        switch format {
        case EventNDJSON.format: self = .event(try SensorEvent(from: decoder))
        case MonitorCount.format: self = .count(try MonitorCount(from: decoder))
        default:
            throw IngestProblem(
                field: "format", reason: "'\(format.prefix(40))' is not \(EventNDJSON.format) or \(MonitorCount.format)")
        }
    }
}
