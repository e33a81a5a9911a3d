/// A plain-text table for terminals: columns two spaces apart, a rule of dashes under the
/// header, no trailing spaces, each line ending in `\n`.
///
/// By default a column's cells are right-aligned when they look like numbers and the header
/// follows its column; a table can also fix each column's alignment.
public struct TextTable: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable, Hashable {
        /// Numbers right, text left (the first column always left).
        case automatic
        /// Every cell flush left.
        case left
        /// Every cell flush right.
        case right
    }

    /// Column titles.
    public var header: [String]
    /// Rows of cells.
    public var rows: [[String]] = []
    /// Each column's alignment (``Alignment/automatic`` where not given).
    public var alignments: [Alignment]
    /// Whether a rule of dashes separates the header from the rows.
    public var rule: Bool

    /// Creates a table with the given titles and, optionally, each column's alignment.
    public init(header: [String], alignments: [Alignment] = [], rule: Bool = true) {
        self.header = header
        self.alignments = alignments
        self.rule = rule
    }

    /// Appends a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as aligned text.
    public func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = Swift.max(widths[i], cell.count) } }
        func alignment(_ i: Int) -> Alignment { i < alignments.count ? alignments[i] : .automatic }
        let numericColumn = header.indices.map { i in i > 0 && rows.contains { i < $0.count && TextTable.isNumeric($0[i]) } }
        func rightAligned(_ i: Int, _ cell: String, isHeader: Bool) -> Bool {
            switch alignment(i) {
            case .left: return false
            case .right: return true
            case .automatic: return isHeader ? (i < numericColumn.count && numericColumn[i]) : (i > 0 && TextTable.isNumeric(cell))
            }
        }
        func line(_ row: [String], isHeader: Bool = false) -> String {
            var text = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: Swift.max(0, (i < widths.count ? widths[i] : 0) - cell.count))
                return rightAligned(i, cell, isHeader: isHeader) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = line(header, isHeader: true) + "\n"
        if rule { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// Whether a cell reads as a number (digits, `.`, `-`, `e`, `%`), or is `-` for none.
    public static func isNumeric(_ cell: String) -> Bool {
        cell == "-" || (!cell.isEmpty && cell.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "%" })
    }

    /// A compact, readable number: integers with no fraction, others with up to 3 significant decimals.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) }
        let magnitude = Swift.abs(x)
        if magnitude >= 1e15 { return formatScientific(x) }
        let decimals = magnitude >= 100 ? 1 : (magnitude >= 1 ? 2 : 4)
        var scaled = (x * pow10(decimals)).rounded() / pow10(decimals)
        if scaled == 0 { scaled = 0 }
        var s = "\(scaled)"
        if s.contains("e") { return formatScientific(x) }
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    static func formatScientific(_ x: Double) -> String {
        var exponent = 0
        var m = Swift.abs(x)
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 && m > 0 { m *= 10; exponent -= 1 }
        let mantissa = (m * 1000).rounded() / 1000
        return (x < 0 ? "-" : "") + "\(mantissa)e\(exponent)"
    }
}
