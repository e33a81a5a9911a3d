import Foundation
import WormWatchCore

/// Reads a `wormwatch.event/1` stream (what ``EventNDJSON`` writes): one event per line,
/// blank lines skipped. The Watch Center's ingest unit.
///
/// A line that is not an event is an error naming its line and why
/// (`events.ndjson:12: time: '…' is not an ISO 8601 UTC time`).
public struct EventNDJSONReader {
    /// The stream's name in errors.
    public let name: String
    private let decoder = JSONDecoder()

    /// A reader whose errors name `name`.
    public init(name: String = "<events>") { self.name = name }

    /// The longest line read, in bytes (an event's evidence is at most a few hundred).
    public static let maximumLineLength = 1 << 20

    /// Every event of `bytes`, in order.
    public func events(_ bytes: some Collection<UInt8>) throws(SensorError) -> [SensorEvent] {
        var events: [SensorEvent] = []
        try forEach(bytes) { events.append($0) }
        return events
    }

    /// Calls `body` with each event of `bytes`, in order.
    public func forEach(_ bytes: some Collection<UInt8>, _ body: (SensorEvent) -> Void) throws(SensorError) {
        var lineNumber = 0
        let data = Array(bytes)
        var start = 0
        while start < data.count {
            lineNumber += 1
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.count
            var line = data[start..<end]
            start = end + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            body(try event(line, lineNumber))
        }
    }

    /// One line's event.
    func event(_ line: ArraySlice<UInt8>, _ lineNumber: Int) throws(SensorError) -> SensorEvent {
        let location = "\(name):\(lineNumber)"
        guard line.count <= Self.maximumLineLength else {
            throw .unrecognizedFormat(path: location, reason: "a line of \(line.count) bytes is not an event")
        }
        do {
            return try decoder.decode(SensorEvent.self, from: Data(line))
        } catch let problem as SensorEvent.DecodingProblem {
            throw .unrecognizedFormat(path: location, reason: problem.description)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .unrecognizedFormat(path: location, reason: "\(key.stringValue): missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.last?.stringValue ?? "event"
            throw .unrecognizedFormat(path: location, reason: "\(key): not the kind of value an event holds there")
        } catch {
            throw .unrecognizedFormat(path: location, reason: "not a JSON object (a wormwatch.event/1 line)")
        }
    }
}
