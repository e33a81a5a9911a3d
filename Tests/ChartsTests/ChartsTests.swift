import Charts
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

// MARK: - Helpers

/// Whether `text` is well-formed XML: Foundation's XMLParser must accept it, and (because
/// swift-corelibs' XMLParser tolerates mismatched end tags) the tags must balance and every `&`
/// must start a known entity.
func isWellFormed(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse() && tagsBalance(text) && entitiesAreValid(text)
}

/// Every `&` starts `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` or a numeric reference.
func entitiesAreValid(_ text: String) -> Bool {
    var rest = Substring(text)
    while let amp = rest.firstIndex(of: "&") {
        let after = rest[rest.index(after: amp)...]
        guard let semi = after.firstIndex(of: ";") else { return false }
        let name = after[..<semi]
        let numeric = name.hasPrefix("#") && name.count > 1 && name.dropFirst().allSatisfy { $0.isNumber }
        guard numeric || ["amp", "lt", "gt", "quot", "apos"].contains(String(name)) else { return false }
        rest = after[semi...]
    }
    return true
}

/// A tiny independent check: every opening tag is closed in order and no raw `&` is unescaped.
func tagsBalance(_ text: String) -> Bool {
    var stack: [Substring] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else { return false }
        let tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("?") || tag.hasPrefix("!") { continue }
        if tag.hasPrefix("/") {
            guard let top = stack.popLast(), top == tag.dropFirst() else { return false }
        } else if !tag.hasSuffix("/") {
            stack.append(tag.prefix { $0 != " " && $0 != "\n" })
        }
    }
    return stack.isEmpty
}

/// All values of attribute `name` (e.g. `cy`) in document order.
func attributeValues(_ name: String, in svg: String) -> [Double] {
    var result: [Double] = []
    var rest = Substring(svg)
    let key = " \(name)=\""
    while let r = rest.range(of: key) {
        let after = rest[r.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { break }
        if let v = Double(after[..<end]) { result.append(v) }
        rest = after[end...]
    }
    return result
}

/// The `d` attribute of every `<path>`.
func pathData(in svg: String) -> [String] {
    var result: [String] = []
    var rest = Substring(svg)
    while let r = rest.range(of: "<path d=\"") {
        let after = rest[r.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { break }
        result.append(String(after[..<end]))
        rest = after[end...]
    }
    return result
}

/// Every number in the document's markup (tags and attributes, not text content or tooltips)
/// has at most two decimals.
func numbersAreShort(_ svg: String) -> Bool {
    var digitsAfterPoint = -1
    var inNumber = false
    var inTag = false
    for ch in svg {
        if ch == "<" { inTag = true }
        if ch == ">" { inTag = false }
        guard inTag else { continue }
        if ch.isNumber && ch.isASCII {
            if digitsAfterPoint >= 0 { digitsAfterPoint += 1 }
            if digitsAfterPoint > 2 { return false }
            inNumber = true
        } else if ch == "." && inNumber {
            digitsAfterPoint = 0
        } else {
            digitsAfterPoint = -1
            inNumber = false
        }
    }
    return true
}

func epidemic(_ n: Int = 200) -> (t: [Double], median: [Double], lo: [Double], hi: [Double]) {
    let t = (0..<n).map { Double($0) * 0.12 }
    func logistic(_ x: Double, _ k: Double, _ mid: Double) -> Double {
        359_000 / (1 + exp(-k * (x - mid)))
    }
    return (t, t.map { logistic($0, 0.9, 12) }, t.map { logistic($0, 0.8, 13.5) }, t.map { logistic($0, 1.0, 10.8) })
}

func sampleChart() -> LineChart {
    let e = epidemic()
    return LineChart(
        title: "Code Red v2, 19 July 2001",
        subtitle: "100 runs, seed 42; band = 5–95 % of the ensemble",
        xAxis: Axis(label: "time (hours)"),
        yAxis: Axis(label: "infected hosts", min: 0),
        series: [ChartSeries(name: "median", x: e.t, y: e.median)],
        bands: [ChartBand(name: "median", x: e.t, lower: e.lo, upper: e.hi)],
        markers: [ChartMarkers(
            name: "CAIDA (Moore et al. 2002)", x: [4, 8, 12, 16, 20], y: [2_000, 25_000, 180_000, 330_000, 359_000],
            labels: ["", "", "midday", "", "peak"])])
}

// MARK: - Ticks

@Suite struct TickTests {
    @Test func hostsRange() {
        let ticks = ChartTicks.linear(min: 0, max: 359_000)
        #expect(ticks == stride(from: 0.0, through: 400_000, by: 50_000).map { $0 })
        #expect(ChartTicks.labels(for: ticks) == ["0", "50k", "100k", "150k", "200k", "250k", "300k", "350k", "400k"])
    }

    @Test func unitRange() {
        let ticks = ChartTicks.linear(min: 0, max: 1)
        #expect(ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ChartTicks.labels(for: ticks) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    @Test func negativeAndOddRange() {
        let ticks = ChartTicks.linear(min: -3.7, max: 12.2)
        #expect(ticks.first == -4)
        #expect(ticks.last == 14)
        let steps = Set(zip(ticks, ticks.dropFirst()).map { $1 - $0 })
        #expect(steps == [2])
    }

    @Test func smallStepsAreClean() {
        let ticks = ChartTicks.linear(min: 0.1, max: 0.35, targetCount: 5)
        #expect(ticks == [0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
        #expect(ChartTicks.labels(for: ticks) == ["0.1", "0.15", "0.2", "0.25", "0.3", "0.35"])
    }

    @Test func stepsAreOneTwoOrFive() {
        for (lo, hi) in [(0.0, 7.0), (3.0, 1234.0), (-0.002, 0.013), (1e6, 4.2e6), (17.0, 18.0)] {
            let ticks = ChartTicks.linear(min: lo, max: hi)
            #expect(ticks.count >= 3 && ticks.count <= 12, "\(lo)...\(hi): \(ticks)")
            #expect(ticks.first ?? .nan <= lo && ticks.last ?? .nan >= hi)
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
        }
    }

    @Test func degenerateRanges() {
        #expect(!ChartTicks.linear(min: 5, max: 5).isEmpty)
        #expect(ChartTicks.linear(min: .nan, max: 1).isEmpty)
        #expect(ChartTicks.linear(min: 0, max: .infinity).isEmpty)
        #expect(ChartTicks.logarithmic(min: 0, max: 10).isEmpty)
    }

    @Test func logDecades() {
        #expect(ChartTicks.logarithmic(min: 1, max: 1e6) == [1, 10, 100, 1e3, 1e4, 1e5, 1e6])
        #expect(ChartTicks.logarithmic(min: 1, max: 1e12, maxCount: 7) == [1, 100, 1e4, 1e6, 1e8, 1e10, 1e12])
        let narrow = ChartTicks.logarithmic(min: 1, max: 30)
        #expect(narrow == [1, 2, 5, 10, 20])
        let labels = ChartTicks.logarithmic(min: 0.001, max: 1000).map { ChartTicks.label($0) }
        #expect(labels == ["0.001", "0.01", "0.1", "1", "10", "100", "1k"])
    }
}

// MARK: - Labels

@Suite struct LabelTests {
    @Test func compactSingleValues() {
        #expect(ChartTicks.label(359_000) == "359k")
        #expect(ChartTicks.label(1_500) == "1.5k")
        #expect(ChartTicks.label(3_600_000) == "3.6M")
        #expect(ChartTicks.label(200_000) == "200k")
        #expect(ChartTicks.label(4.29e9) == "4.29G")
        #expect(ChartTicks.label(42) == "42")
        #expect(ChartTicks.label(0.125) == "0.125")
        #expect(ChartTicks.label(0.3333333) == "0.333")
        #expect(ChartTicks.label(-2_500) == "−2.5k")
        #expect(ChartTicks.label(0) == "0")
        #expect(ChartTicks.label(2.5e-6) == "2.5e-6")
        #expect(ChartTicks.label(999_999) == "1M")
        #expect(ChartTicks.label(.nan) == "NaN")
    }

    @Test func consistentTickLabels() {
        #expect(ChartTicks.labels(for: [1_000, 1_500, 2_000]) == ["1k", "1.5k", "2k"])
        #expect(ChartTicks.labels(for: [0, 2e6, 4e6]) == ["0", "2M", "4M"])
        #expect(ChartTicks.labels(for: [3e6, 3.6e6]) == ["3M", "3.6M"])
        #expect(ChartTicks.labels(for: [0, 0.05, 0.1]) == ["0", "0.05", "0.1"])
        // A suffix would need too many decimals: plain numbers instead.
        #expect(ChartTicks.labels(for: [1000, 1002, 1004]) == ["1000", "1002", "1004"])
        #expect(ChartTicks.labels(for: [-10, 0, 10]) == ["−10", "0", "10"])
        #expect(ChartTicks.labels(for: [0, 10, 20, 30]) == ["0", "10", "20", "30"])
    }
}

// MARK: - SVG output

@Suite struct SVGTests {
    @Test func checkersRejectBrokenXML() {
        #expect(!isWellFormed("<svg><title>a & b</title></svg>"))
        #expect(!isWellFormed("<svg><g></svg>"))
        #expect(!tagsBalance("<svg><g></svg>"))
        #expect(!entitiesAreValid("a & b"))
        #expect(entitiesAreValid("a &amp; b &#8212;"))
        #expect(tagsBalance("<svg><g><rect/></g></svg>"))
    }

    @Test func titleIsEscaped() {
        var chart = sampleChart()
        chart.title = "Hosts <&> \"quoted\" 'single'"
        chart.series[0].name = "a<b"
        let svg = chart.svg()
        #expect(svg.contains("Hosts &lt;&amp;&gt; &quot;quoted&quot; &apos;single&apos;"))
        #expect(!svg.contains("<&>"))
        #expect(svg.contains("a&lt;b"))
        #expect(isWellFormed(svg))
        #expect(tagsBalance(svg))
    }

    @Test func lineChartWithBandAndMarkersIsWellFormed() {
        let svg = sampleChart().svg()
        #expect(svg.hasPrefix("<?xml"))
        #expect(isWellFormed(svg))
        #expect(tagsBalance(svg))
        #expect(svg.contains("fill-opacity=\"0.2\""))  // the band
        #expect(attributeValues("cy", in: svg).count >= 5)  // markers (plus legend swatch)
        #expect(svg.contains("#ffffff"))  // white background
        #expect(svg.contains("CAIDA (Moore et al. 2002)"))  // legend
        #expect(svg.contains(">350k<") && svg.contains(">0<"))  // nice y tick labels
        #expect(numbersAreShort(svg))
        #expect(!svg.contains("no data"))
        // The band is drawn before (under) the median line.
        let paths = pathData(in: svg)
        #expect(paths.count == 2)
        if let bandAt = svg.range(of: "fill-opacity=\"0.2\" stroke")?.lowerBound,
            let lineAt = svg.range(of: "fill=\"none\" stroke=")?.lowerBound {
            #expect(bandAt < lineAt)
        } else {
            Issue.record("band or line missing")
        }
    }

    @Test func logAxisChartIsWellFormed() {
        let e = epidemic()
        let chart = LineChart(
            title: "log scale", xAxis: Axis(label: "time (hours)"),
            yAxis: Axis(label: "infected hosts", logarithmic: true),
            series: [ChartSeries(name: "median", x: e.t, y: e.median.map { $0 - 20 })],  // some values ≤ 0
            bands: [ChartBand(name: "5–95 %", x: e.t, lower: e.lo, upper: e.hi)])
        let svg = chart.svg()
        #expect(isWellFormed(svg))
        #expect(tagsBalance(svg))
        #expect(svg.contains(">1k<") && svg.contains(">100k<") && svg.contains(">1M<"))
        #expect(!svg.lowercased().contains("nan") && !svg.contains("∞"))
    }

    @Test func secondaryAxis() {
        let e = epidemic(50)
        let chart = LineChart(
            title: "two axes", xAxis: Axis(label: "time (hours)"), yAxis: Axis(label: "infected hosts"),
            y2Axis: Axis(label: "scan traffic (Mbit/s)"),
            series: [
                ChartSeries(name: "infected", x: e.t, y: e.median),
                ChartSeries(name: "traffic", x: e.t, y: e.median.map { $0 / 1000 }, dashed: true, useSecondaryAxis: true),
            ])
        let svg = chart.svg()
        #expect(isWellFormed(svg))
        #expect(svg.contains("scan traffic (Mbit/s)"))
        #expect(svg.contains("stroke-dasharray"))
        // Both lines span the full plot height although their values differ by 1000×.
        let ys = pathData(in: svg).map { d in attributeLikeNumbers(d).enumerated().filter { $0.offset % 2 == 1 }.map(\.element) }
        #expect(ys.count == 2)
        if ys.count == 2, let a = ys[0].min(), let b = ys[1].min() {
            #expect(abs(a - b) < 30)
        }
    }

    @Test func heatMapIsWellFormed() {
        let xs = [0.5, 1, 2, 4, 8, 16]
        let ys = [1_000.0, 10_000, 100_000, 360_000]
        let values = ys.map { n in xs.map { r in 100 / r * log10(n) } }
        var map = HeatMap(
            title: "Time to 50 % <sweep>", xAxis: Axis(label: "scan rate (probes/s)"),
            yAxis: Axis(label: "vulnerable hosts"), xValues: xs, yValues: ys, values: values,
            valueLabel: "hours to 50 % infected")
        map.values[1][2] = .nan
        let svg = map.svg()
        #expect(isWellFormed(svg))
        #expect(tagsBalance(svg))
        #expect(svg.contains("linearGradient"))
        #expect(svg.contains("Time to 50 % &lt;sweep&gt;"))
        #expect(svg.contains("<title>scan rate (probes/s): 2\nvulnerable hosts: 10k\nhours to 50 % infected: no data</title>"))
        #expect(svg.contains("hours to 50 % infected: 1.1113k"))  // 100/0.5·log10(360 000) ≈ 1111.26 (5 significant digits)
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2 + xs.count * ys.count)  // background + bar + cells
        #expect(numbersAreShort(svg))
    }

    @Test func viridisMatchesReference() {
        func rgb(_ hex: String) -> [Int] {
            let digits = Array(hex.dropFirst())
            return stride(from: 0, to: 6, by: 2).compactMap { Int(String(digits[$0...$0 + 1]), radix: 16) }
        }
        // matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1.
        let reference = [(0.0, "#440154"), (0.25, "#3B528B"), (0.5, "#21918C"), (0.75, "#5EC962"), (1.0, "#FDE725")]
        for (t, hex) in reference {
            let got = rgb(ChartPalette.viridis(t)), want = rgb(hex)
            #expect(got.count == 3)
            #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 8 }, "viridis(\(t)) = \(ChartPalette.viridis(t)), want \(hex)")
        }
        #expect(ChartPalette.viridis(-3) == ChartPalette.viridis(0))
        #expect(ChartPalette.viridis(7) == ChartPalette.viridis(1))
        #expect(ChartPalette.color(at: 0) == "#0072B2" && ChartPalette.color(at: 8) == "#0072B2")
    }

    @Test func emptyChartsRenderAxesAndNote() {
        let empty = LineChart(title: "nothing yet", xAxis: Axis(label: "time (hours)"), yAxis: Axis(label: "infected hosts"))
        let svg = empty.svg()
        #expect(isWellFormed(svg))
        #expect(svg.contains("no data"))
        #expect(svg.contains("time (hours)") && svg.contains("infected hosts"))
        #expect(svg.contains(">0<") && svg.contains(">1<"))  // default axis 0…1

        let allNaN = LineChart(
            title: "all NaN", xAxis: Axis(label: "x"), yAxis: Axis(label: "y", logarithmic: true),
            series: [ChartSeries(name: "s", x: [1, 2, .nan], y: [.nan, .infinity, 3])])
        let svg2 = allNaN.svg()
        #expect(isWellFormed(svg2))
        #expect(svg2.contains("no data"))
        #expect(pathData(in: svg2).isEmpty)

        let emptyMap = HeatMap(
            title: "empty", xAxis: Axis(label: "a"), yAxis: Axis(label: "b"), xValues: [], yValues: [], values: [],
            valueLabel: "v")
        let svg3 = emptyMap.svg()
        #expect(isWellFormed(svg3))
        #expect(svg3.contains("no data"))

        let ragged = HeatMap(
            title: "ragged", xAxis: Axis(label: "a"), yAxis: Axis(label: "b"), xValues: [1, 2, 3], yValues: [1, 2],
            values: [[1]], valueLabel: "v")
        #expect(isWellFormed(ragged.svg()))
    }

    @Test func nanIsSkipped() {
        let chart = LineChart(
            title: "gap", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"),
            series: [ChartSeries(name: "s", x: [0, 1, 2, 3, 4, 5], y: [0, 1, .nan, 3, .infinity, 5])],
            markers: [ChartMarkers(name: "m", x: [1, .nan, 3], y: [1, 2, -.infinity])])
        let svg = chart.svg()
        #expect(isWellFormed(svg))
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        let paths = pathData(in: svg)
        #expect(paths.count == 1)
        // Three pieces: [0,1], [3], [5] — the line is broken at each non-finite value.
        #expect(paths.first.map { $0.filter { $0 == "M" }.count } == 3)
        // Only one marker circle is drawn (plus one legend swatch circle).
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
    }

    @Test func coordinatesAreMonotonic() {
        let chart = LineChart(
            title: "order", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"),
            markers: [ChartMarkers(name: "m", x: [1, 2, 3, 4], y: [10, 40, 20, 30])])
        let svg = chart.svg()
        // Skip the legend swatch (the first circle); the rest are the markers in order.
        let cy = Array(attributeValues("cy", in: svg).dropFirst())
        let cx = Array(attributeValues("cx", in: svg).dropFirst())
        #expect(cy.count == 4 && cx.count == 4)
        if cy.count == 4 && cx.count == 4 {
            #expect(cy[1] < cy[3] && cy[3] < cy[2] && cy[2] < cy[0])  // larger y → smaller SVG y
            #expect(cx[0] < cx[1] && cx[1] < cx[2] && cx[2] < cx[3])  // larger x → larger SVG x
        }
        // Also on a log axis.
        var log = chart
        log.yAxis.logarithmic = true
        let lcy = Array(attributeValues("cy", in: log.svg()).dropFirst())
        #expect(lcy.count == 4)
        if lcy.count == 4 { #expect(lcy[1] < lcy[3] && lcy[3] < lcy[2] && lcy[2] < lcy[0]) }
    }

    @Test func fixedAxisRangeIsRespected() {
        let chart = LineChart(
            title: "fixed", xAxis: Axis(label: "x", min: 0, max: 10), yAxis: Axis(label: "y", min: 0, max: 100),
            series: [ChartSeries(name: "s", x: [0, 20], y: [0, 500])])
        let svg = chart.svg()
        #expect(svg.contains(">10<") && svg.contains(">100<"))
        #expect(!svg.contains(">500<"))
        #expect(isWellFormed(svg))
    }

    @Test func outputIsDeterministicAndSimplified() {
        let e = epidemic(20_000)
        let chart = LineChart(
            title: "many points", xAxis: Axis(label: "t"), yAxis: Axis(label: "n"),
            series: [ChartSeries(name: "s", x: e.t, y: e.median)])
        let a = chart.svg()
        #expect(a == chart.svg())
        #expect(a.utf8.count < 40_000)  // 20 000 points are simplified to what is visible
    }

    @Test func writeSample() throws {
        try sampleChart().svg().write(toFile: "/tmp/charts-line.svg", atomically: true, encoding: .utf8)
        let xs = [0.5, 1, 2, 4, 8, 16, 32, 64]
        let ys = [1_000.0, 3_000, 10_000, 30_000, 100_000, 360_000]
        let values = ys.map { n in xs.map { r in 60 / r * log10(n) } }
        var map = HeatMap(
            title: "Hours to 50 % infected", subtitle: "sweep of scan rate × vulnerable population",
            xAxis: Axis(label: "scan rate (probes/s)"), yAxis: Axis(label: "vulnerable hosts"),
            xValues: xs, yValues: ys, values: values, valueLabel: "hours to 50 % infected")
        map.values[2][3] = .nan
        try map.svg().write(toFile: "/tmp/charts-heat.svg", atomically: true, encoding: .utf8)
        let e = epidemic()
        let log = LineChart(
            title: "Code Red v2 (log scale)", xAxis: Axis(label: "time (hours)"),
            yAxis: Axis(label: "infected hosts", logarithmic: true), y2Axis: Axis(label: "probes per second"),
            series: [
                ChartSeries(name: "median", x: e.t, y: e.median),
                ChartSeries(name: "scan rate", x: e.t, y: e.median.map { $0 * 11 }, dashed: true, useSecondaryAxis: true),
            ],
            bands: [ChartBand(name: "median", x: e.t, lower: e.lo, upper: e.hi)])
        try log.svg().write(toFile: "/tmp/charts-log.svg", atomically: true, encoding: .utf8)
        let names = ["SIR model", "random scanning (Code Red v2)", "local preference", "hit list", "permutation", "Warhol"]
        let stress = LineChart(
            title: "A rather long title that goes on & on <to test> the layout of a small chart",
            subtitle: "small", xAxis: Axis(label: "time (s)"), yAxis: Axis(label: "Δ hosts"),
            series: names.enumerated().map { i, n in
                ChartSeries(name: n, x: (0..<30).map { Double($0) * 1000 }, y: (0..<30).map { sin(Double($0 + i) / 4) * 1e-3 * Double(i + 1) }, dashed: i % 2 == 1)
            } + [ChartSeries(name: "one point", x: [5000], y: [0.004])],
            width: 420, height: 300)
        try stress.svg().write(toFile: "/tmp/charts-stress.svg", atomically: true, encoding: .utf8)
        let dx = (0..<40).map { 0.001 * pow(10, Double($0) / 13) }
        let dy = (0..<30).map { Double($0) * 12_500 }
        let dense = HeatMap(
            title: "Dense sweep", xAxis: Axis(label: "scan rate (probes/s)"), yAxis: Axis(label: "vulnerable hosts"),
            xValues: dx, yValues: dy, values: dy.map { y in dx.map { x in sin(x * 3) * y } }, valueLabel: "peak infected",
            width: 640, height: 400)
        try dense.svg().write(toFile: "/tmp/charts-dense.svg", atomically: true, encoding: .utf8)
        try LineChart(title: "nothing", xAxis: Axis(label: "time (hours)"), yAxis: Axis(label: "hosts")).svg()
            .write(toFile: "/tmp/charts-empty.svg", atomically: true, encoding: .utf8)
    }
}

/// Numbers in path data, in order.
func attributeLikeNumbers(_ d: String) -> [Double] {
    d.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "-") }).compactMap { Double($0) }
}
