/// The parts every chart shares: title, legend, plot area, axes with ticks, grid and axis titles.
struct ChartFrame {
    struct LegendItem {
        var label: String
        var colour: String
        var dash: String? = nil
        /// `line` for series drawn as lines, `box` for bars.
        var box = false
    }

    var width: Double = 760
    var height: Double = 400
    var title: String
    var subtitle: String?
    var legend: [LegendItem]
    var left: Double = 72
    var right: Double = 28
    var bottom: Double = 54

    /// Where each legend item goes, wrapped into rows under the title.
    private var legendLayout: [(item: LegendItem, x: Double, row: Int)] {
        var placed: [(item: LegendItem, x: Double, row: Int)] = []
        var x = left
        var row = 0
        for item in legend {
            let itemWidth = 30 + Double(item.label.count) * 7 + 18
            if x + itemWidth > width - right, x > left {
                row += 1
                x = left
            }
            placed.append((item, x, row))
            x += itemWidth
        }
        return placed
    }

    var top: Double {
        let rows = legend.isEmpty ? 0 : (legendLayout.map(\.row).max() ?? 0) + 1
        return 34 + (subtitle == nil ? 0 : 16) + Double(rows) * 20 + 12
    }

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Draws the title, subtitle and legend.
    func drawHeader(on canvas: inout SVGCanvas) {
        canvas.rect(0, 0, width, height, fill: "#FFFFFF")
        canvas.text(left, 22, title, size: 16, weight: "600")
        if let subtitle { canvas.text(left, 40, subtitle, size: 12, fill: Palette.muted) }
        let legendTop = 34 + (subtitle == nil ? 0 : 16) + 8.0
        for (item, x, row) in legendLayout {
            let y = legendTop + Double(row) * 20
            if item.box {
                canvas.rect(x, y - 5, 22, 10, fill: item.colour)
            } else {
                canvas.line(x, y, x + 22, y, stroke: item.colour, width: 3, dash: item.dash)
            }
            canvas.text(x + 28, y + 4, item.label, size: 12, attributes: [("class", "legend")])
        }
    }

    /// Draws grid lines, both axes with their ticks, and the axis titles.
    ///
    /// The y axis's pixel range sets the panel's height, so one chart can stack panels that share an x axis.
    func drawAxes(
        on canvas: inout SVGCanvas, x: ChartAxis?, y: ChartAxis, xTitle: String, yTitle: String,
        xLabels: Bool = true
    ) {
        let plotTop = y.end
        let plotBottom = y.start
        for tick in y.ticks {
            let position = y.position(tick.value)
            canvas.line(plotLeft, position, plotRight, position, stroke: Palette.grid)
            canvas.text(plotLeft - 8, position + 4, tick.label, anchor: .end, size: 11, fill: Palette.muted)
        }
        if let x {
            for tick in x.ticks {
                let position = x.position(tick.value)
                canvas.line(position, plotTop, position, plotBottom, stroke: Palette.grid)
                canvas.line(position, plotBottom, position, plotBottom + 5, stroke: Palette.axis)
                if xLabels {
                    canvas.text(position, plotBottom + 19, tick.label, anchor: .middle, size: 11, fill: Palette.muted)
                }
            }
        }
        canvas.line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Palette.axis)
        canvas.line(plotLeft, plotTop, plotLeft, plotBottom, stroke: Palette.axis)
        if xLabels { canvas.text((plotLeft + plotRight) / 2, plotBottom + 40, xTitle, anchor: .middle, size: 12) }
        let middle = (plotTop + plotBottom) / 2
        canvas.text(18, middle, yTitle, anchor: .middle, size: 12, rotate: -90)
    }
}
