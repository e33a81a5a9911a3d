/// A small JSON writer with a fixed key order, so that the same data gives the same bytes:
/// the documents commands print (`wormwatch.simulation/1`, `wormwatch.fit/1`, …).
public struct JSONWriter: Sendable {
    private var out = ""
    private var needsComma: [Bool] = [false]
    private let indentUnit: String
    private var depth = 0

    /// Creates a writer; `pretty` indents by two spaces.
    public init(pretty: Bool = true) { indentUnit = pretty ? "  " : "" }

    /// The document written so far.
    public var text: String { out }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { out += "," }
        needsComma[needsComma.count - 1] = true
        if !indentUnit.isEmpty && depth > 0 { out += "\n" + String(repeating: indentUnit, count: depth) }
    }

    private mutating func key(_ k: String?) {
        separator()
        if let k { out += JSONWriter.quote(k) + (indentUnit.isEmpty ? ":" : ": ") }
    }

    /// Opens an object (as the value of `key` inside an object, or as an array element).
    public mutating func openObject(_ k: String? = nil) { key(k); out += "{"; depth += 1; needsComma.append(false) }
    /// Closes the innermost object.
    public mutating func closeObject() { close("}") }
    /// Opens an array.
    public mutating func openArray(_ k: String? = nil) { key(k); out += "["; depth += 1; needsComma.append(false) }
    /// Closes the innermost array.
    public mutating func closeArray() { close("]") }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems && !indentUnit.isEmpty { out += "\n" + String(repeating: indentUnit, count: depth) }
        out += bracket
    }

    /// Writes a string value.
    public mutating func string(_ k: String?, _ value: String) { key(k); out += JSONWriter.quote(value) }
    /// Writes a number; NaN and infinities become `null`.
    public mutating func number(_ k: String?, _ value: Double) { key(k); out += JSONWriter.format(value) }
    /// Writes an integer.
    public mutating func int(_ k: String?, _ value: Int) { key(k); out += String(value) }
    /// Writes a Boolean.
    public mutating func bool(_ k: String?, _ value: Bool) { key(k); out += value ? "true" : "false" }
    /// Writes `null`.
    public mutating func null(_ k: String?) { key(k); out += "null" }

    /// A JSON number: integers without a fraction, others in shortest round-trip form.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A quoted, escaped JSON string (see ``JSONEscaping``).
    public static func quote(_ s: String) -> String { JSONEscaping.quoted(s) }
}
