/// The parts every chart shares: title, legend, plot area, axes with ticks, grid and axis titles.
///
/// A frame is the whole drawing, or one panel of it (``isPanel``) placed at ``x``, ``y``: a chart with more series
/// than one plot carries draws a panel per group of them (small multiples).
struct ChartFrame {
    struct LegendItem {
        var label: String
        var colour: String
        var dash: String? = nil
        /// `line` for series drawn as lines, `box` for bars.
        var box = false
    }

    /// Where the frame's top left corner is in the drawing.
    var x: Double = 0
    var y: Double = 0
    var width: Double = 760
    var height: Double = 400
    var title: String
    var subtitle: String?
    var legend: [LegendItem]
    var left: Double = 72
    var right: Double = 28
    var bottom: Double = 54
    /// A panel of a larger drawing: smaller title, no background of its own.
    var isPanel = false

    private var titleSize: Double { isPanel ? 13 : 16 }
    private var titleHeight: Double { isPanel ? 24 : 34 }

    /// Where each legend item goes, wrapped into rows under the title, each label cut to fit one row.
    private var legendLayout: [(item: LegendItem, x: Double, row: Int)] {
        var placed: [(item: LegendItem, x: Double, row: Int)] = []
        let start = x + left
        let end = x + width - right
        var position = start
        var row = 0
        for var item in legend {
            item.label = Self.fit(item.label, width: end - start - 46, size: 12)
            let itemWidth = 28 + Palette.textWidth(item.label, size: 12) + 18
            if position + itemWidth > end + 18, position > start {
                row += 1
                position = start
            }
            placed.append((item, position, row))
            position += itemWidth
        }
        return placed
    }

    private var legendRows: Int { legend.isEmpty ? 0 : (legendLayout.map(\.row).max() ?? 0) + 1 }

    /// How far below the frame's top the plot starts.
    var top: Double {
        titleHeight + (subtitle == nil ? 0 : 16) + Double(legendRows) * 20 + 12
    }

    var plotLeft: Double { x + left }
    var plotRight: Double { x + width - right }
    var plotTop: Double { y + top }
    var plotBottom: Double { y + height - bottom }

    /// Draws the title, subtitle and legend.
    func drawHeader(on canvas: inout SVGCanvas) {
        if !isPanel { canvas.rect(x, y, width, height, fill: "#FFFFFF") }
        let room = width - left - right
        canvas.text(
            x + left, y + titleHeight - 12, Self.fit(title, width: room, size: titleSize), size: titleSize,
            weight: "600", attributes: isPanel ? [("class", "panel-title")] : [])
        if let subtitle {
            canvas.text(
                x + left, y + titleHeight + 6, Self.fit(subtitle, width: room, size: 12), size: 12, fill: Palette.muted)
        }
        let legendTop = y + titleHeight + (subtitle == nil ? 0 : 16) + 8.0
        for (item, itemX, row) in legendLayout {
            let itemY = legendTop + Double(row) * 20
            if item.box {
                canvas.rect(itemX, itemY - 5, 22, 10, fill: item.colour)
            } else {
                canvas.line(itemX, itemY, itemX + 22, itemY, stroke: item.colour, width: 3, dash: item.dash)
            }
            canvas.text(itemX + 28, itemY + 4, item.label, size: 12, attributes: [("class", "legend")])
        }
    }

    /// Draws grid lines, both axes with their ticks, and the axis titles.
    ///
    /// The y axis's pixel range sets the panel's height, so one chart can stack panels that share an x axis.
    func drawAxes(
        on canvas: inout SVGCanvas, x xAxis: ChartAxis?, y: ChartAxis, xTitle: String, yTitle: String,
        xLabels: Bool = true
    ) {
        let plotTop = y.end
        let plotBottom = y.start
        for tick in y.ticks {
            let position = y.position(tick.value)
            canvas.line(plotLeft, position, plotRight, position, stroke: Palette.grid)
            canvas.text(
                plotLeft - 8, position + 4, tick.label, anchor: .end, size: 11, fill: Palette.muted,
                attributes: [("class", "y-tick")])
        }
        if let xAxis {
            for tick in xAxis.ticks {
                let position = xAxis.position(tick.value)
                canvas.line(position, plotTop, position, plotBottom, stroke: Palette.grid)
                canvas.line(position, plotBottom, position, plotBottom + 5, stroke: Palette.axis)
                if xLabels {
                    // The outermost tick labels are kept inside the frame.
                    let half = Palette.textWidth(tick.label, size: 11) / 2
                    let labelX = min(max(position, x + half + 2), x + width - half - 2)
                    canvas.text(
                        labelX, plotBottom + 19, tick.label, anchor: .middle, size: 11, fill: Palette.muted,
                        attributes: [("class", "x-tick")])
                }
            }
        }
        canvas.line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Palette.axis)
        canvas.line(plotLeft, plotTop, plotLeft, plotBottom, stroke: Palette.axis)
        if xLabels {
            canvas.text(
                (plotLeft + plotRight) / 2, plotBottom + 38,
                Self.fit(xTitle, width: plotRight - plotLeft, size: 12), anchor: .middle, size: 12)
        }
        let middle = (plotTop + plotBottom) / 2
        canvas.text(
            x + 16, middle, Self.fit(yTitle, width: plotBottom - plotTop + 20, size: 12), anchor: .middle, size: 12,
            rotate: -90)
    }

    /// A label placed beside a point at `pointX`: to its right, or to its left where it would leave the frame.
    func sideLabel(
        _ text: String, at pointX: Double, size: Double, gap: Double = 6
    )
        -> (x: Double, anchor: SVGCanvas.Anchor)
    {
        let textWidth = Palette.textWidth(text, size: size)
        if pointX + gap + textWidth <= x + width - 2 { return (pointX + gap, .start) }
        return (max(pointX - gap, x + 2 + textWidth), .end)
    }

    /// `text`, cut with an ellipsis where it would be wider than `width`.
    static func fit(_ text: String, width: Double, size: Double) -> String {
        guard Palette.textWidth(text, size: size) > width else { return text }
        let characters = max(1, Int(width / (size * 0.6)) - 1)
        return String(text.prefix(characters)) + "…"
    }

    /// Panels below this frame's header, in rows of `columns`, each a frame of its own with a title and legend and
    /// a plot `plotHeight` tall at least; panels of one row share their height, so their x axes line up. The frame
    /// grows to hold them.
    mutating func panels(titles: [String], legends: [[LegendItem]], columns: Int, plotHeight: Double) -> [ChartFrame] {
        let columns = max(1, min(columns, titles.count))
        let panelWidth = (width - 8) / Double(columns)
        var frames: [ChartFrame] = []
        var rowTop = y + top - 8
        for rowStart in stride(from: 0, to: titles.count, by: columns) {
            var row = (rowStart..<min(rowStart + columns, titles.count)).map { index in
                ChartFrame(
                    x: x + 4 + Double(index - rowStart) * panelWidth, y: rowTop, width: panelWidth, height: 0,
                    title: titles[index], subtitle: nil, legend: legends[index], left: 64, right: 14, bottom: 50,
                    isPanel: true)
            }
            let rowHeight = (row.map(\.top).max() ?? 0) + plotHeight + 50
            for index in row.indices { row[index].height = rowHeight }
            frames += row
            rowTop += rowHeight
        }
        height = rowTop - y + 8
        return frames
    }
}
