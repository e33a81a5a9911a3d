/// One axis of a chart: its title and, optionally, a fixed range and a logarithmic scale.
///
/// When `min` or `max` is `nil` that end of the axis is taken from the data and rounded
/// outwards to the next "nice" tick (a 1, 2 or 5 × 10ᵏ step, or a decade on log axes).
public struct Axis: Sendable, Equatable {
    /// The axis title, including the unit, e.g. `"infected hosts"` or `"time (hours)"`.
    public var label: String
    /// Fixed lower end of the axis, or `nil` to derive it from the data.
    public var min: Double?
    /// Fixed upper end of the axis, or `nil` to derive it from the data.
    public var max: Double?
    /// Whether the axis is logarithmic (base 10). Values ≤ 0 are not drawn on a log axis.
    public var logarithmic: Bool

    /// Creates an axis.
    /// - Parameters:
    ///   - label: The axis title with its unit.
    ///   - min: Fixed lower end, or `nil` for automatic.
    ///   - max: Fixed upper end, or `nil` for automatic.
    ///   - logarithmic: `true` for a base-10 logarithmic scale.
    public init(label: String, min: Double? = nil, max: Double? = nil, logarithmic: Bool = false) {
        self.label = label
        self.min = min
        self.max = max
        self.logarithmic = logarithmic
    }
}

/// A line in a ``LineChart``: `y[i]` plotted against `x[i]`.
///
/// Non-finite values (NaN, ±∞) break the line into separate segments; they are never drawn.
/// If `x` and `y` differ in length the extra values of the longer array are ignored.
public struct ChartSeries: Sendable, Equatable {
    /// Name shown in the legend and in the hover tooltip.
    public var name: String
    /// Horizontal coordinates, in data units.
    public var x: [Double]
    /// Vertical coordinates, in data units.
    public var y: [Double]
    /// A CSS colour (e.g. `"#0072B2"`), or `nil` to take the next colour of ``ChartPalette/okabeIto``.
    public var color: String?
    /// Whether the line is drawn dashed (useful for a model next to a measurement).
    public var dashed: Bool
    /// Whether the series is plotted against the chart's secondary, right-hand axis
    /// (``LineChart/y2Axis``). Ignored when the chart has no secondary axis.
    public var useSecondaryAxis: Bool

    /// Creates a series.
    /// - Parameters:
    ///   - name: Legend name.
    ///   - x: Horizontal coordinates.
    ///   - y: Vertical coordinates.
    ///   - color: CSS colour, or `nil` for the palette.
    ///   - dashed: Draw a dashed line.
    ///   - useSecondaryAxis: Plot against the right-hand axis.
    public init(
        name: String, x: [Double], y: [Double], color: String? = nil, dashed: Bool = false,
        useSecondaryAxis: Bool = false
    ) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.dashed = dashed
        self.useSecondaryAxis = useSecondaryAxis
    }
}

/// A shaded area between `lower[i]` and `upper[i]` at `x[i]`, e.g. an ensemble's 5–95 % range.
///
/// Bands are drawn semi-transparently underneath all lines. Positions where any of the three
/// values is not finite split the band into separate pieces.
public struct ChartBand: Sendable, Equatable {
    /// Name shown in the legend. A band with the same name as a series shares its legend entry
    /// and, when `color` is `nil`, its colour.
    public var name: String
    /// Horizontal coordinates.
    public var x: [Double]
    /// Lower edge of the band at each `x`.
    public var lower: [Double]
    /// Upper edge of the band at each `x`.
    public var upper: [Double]
    /// A CSS colour, or `nil`: the colour of the series with the same name, otherwise the
    /// palette colour at the band's index.
    public var color: String?

    /// Creates a band.
    /// - Parameters:
    ///   - name: Legend name.
    ///   - x: Horizontal coordinates.
    ///   - lower: Lower edge values.
    ///   - upper: Upper edge values.
    ///   - color: CSS colour, or `nil` for automatic.
    public init(name: String, x: [Double], lower: [Double], upper: [Double], color: String? = nil) {
        self.name = name
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
    }
}

/// Individual points drawn as circles, e.g. published measurements to compare a simulation with.
public struct ChartMarkers: Sendable, Equatable {
    /// Name shown in the legend.
    public var name: String
    /// Horizontal coordinates.
    public var x: [Double]
    /// Vertical coordinates.
    public var y: [Double]
    /// A CSS colour, or `nil` to take a palette colour after those of the series.
    public var color: String?
    /// Optional per-point labels, written next to each circle and shown on hover.
    /// Missing entries (a shorter array) mean no label.
    public var labels: [String]?

    /// Creates a set of markers.
    /// - Parameters:
    ///   - name: Legend name.
    ///   - x: Horizontal coordinates.
    ///   - y: Vertical coordinates.
    ///   - color: CSS colour, or `nil` for automatic.
    ///   - labels: Optional per-point labels.
    public init(name: String, x: [Double], y: [Double], color: String? = nil, labels: [String]? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.labels = labels
    }
}
