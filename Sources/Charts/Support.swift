#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Colours used by the charts.
public enum ChartPalette {
    /// The Okabe–Ito colour-blind-safe palette, ordered for lines on white
    /// (blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow).
    public static let okabeIto: [String] = [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    ]

    /// The palette colour for the `index`-th item, cycling through ``okabeIto``.
    /// - Parameter index: Item index (negative values are treated as their magnitude).
    /// - Returns: A `#RRGGBB` colour.
    public static func color(at index: Int) -> String {
        okabeIto[Int(index.magnitude % UInt(okabeIto.count))]
    }

    /// A viridis-like perceptually uniform colour for `t` in 0…1 (dark purple → blue → green →
    /// yellow), computed from a polynomial fit; values outside 0…1 are clamped, NaN gives grey.
    /// - Parameter t: Position on the scale.
    /// - Returns: A `#RRGGBB` colour.
    public static func viridis(_ t: Double) -> String {
        let (r, g, b) = viridisRGB(t)
        return hex(r, g, b)
    }

    /// Components of ``viridis(_:)`` in 0…1.
    static func viridisRGB(_ t: Double) -> (Double, Double, Double) {
        guard !t.isNaN else { return (0.8, 0.8, 0.8) }
        let t = Swift.min(1, Swift.max(0, t))
        // Polynomial fit of matplotlib's viridis (coefficients by Matt Zucker, CC0).
        let c: [(Double, Double, Double)] = [
            (0.2777273272234177, 0.005407344544966578, 0.3340998053353061),
            (0.1050930431085774, 1.404613529898575, 1.384590162594685),
            (-0.3308618287255563, 0.214847559468213, 0.09509516302823659),
            (-4.634230498983486, -5.799100973351585, -19.33244095627987),
            (6.228269936347081, 14.17993336680509, 56.69055260068105),
            (4.776384997670288, -13.74514537774601, -65.35303263337234),
            (-5.435455855934631, 4.645852612178535, 26.3124352495832),
        ]
        var r = 0.0, g = 0.0, b = 0.0
        for k in c.indices.reversed() {
            r = r * t + c[k].0
            g = g * t + c[k].1
            b = b * t + c[k].2
        }
        func clamp(_ v: Double) -> Double { Swift.min(1, Swift.max(0, v)) }
        return (clamp(r), clamp(g), clamp(b))
    }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789ABCDEF")
        var s = "#"
        for v in [r, g, b] {
            let n = Int((Swift.min(1, Swift.max(0, v)) * 255).rounded())
            s.append(digits[n / 16])
            s.append(digits[n % 16])
        }
        return s
    }
}

/// Small helpers for writing SVG text.
enum SVG {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

    /// Escapes text for XML character data and attribute values; drops characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros; clamped to ±10⁷.
    static func num(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let v = Swift.min(1e7, Swift.max(-1e7, value))
        let hundredths = Int((v * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let whole = a / 100
        let frac = a % 100
        if frac == 0 { return sign + "\(whole)" }
        if frac % 10 == 0 { return sign + "\(whole).\(frac / 10)" }
        return sign + "\(whole)." + (frac < 10 ? "0" : "") + "\(frac)"
    }

    /// Approximate rendered width of `text` in a sans-serif font of `fontSize` pixels.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for ch in text {
            if ch == " " || ch == "." || ch == "," || ch == "i" || ch == "l" || ch == "j" || ch == "(" || ch == ")" {
                em += 0.3
            } else if ch.isUppercase || ch == "m" || ch == "w" || ch == "M" || ch == "W" {
                em += 0.72
            } else {
                em += 0.56
            }
        }
        return em * fontSize
    }

    /// `text` shrunk (down to `minFontSize`) and, if still too wide, shortened with "…" so that
    /// it fits in `maxWidth` pixels.
    static func fit(_ text: String, maxWidth: Double, fontSize: Double, minFontSize: Double, bold: Bool = false)
        -> (text: String, fontSize: Double)
    {
        let factor = bold ? 1.2 : 1.05
        func width(_ t: String, _ size: Double) -> Double { textWidth(t, fontSize: size) * factor }
        let natural = width(text, fontSize)
        if natural <= maxWidth { return (text, fontSize) }
        let size = Swift.max(minFontSize, (fontSize * maxWidth / natural * 2).rounded(.down) / 2)
        if width(text, size) <= maxWidth { return (text, size) }
        var chars = Array(text)
        while !chars.isEmpty && width(String(chars) + "…", size) > maxWidth { chars.removeLast() }
        return (String(chars) + "…", size)
    }

    /// The XML declaration, the opening `<svg>` tag, the title and a white background.
    static func documentStart(width w: Double, height h: Double, title: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Int(w))\" height=\"\(Int(h))\" "
        out += "viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"\(fontFamily)\" font-size=\"12\">\n"
        out += "<title>\(escape(title))</title>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        return out
    }

    /// The title and optional subtitle texts, fitted to `maxWidth`.
    static func heading(
        title: String, subtitle: String?, x: Double, titleBaseline: Double, subtitleBaseline: Double?, maxWidth: Double
    ) -> String {
        let t = fit(title, maxWidth: maxWidth, fontSize: 18, minFontSize: 13, bold: true)
        var out = "<text x=\"\(num(x))\" y=\"\(num(titleBaseline))\" font-size=\"\(num(t.fontSize))\" font-weight=\"600\" "
        out += "fill=\"#1a1a1a\">\(escape(t.text))</text>\n"
        if let sub = subtitle, let baseline = subtitleBaseline {
            let s = fit(sub, maxWidth: maxWidth, fontSize: 13, minFontSize: 11)
            out += "<text x=\"\(num(x))\" y=\"\(num(baseline))\" font-size=\"\(num(s.fontSize))\" fill=\"#5a5a5a\">\(escape(s.text))</text>\n"
        }
        return out
    }

    /// A short stable hash, used to make element ids unique per chart.
    static func hash(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01B3
            }
            h ^= 0xFF
            h = h &* 0x0000_0100_0000_01B3
        }
        return String(h & 0xFFFF_FFFF, radix: 16)
    }

    /// Polyline simplification (Ramer–Douglas–Peucker) in pixel space; keeps the shape to within
    /// `tolerance` pixels while dropping points that would not change the drawing.
    static func simplify(_ points: [(Double, Double)], tolerance: Double = 0.3) -> [(Double, Double)] {
        guard points.count > 2 else { return points }
        // First drop points that coincide (within a tenth of a pixel) with the previous one.
        var dense: [(Double, Double)] = [points[0]]
        for p in points.dropFirst() {
            if let last = dense.last, abs(p.0 - last.0) < 0.1 && abs(p.1 - last.1) < 0.1 { continue }
            dense.append(p)
        }
        if let last = points.last, let kept = dense.last, kept != last { dense.append(last) }
        guard dense.count > 2 else { return dense }
        var keep = [Bool](repeating: false, count: dense.count)
        keep[0] = true
        keep[dense.count - 1] = true
        var stack = [(0, dense.count - 1)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let (ax, ay) = dense[a]
            let (bx, by) = dense[b]
            let dx = bx - ax, dy = by - ay
            let len2 = dx * dx + dy * dy
            var worst = 0.0
            var index = -1
            for i in (a + 1)..<b {
                let (px, py) = dense[i]
                var t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
                t = Swift.min(1, Swift.max(0, t))
                let ex = ax + t * dx - px, ey = ay + t * dy - py
                let d2 = ex * ex + ey * ey
                if d2 > worst {
                    worst = d2
                    index = i
                }
            }
            if index >= 0 && worst > tolerance * tolerance {
                keep[index] = true
                stack.append((a, index))
                stack.append((index, b))
            }
        }
        return dense.indices.filter { keep[$0] }.map { dense[$0] }
    }

    /// Path data "M x,y L x,y x,y …" for a polyline.
    static func pathData(_ points: [(Double, Double)], close: Bool = false) -> String {
        var d = ""
        for (i, p) in points.enumerated() {
            d += i == 0 ? "M" : (i == 1 ? "L" : " ")
            d += num(p.0) + "," + num(p.1)
        }
        if close && !points.isEmpty { d += "Z" }
        return d
    }
}

/// Maps data values on one axis to pixel positions.
struct Scale {
    /// Lower end of the domain (data units).
    var lo: Double
    /// Upper end of the domain (data units).
    var hi: Double
    /// Logarithmic mapping.
    var log: Bool
    /// Pixel position of `lo`.
    var p0: Double
    /// Pixel position of `hi`.
    var p1: Double
    /// Tick values inside the domain.
    var ticks: [Double]
    /// Whether any data contributed to the domain.
    var hasData: Bool

    /// Whether `v` can be shown on this scale at all (finite and, on log scales, positive).
    func accepts(_ v: Double) -> Bool { v.isFinite && (!log || v > 0) }

    /// Pixel position of `v`, or `nil` if the value cannot be shown.
    func position(_ v: Double) -> Double? {
        guard accepts(v) else { return nil }
        let t: Double
        if log {
            let a = log10(lo), b = log10(hi)
            t = b > a ? (log10(v) - a) / (b - a) : 0.5
        } else {
            t = hi > lo ? (v - lo) / (hi - lo) : 0.5
        }
        return p0 + t * (p1 - p0)
    }

    /// Labels for ``ticks``.
    var tickLabels: [String] {
        log ? ticks.map { ChartTicks.label($0) } : ChartTicks.labels(for: ticks)
    }

    /// Resolves the domain and ticks of `axis` for the given data.
    /// - Parameters:
    ///   - axis: Axis settings (fixed ends, log).
    ///   - data: All values to be shown on this axis (non-finite values are ignored).
    ///   - length: Pixel length of the axis, used for the tick count.
    ///   - spacing: Desired pixel distance between ticks.
    static func resolve(axis: Axis, data: [Double], length: Double, spacing: Double) -> Scale {
        let target = Swift.max(2, Int(length / spacing))
        if axis.logarithmic {
            let values = data.filter { $0.isFinite && $0 > 0 }
            let fixedLo = axis.min.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            let fixedHi = axis.max.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            var lo = fixedLo ?? values.min().map { ChartTicks.pow10(Int((log10($0) + 1e-9).rounded(.down))) } ?? 1
            var hi = fixedHi ?? values.max().map { ChartTicks.pow10(Int((log10($0) - 1e-9).rounded(.up))) } ?? 10
            if hi <= lo {
                if fixedHi == nil { hi = lo * 10 } else { lo = hi / 10 }
            }
            let ticks = ChartTicks.logarithmic(min: lo, max: hi, maxCount: target + 2)
            return Scale(lo: lo, hi: hi, log: true, p0: 0, p1: 0, ticks: ticks, hasData: !values.isEmpty)
        }
        let values = data.filter(\.isFinite)
        let fixedLo = axis.min.flatMap { $0.isFinite ? $0 : nil }
        let fixedHi = axis.max.flatMap { $0.isFinite ? $0 : nil }
        var lo = fixedLo ?? values.min() ?? Swift.min(0, (fixedHi ?? 1) - 1)
        var hi = fixedHi ?? values.max() ?? Swift.max(1, lo + 1)
        if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.5
            if fixedHi == nil {
                hi = lo + pad
                if fixedLo == nil { lo -= pad }
            } else if fixedLo == nil {
                lo = hi - pad
            } else {
                hi = lo + 1
            }
        }
        var ticks = ChartTicks.linear(min: lo, max: hi, targetCount: target)
        if fixedLo == nil, let first = ticks.first { lo = Swift.min(lo, first) }
        if fixedHi == nil, let last = ticks.last { hi = Swift.max(hi, last) }
        let eps = (hi - lo) * 1e-9
        ticks = ticks.filter { $0 >= lo - eps && $0 <= hi + eps }
        return Scale(lo: lo, hi: hi, log: false, p0: 0, p1: 0, ticks: ticks, hasData: !values.isEmpty)
    }
}
