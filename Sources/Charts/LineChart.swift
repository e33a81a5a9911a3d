#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A line chart rendered to a self-contained SVG document: lines, shaded bands (e.g. an
/// ensemble's 5–95 % range) and markers (e.g. published measurements), with nice ticks,
/// light grid lines, a legend and an optional secondary right-hand y axis.
///
/// ```swift
/// let chart = LineChart(
///     title: "Code Red, 19 July 2001",
///     xAxis: Axis(label: "time (hours)"),
///     yAxis: Axis(label: "infected hosts", min: 0),
///     series: [ChartSeries(name: "median", x: t, y: median)],
///     bands: [ChartBand(name: "median", x: t, lower: p5, upper: p95)])
/// try chart.svg().write(toFile: "out.svg", atomically: true, encoding: .utf8)
/// ```
///
/// Rendering never fails: non-finite values (and values ≤ 0 on a logarithmic axis) are skipped,
/// and a chart without any drawable value shows its axes and a "no data" note. The output is
/// deterministic: the same chart always gives the same bytes.
public struct LineChart: Sendable, Equatable {
    /// Main title, drawn at the top left.
    public var title: String
    /// Optional second line under the title (e.g. scenario, seed, ensemble size).
    public var subtitle: String?
    /// Horizontal axis.
    public var xAxis: Axis
    /// Primary (left-hand) vertical axis.
    public var yAxis: Axis
    /// Optional secondary (right-hand) vertical axis for series with
    /// ``ChartSeries/useSecondaryAxis`` set. Its ticks are drawn on the right; grid lines
    /// follow the primary axis only.
    public var y2Axis: Axis?
    /// Lines, drawn in order on top of bands.
    public var series: [ChartSeries]
    /// Shaded areas, drawn first (under the lines). Always use the primary y axis.
    public var bands: [ChartBand]
    /// Point markers, drawn last (on top). Always use the primary y axis.
    public var markers: [ChartMarkers]
    /// Width of the SVG in pixels (at least 240 is used).
    public var width: Int = 900
    /// Height of the SVG in pixels (at least 180 is used).
    public var height: Int = 540

    /// Creates a line chart.
    /// - Parameters:
    ///   - title: Main title.
    ///   - subtitle: Optional line under the title.
    ///   - xAxis: Horizontal axis.
    ///   - yAxis: Primary vertical axis.
    ///   - y2Axis: Optional secondary vertical axis.
    ///   - series: Lines.
    ///   - bands: Shaded areas.
    ///   - markers: Point markers.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    public init(
        title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis, y2Axis: Axis? = nil,
        series: [ChartSeries] = [], bands: [ChartBand] = [], markers: [ChartMarkers] = [],
        width: Int = 900, height: Int = 540
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.y2Axis = y2Axis
        self.series = series
        self.bands = bands
        self.markers = markers
        self.width = width
        self.height = height
    }

    /// Renders the chart as a complete, well-formed SVG 1.1 document (UTF-8 text).
    public func svg() -> String {
        let w = Double(Swift.max(240, width))
        let h = Double(Swift.max(180, height))
        let pad = 16.0
        let secondary = y2Axis

        // Colours.
        let seriesColors = series.indices.map { series[$0].color ?? ChartPalette.color(at: $0) }
        let bandColors: [String] = bands.indices.map { i in
            if let c = bands[i].color { return c }
            if let s = series.firstIndex(where: { $0.name == bands[i].name }) { return seriesColors[s] }
            return ChartPalette.color(at: i)
        }
        let markerColors = markers.indices.map { markers[$0].color ?? ChartPalette.color(at: series.count + $0) }

        // Data extents per axis.
        func ok(_ v: Double, _ log: Bool) -> Bool { v.isFinite && (!log || v > 0) }
        let xLog = xAxis.logarithmic
        var xs: [Double] = []
        var ys: [Double] = []
        var y2s: [Double] = []
        for s in series {
            let onY2 = secondary != nil && s.useSecondaryAxis
            let yLog = onY2 ? (secondary?.logarithmic ?? false) : yAxis.logarithmic
            for i in 0..<Swift.min(s.x.count, s.y.count) where ok(s.x[i], xLog) && ok(s.y[i], yLog) {
                xs.append(s.x[i])
                if onY2 { y2s.append(s.y[i]) } else { ys.append(s.y[i]) }
            }
        }
        for b in bands {
            for i in 0..<Swift.min(b.x.count, b.lower.count, b.upper.count) where ok(b.x[i], xLog) {
                let l = ok(b.lower[i], yAxis.logarithmic), u = ok(b.upper[i], yAxis.logarithmic)
                if l { ys.append(b.lower[i]) }
                if u { ys.append(b.upper[i]) }
                if l || u { xs.append(b.x[i]) }
            }
        }
        for m in markers {
            for i in 0..<Swift.min(m.x.count, m.y.count) where ok(m.x[i], xLog) && ok(m.y[i], yAxis.logarithmic) {
                xs.append(m.x[i])
                ys.append(m.y[i])
            }
        }
        let hasData = !xs.isEmpty

        // Vertical layout: title, subtitle, legend, plot, x axis.
        let titleBaseline = pad + 17
        var cursor = titleBaseline + 6
        var subtitleBaseline: Double?
        if let sub = subtitle, !sub.isEmpty {
            subtitleBaseline = cursor + 14
            cursor += 19
        }
        let legend = Legend(entries: legendEntries(seriesColors, bandColors, markerColors), maxWidth: w - 2 * pad)
        let legendTop = cursor + 8
        if !legend.rows.isEmpty { cursor = legendTop + Double(legend.rows.count) * Legend.rowHeight }
        let plotTop = cursor + 14
        let plotBottom = Swift.max(plotTop + 40, h - 58)
        let plotHeight = plotBottom - plotTop

        var yScale = Scale.resolve(axis: yAxis, data: ys, length: plotHeight, spacing: 52)
        var y2Scale = secondary.map { Scale.resolve(axis: $0, data: y2s, length: plotHeight, spacing: 52) }
        let yLabels = yScale.tickLabels
        let y2Labels = y2Scale?.tickLabels ?? []
        let yLabelWidth = yLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
        let y2LabelWidth = y2Labels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
        let plotLeft = pad + (yAxis.label.isEmpty ? 0 : 22) + yLabelWidth + 10
        let plotRight: Double
        if let y2 = secondary {
            plotRight = w - pad - (y2.label.isEmpty ? 0 : 22) - y2LabelWidth - 10
        } else {
            plotRight = w - pad - 12
        }
        let plotWidth = Swift.max(40, plotRight - plotLeft)

        // X ticks: widen the spacing until the labels do not collide.
        var xScale = Scale.resolve(axis: xAxis, data: xs, length: plotWidth, spacing: 90)
        var xLabels = xScale.tickLabels
        for spacing in [130.0, 180, 260, 400] {
            let widest = xLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0
            let room = plotWidth / Double(Swift.max(1, xLabels.count - 1))
            if xScale.log || widest + 14 <= room { break }
            xScale = Scale.resolve(axis: xAxis, data: xs, length: plotWidth, spacing: spacing)
            xLabels = xScale.tickLabels
        }
        xScale.p0 = plotLeft
        xScale.p1 = plotLeft + plotWidth
        yScale.p0 = plotBottom
        yScale.p1 = plotTop
        y2Scale?.p0 = plotBottom
        y2Scale?.p1 = plotTop
        let right = plotLeft + plotWidth

        var out = ""
        out += SVG.documentStart(width: w, height: h, title: title)
        out += SVG.heading(title: title, subtitle: subtitle, x: pad, titleBaseline: titleBaseline,
                           subtitleBaseline: subtitleBaseline, maxWidth: w - 2 * pad)
        out += legend.render(x: pad, top: legendTop)

        // Grid.
        out += "<g stroke=\"#ececec\" stroke-width=\"1\" shape-rendering=\"crispEdges\" fill=\"none\">\n"
        for v in minorLogTicks(xScale) {
            if let x = xScale.position(v) {
                out += "<line x1=\"\(SVG.num(x))\" y1=\"\(SVG.num(plotTop))\" x2=\"\(SVG.num(x))\" y2=\"\(SVG.num(plotBottom))\" stroke=\"#f5f5f5\"/>\n"
            }
        }
        for v in minorLogTicks(yScale) {
            if let y = yScale.position(v) {
                out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(right))\" y2=\"\(SVG.num(y))\" stroke=\"#f5f5f5\"/>\n"
            }
        }
        for v in xScale.ticks {
            if let x = xScale.position(v) {
                out += "<line x1=\"\(SVG.num(x))\" y1=\"\(SVG.num(plotTop))\" x2=\"\(SVG.num(x))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
            }
        }
        for v in yScale.ticks {
            if let y = yScale.position(v) {
                out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(right))\" y2=\"\(SVG.num(y))\"/>\n"
            }
        }
        out += "</g>\n"

        // Data, clipped to the plot area (with a little slack for line caps and markers).
        let clipID = "ww-clip-" + SVG.hash([title, subtitle ?? "", "\(width)x\(height)", "\(series.count)/\(bands.count)/\(markers.count)"])
        out += "<defs><clipPath id=\"\(clipID)\"><rect x=\"\(SVG.num(plotLeft - 6))\" y=\"\(SVG.num(plotTop - 6))\" "
        out += "width=\"\(SVG.num(plotWidth + 12))\" height=\"\(SVG.num(plotHeight + 12))\"/></clipPath></defs>\n"
        out += "<g clip-path=\"url(#\(clipID))\">\n"
        for (i, band) in bands.enumerated() {
            out += bandPath(band, color: bandColors[i], x: xScale, y: yScale)
        }
        for (i, s) in series.enumerated() {
            let scale = (s.useSecondaryAxis ? y2Scale : nil) ?? yScale
            out += linePath(s, color: seriesColors[i], x: xScale, y: scale)
        }
        for (i, m) in markers.enumerated() {
            out += markerGroup(m, color: markerColors[i], x: xScale, y: yScale)
        }
        out += "</g>\n"

        // Axes.
        out += "<g stroke=\"#4d4d4d\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n"
        out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(plotBottom))\" x2=\"\(SVG.num(right))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
        out += "<line x1=\"\(SVG.num(plotLeft))\" y1=\"\(SVG.num(plotTop))\" x2=\"\(SVG.num(plotLeft))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
        if y2Scale != nil {
            out += "<line x1=\"\(SVG.num(right))\" y1=\"\(SVG.num(plotTop))\" x2=\"\(SVG.num(right))\" y2=\"\(SVG.num(plotBottom))\"/>\n"
        }
        for v in xScale.ticks {
            if let x = xScale.position(v) {
                out += "<line x1=\"\(SVG.num(x))\" y1=\"\(SVG.num(plotBottom))\" x2=\"\(SVG.num(x))\" y2=\"\(SVG.num(plotBottom + 5))\"/>\n"
            }
        }
        for v in yScale.ticks {
            if let y = yScale.position(v) {
                out += "<line x1=\"\(SVG.num(plotLeft - 5))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(plotLeft))\" y2=\"\(SVG.num(y))\"/>\n"
            }
        }
        if let s2 = y2Scale {
            for v in s2.ticks {
                if let y = s2.position(v) {
                    out += "<line x1=\"\(SVG.num(right))\" y1=\"\(SVG.num(y))\" x2=\"\(SVG.num(right + 5))\" y2=\"\(SVG.num(y))\"/>\n"
                }
            }
        }
        out += "</g>\n"

        out += "<g font-size=\"11\" fill=\"#4d4d4d\">\n"
        for (v, label) in zip(xScale.ticks, xLabels) {
            if let x = xScale.position(v) {
                out += "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(plotBottom + 18))\" text-anchor=\"middle\">\(SVG.escape(label))</text>\n"
            }
        }
        for (v, label) in zip(yScale.ticks, yLabels) {
            if let y = yScale.position(v) {
                out += "<text x=\"\(SVG.num(plotLeft - 8))\" y=\"\(SVG.num(y + 4))\" text-anchor=\"end\">\(SVG.escape(label))</text>\n"
            }
        }
        if let s2 = y2Scale {
            for (v, label) in zip(s2.ticks, y2Labels) {
                if let y = s2.position(v) {
                    out += "<text x=\"\(SVG.num(right + 8))\" y=\"\(SVG.num(y + 4))\">\(SVG.escape(label))</text>\n"
                }
            }
        }
        out += "</g>\n"

        out += "<g font-size=\"12.5\" fill=\"#333333\" text-anchor=\"middle\">\n"
        if !xAxis.label.isEmpty {
            out += "<text x=\"\(SVG.num(plotLeft + plotWidth / 2))\" y=\"\(SVG.num(plotBottom + 40))\">\(SVG.escape(xAxis.label))</text>\n"
        }
        let midY = plotTop + plotHeight / 2
        if !yAxis.label.isEmpty {
            let x = pad + 10
            out += "<text transform=\"translate(\(SVG.num(x)),\(SVG.num(midY))) rotate(-90)\">\(SVG.escape(yAxis.label))</text>\n"
        }
        if let y2 = secondary, !y2.label.isEmpty {
            let x = w - pad - 10
            out += "<text transform=\"translate(\(SVG.num(x)),\(SVG.num(midY))) rotate(90)\">\(SVG.escape(y2.label))</text>\n"
        }
        out += "</g>\n"

        if !hasData {
            out += "<text x=\"\(SVG.num(plotLeft + plotWidth / 2))\" y=\"\(SVG.num(midY))\" text-anchor=\"middle\" font-size=\"15\" fill=\"#8a8a8a\">no data</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    // MARK: - Pieces

    private func legendEntries(_ seriesColors: [String], _ bandColors: [String], _ markerColors: [String]) -> [Legend.Entry] {
        var entries: [Legend.Entry] = []
        var bandUsed = [Bool](repeating: false, count: bands.count)
        for (i, s) in series.enumerated() {
            var bandColor: String?
            if let b = bands.firstIndex(where: { $0.name == s.name }) {
                bandColor = bandColors[b]
                bandUsed[b] = true
            }
            entries.append(.init(label: s.name, swatch: .line(color: seriesColors[i], dashed: s.dashed, band: bandColor)))
        }
        for (i, b) in bands.enumerated() where !bandUsed[i] {
            entries.append(.init(label: b.name, swatch: .band(color: bandColors[i])))
        }
        for (i, m) in markers.enumerated() {
            entries.append(.init(label: m.name, swatch: .marker(color: markerColors[i])))
        }
        return entries
    }

    /// For a log scale whose ticks are consecutive decades: the 2…9 multiples in between.
    private func minorLogTicks(_ scale: Scale) -> [Double] {
        guard scale.log, scale.ticks.count >= 2, scale.ticks.count <= 9 else { return [] }
        for (a, b) in zip(scale.ticks, scale.ticks.dropFirst()) where abs(b / a - 10) > 1e-6 { return [] }
        let e0 = Int((log10(scale.lo) - 1e-9).rounded(.down))
        let e1 = Int((log10(scale.hi) + 1e-9).rounded(.up))
        var result: [Double] = []
        for e in e0...Swift.max(e0, e1) {
            for m in 2...9 {
                let v = Double(m) * ChartTicks.pow10(e)
                if v > scale.lo && v < scale.hi { result.append(v) }
            }
        }
        return result
    }

    private func linePath(_ s: ChartSeries, color: String, x: Scale, y: Scale) -> String {
        var segments: [[(Double, Double)]] = []
        var current: [(Double, Double)] = []
        for i in 0..<Swift.min(s.x.count, s.y.count) {
            if let px = x.position(s.x[i]), let py = y.position(s.y[i]) {
                current.append((px, py))
            } else if !current.isEmpty {
                segments.append(current)
                current = []
            }
        }
        if !current.isEmpty { segments.append(current) }
        guard !segments.isEmpty else { return "" }
        var d = ""
        for segment in segments {
            if segment.count == 1, let (px, py) = segment.first {
                // An isolated point: a small ring, which the stroke fills into a visible dot.
                d += "M" + SVG.num(px - 1.2) + "," + SVG.num(py) + "a1.2,1.2 0 1,0 2.4,0a1.2,1.2 0 1,0 -2.4,0"
            } else {
                d += SVG.pathData(SVG.simplify(segment))
            }
        }
        let dash = s.dashed ? " stroke-dasharray=\"7 5\"" : ""
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(SVG.escape(color))\" stroke-width=\"2.25\" "
            + "stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash)><title>\(SVG.escape(s.name))</title></path>\n"
    }

    private func bandPath(_ b: ChartBand, color: String, x: Scale, y: Scale) -> String {
        var pieces: [[(Double, Double, Double)]] = []
        var current: [(Double, Double, Double)] = []
        for i in 0..<Swift.min(b.x.count, b.lower.count, b.upper.count) {
            if let px = x.position(b.x[i]), let lo = y.position(b.lower[i]), let hi = y.position(b.upper[i]) {
                current.append((px, lo, hi))
            } else if !current.isEmpty {
                pieces.append(current)
                current = []
            }
        }
        if !current.isEmpty { pieces.append(current) }
        var d = ""
        for piece in pieces where piece.count >= 2 {
            let upper = SVG.simplify(piece.map { ($0.0, $0.2) })
            let lower = SVG.simplify(piece.reversed().map { ($0.0, $0.1) })
            d += SVG.pathData(upper + lower, close: true)
        }
        guard !d.isEmpty else { return "" }
        return "<path d=\"\(d)\" fill=\"\(SVG.escape(color))\" fill-opacity=\"0.2\" stroke=\"\(SVG.escape(color))\" "
            + "stroke-opacity=\"0.35\" stroke-width=\"0.75\"><title>\(SVG.escape(b.name))</title></path>\n"
    }

    private func markerGroup(_ m: ChartMarkers, color: String, x: Scale, y: Scale) -> String {
        var circles = ""
        var texts = ""
        for i in 0..<Swift.min(m.x.count, m.y.count) {
            guard let px = x.position(m.x[i]), let py = y.position(m.y[i]) else { continue }
            let label = m.labels.flatMap { i < $0.count ? $0[i] : nil } ?? ""
            var tip = m.name
            if !label.isEmpty { tip += " — " + label }
            tip += "\n" + (xAxis.label.isEmpty ? "x" : xAxis.label) + ": " + ChartTicks.label(m.x[i], significantDigits: 5)
            tip += "\n" + (yAxis.label.isEmpty ? "y" : yAxis.label) + ": " + ChartTicks.label(m.y[i], significantDigits: 5)
            circles += "<circle cx=\"\(SVG.num(px))\" cy=\"\(SVG.num(py))\" r=\"4.5\"><title>\(SVG.escape(tip))</title></circle>\n"
            if !label.isEmpty {
                texts += "<text x=\"\(SVG.num(px + 7))\" y=\"\(SVG.num(py - 7))\">\(SVG.escape(label))</text>\n"
            }
        }
        guard !circles.isEmpty else { return "" }
        var out = "<g fill=\"\(SVG.escape(color))\" stroke=\"#ffffff\" stroke-width=\"1.5\">\n" + circles + "</g>\n"
        if !texts.isEmpty {
            out += "<g font-size=\"10.5\" fill=\"#333333\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n"
            out += texts + "</g>\n"
        }
        return out
    }
}

/// The legend row(s) between the title and the plot.
struct Legend {
    /// What an entry's sample looks like.
    enum Swatch {
        case line(color: String, dashed: Bool, band: String?)
        case band(color: String)
        case marker(color: String)
    }

    /// One legend entry.
    struct Entry {
        var label: String
        var swatch: Swatch
    }

    static let rowHeight = 20.0
    static let fontSize = 12.0

    /// Entries with their x offsets, row by row.
    var rows: [[(Double, Entry)]] = []

    init(entries: [Entry], maxWidth: Double) {
        var row: [(Double, Entry)] = []
        var x = 0.0
        for entry in entries {
            let width = 30 + SVG.textWidth(entry.label, fontSize: Legend.fontSize) + 20
            if x > 0 && x + width > maxWidth {
                rows.append(row)
                row = []
                x = 0
            }
            row.append((x, entry))
            x += width
        }
        if !row.isEmpty { rows.append(row) }
    }

    func render(x: Double, top: Double) -> String {
        guard !rows.isEmpty else { return "" }
        var out = "<g font-size=\"\(SVG.num(Legend.fontSize))\" fill=\"#333333\">\n"
        for (r, row) in rows.enumerated() {
            let cy = top + Double(r) * Legend.rowHeight + Legend.rowHeight / 2
            for (dx, entry) in row {
                let x0 = x + dx
                switch entry.swatch {
                case let .line(color, dashed, band):
                    if let band {
                        out += "<rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(cy - 6))\" width=\"24\" height=\"12\" fill=\"\(SVG.escape(band))\" fill-opacity=\"0.2\"/>\n"
                    }
                    let dash = dashed ? " stroke-dasharray=\"5 3\"" : ""
                    out += "<line x1=\"\(SVG.num(x0))\" y1=\"\(SVG.num(cy))\" x2=\"\(SVG.num(x0 + 24))\" y2=\"\(SVG.num(cy))\" "
                    out += "stroke=\"\(SVG.escape(color))\" stroke-width=\"2.25\"\(dash)/>\n"
                case let .band(color):
                    out += "<rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(cy - 6))\" width=\"24\" height=\"12\" fill=\"\(SVG.escape(color))\" "
                    out += "fill-opacity=\"0.2\" stroke=\"\(SVG.escape(color))\" stroke-opacity=\"0.35\"/>\n"
                case let .marker(color):
                    out += "<circle cx=\"\(SVG.num(x0 + 12))\" cy=\"\(SVG.num(cy))\" r=\"4.5\" fill=\"\(SVG.escape(color))\"/>\n"
                }
                out += "<text x=\"\(SVG.num(x0 + 30))\" y=\"\(SVG.num(cy + 4))\">\(SVG.escape(entry.label))</text>\n"
            }
        }
        out += "</g>\n"
        return out
    }
}
