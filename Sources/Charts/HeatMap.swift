/// A heat map over a 2-D parameter grid (e.g. a sweep of scan rate × vulnerable population),
/// rendered to a self-contained SVG document with a viridis colour scale and its legend.
///
/// Cells are laid out evenly, one column per entry of `xValues` and one row per entry of
/// `yValues` (the first row at the bottom), so log-spaced sweeps look as regular as linear ones.
/// Each cell carries a `<title>`, shown on hover, with its coordinates and value; when the cells
/// are large enough the value is also written inside them. Non-finite values and missing cells
/// (rows of `values` shorter than `xValues`) are drawn light grey as "no data".
public struct HeatMap: Sendable, Equatable {
    /// Main title.
    public var title: String
    /// Optional second line under the title.
    public var subtitle: String?
    /// Horizontal axis; only its label is used (cells are evenly spaced).
    public var xAxis: Axis
    /// Vertical axis; only its label is used (cells are evenly spaced).
    public var yAxis: Axis
    /// Parameter values along x, one per column.
    public var xValues: [Double]
    /// Parameter values along y, one per row, bottom to top.
    public var yValues: [Double]
    /// Cell values, `values[yIndex][xIndex]`.
    public var values: [[Double]]
    /// Name (with unit) of the quantity shown by colour, e.g. `"hours to 50 % infected"`.
    public var valueLabel: String
    /// Value mapped to the darkest colour, or `nil` for the smallest finite value.
    public var valueMin: Double?
    /// Value mapped to the brightest colour, or `nil` for the largest finite value.
    public var valueMax: Double?
    /// Width of the SVG in pixels (at least 240 is used).
    public var width: Int = 900
    /// Height of the SVG in pixels (at least 180 is used).
    public var height: Int = 540

    /// Creates a heat map.
    /// - Parameters:
    ///   - title: Main title.
    ///   - subtitle: Optional line under the title.
    ///   - xAxis: Horizontal axis (label).
    ///   - yAxis: Vertical axis (label).
    ///   - xValues: Parameter values along x.
    ///   - yValues: Parameter values along y.
    ///   - values: Cell values, `values[yIndex][xIndex]`.
    ///   - valueLabel: Name and unit of the cell values.
    ///   - valueMin: Fixed bottom of the colour scale, or `nil`.
    ///   - valueMax: Fixed top of the colour scale, or `nil`.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    public init(
        title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis, xValues: [Double], yValues: [Double],
        values: [[Double]], valueLabel: String, valueMin: Double? = nil, valueMax: Double? = nil,
        width: Int = 900, height: Int = 540
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xValues = xValues
        self.yValues = yValues
        self.values = values
        self.valueLabel = valueLabel
        self.valueMin = valueMin
        self.valueMax = valueMax
        self.width = width
        self.height = height
    }

    /// The value of cell (`xi`, `yi`), or NaN when it is missing.
    private func value(_ xi: Int, _ yi: Int) -> Double {
        guard yi < values.count, xi < values[yi].count else { return .nan }
        return values[yi][xi]
    }

    /// Renders the heat map as a complete, well-formed SVG 1.1 document (UTF-8 text).
    public func svg() -> String {
        let w = Double(Swift.max(240, width))
        let h = Double(Swift.max(180, height))
        let pad = 16.0
        let nx = xValues.count
        let ny = yValues.count

        var finite: [Double] = []
        for yi in 0..<ny {
            for xi in 0..<nx where value(xi, yi).isFinite { finite.append(value(xi, yi)) }
        }
        let hasData = !finite.isEmpty

        // Colour domain.
        let fixedLo = valueMin.flatMap { $0.isFinite ? $0 : nil }
        let fixedHi = valueMax.flatMap { $0.isFinite ? $0 : nil }
        var lo = fixedLo ?? finite.min() ?? 0
        var hi = fixedHi ?? finite.max() ?? 1
        if hi <= lo {
            let spread = lo == 0 ? 1 : abs(lo) * 0.5
            if fixedHi == nil { hi = lo + spread }
            if fixedLo == nil { lo = hi - 2 * spread }
            if hi <= lo { hi = lo + 1 }
        }
        func t(_ v: Double) -> Double { (v - lo) / (hi - lo) }

        // Vertical layout.
        let titleBaseline = pad + 17
        var cursor = titleBaseline + 6
        var subtitleBaseline: Double?
        if let sub = subtitle, !sub.isEmpty {
            subtitleBaseline = cursor + 14
            cursor += 19
        }
        let plotTop = cursor + 18
        let plotBottom = Swift.max(plotTop + 40, h - 58)
        let plotHeight = plotBottom - plotTop

        // Colour bar on the right.
        let barTicks = ChartTicks.linear(min: lo, max: hi, targetCount: Swift.max(2, Int(plotHeight / 55)))
            .filter { $0 >= lo - (hi - lo) * 1e-9 && $0 <= hi + (hi - lo) * 1e-9 }
        let barLabels = ChartTicks.labels(for: barTicks)
        let barLabelWidth = barLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
        let barWidth = 14.0
        let barX = w - pad - (valueLabel.isEmpty ? 0 : 22) - barLabelWidth - 10 - barWidth
        let plotRight = barX - 22

        // Axis labels.
        let xLabels = xValues.map { ChartTicks.label($0) }
        let yLabels = yValues.map { ChartTicks.label($0) }
        let yLabelWidth = yLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
        let plotLeft = pad + (yAxis.label.isEmpty ? 0 : 22) + yLabelWidth + 10
        let plotWidth = Swift.max(40, plotRight - plotLeft)
        let cellW = nx > 0 ? plotWidth / Double(nx) : plotWidth
        let cellH = ny > 0 ? plotHeight / Double(ny) : plotHeight
        let xLabelWidth = xLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
        let xEvery = Swift.max(1, Int(((xLabelWidth + 10) / cellW).rounded(.up)))
        let yEvery = Swift.max(1, Int((15 / cellH).rounded(.up)))

        var out = ""
        out += SVG.documentStart(width: w, height: h, title: title)
        out += SVG.heading(title: title, subtitle: subtitle, x: pad, titleBaseline: titleBaseline,
                           subtitleBaseline: subtitleBaseline, maxWidth: w - 2 * pad)

        // Cells.
        let gaps = cellW >= 24 && cellH >= 20
        let showValues = cellW >= 34 && cellH >= 18
        let xName = xAxis.label.isEmpty ? "x" : xAxis.label
        let yName = yAxis.label.isEmpty ? "y" : yAxis.label
        let vName = valueLabel.isEmpty ? "value" : valueLabel
        out += "<g stroke=\"\(gaps ? "#ffffff" : "none")\" stroke-width=\"\(gaps ? "1" : "0")\">\n"
        var cellTexts = ""
        for yi in 0..<ny {
            for xi in 0..<nx {
                let v = value(xi, yi)
                let x = plotLeft + Double(xi) * cellW
                let y = plotBottom - Double(yi + 1) * cellH
                let fill = v.isFinite ? ChartPalette.viridis(t(v)) : "#f0f0f0"
                // Without gaps, overlap neighbours slightly so no hairline seams show.
                let extra = gaps ? 0 : 0.5
                var tip = "\(xName): \(ChartTicks.label(xValues[xi], significantDigits: 6))"
                tip += "\n\(yName): \(ChartTicks.label(yValues[yi], significantDigits: 6))"
                tip += "\n\(vName): " + (v.isFinite ? ChartTicks.label(v, significantDigits: 5) : "no data")
                out += "<rect x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" width=\"\(SVG.num(cellW + extra))\" "
                out += "height=\"\(SVG.num(cellH + extra))\" fill=\"\(fill)\"><title>\(SVG.escape(tip))</title></rect>\n"
                if showValues && !v.isFinite {
                    cellTexts += "<text x=\"\(SVG.num(x + cellW / 2))\" y=\"\(SVG.num(y + cellH / 2 + 3.7))\" fill=\"#8a8a8a\">n/a</text>\n"
                } else if showValues {
                    let text = ChartTicks.label(v)
                    if SVG.textWidth(text, fontSize: 10.5) <= cellW - 6 {
                        let ink = t(v) < 0.6 ? "#ffffff" : "#1a1a1a"
                        cellTexts += "<text x=\"\(SVG.num(x + cellW / 2))\" y=\"\(SVG.num(y + cellH / 2 + 3.7))\" fill=\"\(ink)\">\(SVG.escape(text))</text>\n"
                    }
                }
            }
        }
        out += "</g>\n"
        if !cellTexts.isEmpty {
            out += "<g font-size=\"10.5\" text-anchor=\"middle\" pointer-events=\"none\">\n" + cellTexts + "</g>\n"
        }

        // Axes: tick marks and labels at cell centres.
        out += "<g stroke=\"#4d4d4d\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n"
        out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(plotBottom))\" x2=\"\(SVG.num(plotLeft + plotWidth))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
        out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(plotTop))\" x2=\"\(SVG.num(plotLeft))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
        for xi in stride(from: 0, to: nx, by: xEvery) {
            let x = plotLeft + (Double(xi) + 0.5) * cellW
            out += "<line x1=\"\(SVG.num(x))\" y1=\"\(SVG.num(plotBottom))\" x2=\"\(SVG.num(x))\" y2=\"\(SVG.num(plotBottom + 5))\"/>\n"
        }
        for yi in stride(from: 0, to: ny, by: yEvery) {
            let y = plotBottom - (Double(yi) + 0.5) * cellH
            out += "<line x1=\"\(SVG.num(plotLeft - 5))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(plotLeft))\" y2=\"\(SVG.num(y))\"/>\n"
        }
        out += "</g>\n"
        out += "<g font-size=\"11\" fill=\"#4d4d4d\">\n"
        for xi in stride(from: 0, to: nx, by: xEvery) {
            let x = plotLeft + (Double(xi) + 0.5) * cellW
            out += "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(plotBottom + 18))\" text-anchor=\"middle\">\(SVG.escape(xLabels[xi]))</text>\n"
        }
        for yi in stride(from: 0, to: ny, by: yEvery) {
            let y = plotBottom - (Double(yi) + 0.5) * cellH
            out += "<text x=\"\(SVG.num(plotLeft - 8))\" y=\"\(SVG.num(y + 4))\" text-anchor=\"end\">\(SVG.escape(yLabels[yi]))</text>\n"
        }
        out += "</g>\n"
        let midY = plotTop + plotHeight / 2
        out += "<g font-size=\"12.5\" fill=\"#333333\" text-anchor=\"middle\">\n"
        if !xAxis.label.isEmpty {
            out += "<text x=\"\(SVG.num(plotLeft + plotWidth / 2))\" y=\"\(SVG.num(plotBottom + 40))\">\(SVG.escape(xAxis.label))</text>\n"
        }
        if !yAxis.label.isEmpty {
            out += "<text transform=\"translate(\(SVG.num(pad + 10)),\(SVG.num(midY))) rotate(-90)\">\(SVG.escape(yAxis.label))</text>\n"
        }
        if !valueLabel.isEmpty {
            out += "<text transform=\"translate(\(SVG.num(w - pad - 10)),\(SVG.num(midY))) rotate(90)\">\(SVG.escape(valueLabel))</text>\n"
        }
        out += "</g>\n"

        // Colour scale legend.
        let gradientID = "ww-viridis-" + SVG.hash([title, subtitle ?? "", valueLabel, "\(width)x\(height)"])
        out += "<defs><linearGradient id=\"\(gradientID)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n"
        let stops = 16
        for k in 0...stops {
            let f = Double(k) / Double(stops)
            out += "<stop offset=\"\(SVG.num(f))\" stop-color=\"\(ChartPalette.viridis(f))\"/>\n"
        }
        out += "</linearGradient></defs>\n"
        out += "<rect x=\"\(SVG.num(barX))\" y=\"\(SVG.num(plotTop))\" width=\"\(SVG.num(barWidth))\" height=\"\(SVG.num(plotHeight))\" "
        out += "fill=\"url(#\(gradientID))\" stroke=\"#bdbdbd\" stroke-width=\"0.5\"/>\n"
        out += "<g font-size=\"11\" fill=\"#4d4d4d\">\n"
        for (v, label) in zip(barTicks, barLabels) {
            let y = plotBottom - t(v) * plotHeight
            out += "<line x1=\"\(SVG.num(barX + barWidth))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(barX + barWidth + 4))\" y2=\"\(SVG.num(y))\" stroke=\"#4d4d4d\"/>\n"
            out += "<text x=\"\(SVG.num(barX + barWidth + 7))\" y=\"\(SVG.num(y + 4))\">\(SVG.escape(label))</text>\n"
        }
        out += "</g>\n"

        if !hasData {
            out += "<text x=\"\(SVG.num(plotLeft + plotWidth / 2))\" y=\"\(SVG.num(midY))\" text-anchor=\"middle\" font-size=\"15\" fill=\"#8a8a8a\">no data</text>\n"
        }
        out += "</svg>\n"
        return out
    }
}
