/// A plain-text table with right-aligned numbers, for terminals.
public struct TextTable: Sendable {
    /// Column titles.
    public var header: [String]
    /// Rows of cells.
    public var rows: [[String]] = []

    /// Creates a table with the given titles.
    public init(header: [String]) { self.header = header }

    /// Appends a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as aligned text: numbers right-aligned, text left-aligned.
    public func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = Swift.max(widths[i], cell.count) } }
        let numericColumn = header.indices.map { i in i > 0 && rows.contains { i < $0.count && TextTable.isNumeric($0[i]) } }
        func line(_ row: [String], isHeader: Bool = false) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: Swift.max(0, (i < widths.count ? widths[i] : 0) - cell.count))
                let right = isHeader ? (i < numericColumn.count && numericColumn[i]) : (i > 0 && TextTable.isNumeric(cell))
                return right ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = line(header, isHeader: true) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    static func isNumeric(_ cell: String) -> Bool {
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

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
