import StackLabCore

/// A rate sweep: p99 latency (median across repeats, with its order-statistic interval) against offered rate, one line per
/// variant, the SLO's p99 ceiling as a dashed line, and each variant's knee (the highest offered rate within the
/// SLO) marked.
///
/// More lines than one plot carries are drawn in panels (`<g class="panel">`) on the same axes; every line has a
/// colour and dash pair of its own, and knee labels stay inside their panel without overlapping.
///
/// Each point is a `<circle class="point">` with `data-variant`, `data-x` (offered rate), `data-y` (p99 µs),
/// `data-low` and `data-high`; a knee is a `<circle class="knee">` with `data-variant` and `data-x`; the SLO line is
/// a `<line class="slo">` with `data-y`.
enum RateSweepChart {
    struct Line {
        var variant: String
        var points: [(rate: Double, p99: Statistics.Estimate)]
        var knee: Double?
    }

    static func svg(_ lines: [Line], sloP99Micros: Double?, title: String, panels: SeriesPanels? = nil) -> String {
        let layout = panels ?? SeriesPanels(count: lines.count, groupings: [])
        func legend(_ members: [Int]) -> [ChartFrame.LegendItem] {
            var items = members.map {
                ChartFrame.LegendItem(label: lines[$0].variant, colour: Palette.colour($0), dash: Palette.dash($0))
            }
            if let sloP99Micros {
                items.append(
                    ChartFrame.LegendItem(
                        label: "SLO p99 ≤ \(DurationText.micros(sloP99Micros))", colour: Palette.slo, dash: "6 4"))
            }
            if members.contains(where: { lines[$0].knee != nil }) {
                items.append(
                    ChartFrame.LegendItem(
                        label: "knee: highest rate within the SLO", colour: Palette.text, dash: "2 3"))
            }
            return items
        }
        var frame = ChartFrame(
            title: title,
            subtitle:
                "median p99 across repeats with its interval (range where n is too small for one), per offered rate",
            legend: layout.isSplit ? [] : legend(layout.panels.first?.members ?? []))
        frame.height = 420
        var plots = [(frame: frame, members: layout.panels.first?.members ?? [])]
        if layout.isSplit {
            frame.width = 980
            let frames = frame.panels(
                titles: layout.panels.map(\.title), legends: layout.panels.map { legend($0.members) }, columns: 2,
                plotHeight: 200)
            plots = zip(frames, layout.panels).map { (frame: $0, members: $1.members) }
        }
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let rates = lines.flatMap { $0.points.map { $0.rate } }
        let highest = max(lines.flatMap { $0.points.map { $0.p99.high } }.max() ?? 1, (sloP99Micros ?? 0) * 1.15, 1)
        let lowest = max(min(lines.flatMap { $0.points.map { $0.p99.low } }.min() ?? 1, sloP99Micros ?? .infinity), 1)
        // Past the knee p99 can grow a hundredfold; a log scale keeps the SLO line and the knee readable.
        let logarithmic = highest / lowest > 30

        for (plot, members) in plots {
            if layout.isSplit {
                canvas.open("g", attributes: [("class", "panel"), ("data-panel", plot.title)])
                plot.drawHeader(on: &canvas)
            }
            let x = ChartAxis.linear(
                high: rates.max() ?? 1, start: plot.plotLeft, end: plot.plotRight, targetTicks: layout.isSplit ? 4 : 6)
            let y = ChartAxis.latency(
                logarithmic: logarithmic, lowest: lowest, highest: highest, start: plot.plotBottom, end: plot.plotTop)
            plot.drawAxes(
                on: &canvas, x: x, y: y, xTitle: "offered rate (requests/s)",
                yTitle: logarithmic ? "p99 latency (ms, log scale)" : "p99 latency (ms)")
            draw(
                members.map { (style: $0, line: lines[$0]) }, sloP99Micros: sloP99Micros, in: plot, x: x, y: y,
                on: &canvas)
            if layout.isSplit { canvas.close("g") }
        }
        return canvas.render(title: title, kind: "sweep")
    }

    private static func draw(
        _ lines: [(style: Int, line: Line)], sloP99Micros: Double?, in frame: ChartFrame, x: ChartAxis, y: ChartAxis,
        on canvas: inout SVGCanvas
    ) {
        // Labels already placed in this plot, as boxes (left, top, right, bottom), so that none overlaps another.
        var placed: [(Double, Double, Double, Double)] = []
        func place(_ text: String, near pointX: Double, top: Double, size: Double) -> (Double, Double, SVGCanvas.Anchor)
        {
            let side = frame.sideLabel(text, at: pointX, size: size)
            let width = Palette.textWidth(text, size: size)
            let left = side.anchor == .start ? side.x : side.x - width
            var baseline = top
            while placed.contains(where: {
                left < $0.2 && left + width > $0.0 && baseline - size < $0.3 && baseline + 2 > $0.1
            }) {
                baseline += size + 3
            }
            placed.append((left, baseline - size, left + width, baseline + 2))
            return (side.x, baseline, side.anchor)
        }
        if let sloP99Micros {
            let position = y.position(sloP99Micros / 1_000)
            canvas.line(
                frame.plotLeft, position, frame.plotRight, position, stroke: Palette.slo, width: 1.5, dash: "6 4",
                attributes: [("class", "slo"), ("data-y", SVGCanvas.data(sloP99Micros))])
            let text = "SLO p99 ≤ \(DurationText.micros(sloP99Micros))"
            let width = Palette.textWidth(text, size: 11)
            canvas.text(frame.plotRight - 4, position - 6, text, anchor: .end, size: 11, fill: Palette.slo)
            placed.append((frame.plotRight - 4 - width, position - 17, frame.plotRight - 4, position - 4))
        }
        for (style, line) in lines {
            let colour = Palette.colour(style)
            let sorted = line.points.sorted { $0.rate < $1.rate }
            let positions = sorted.map { (x: x.position($0.rate), y: y.position($0.p99.value / 1_000)) }
            canvas.polyline(
                positions, stroke: colour, dash: Palette.dash(style),
                attributes: [("class", "sweep"), ("data-variant", line.variant)])
            for (point, position) in zip(sorted, positions) {
                let low = y.position(point.p99.low / 1_000)
                let high = y.position(point.p99.high / 1_000)
                if high < low - 1 {
                    canvas.line(position.x, low, position.x, high, stroke: colour, width: 1.5)
                    canvas.line(position.x - 4, low, position.x + 4, low, stroke: colour, width: 1.5)
                    canvas.line(position.x - 4, high, position.x + 4, high, stroke: colour, width: 1.5)
                }
                canvas.circle(
                    position.x, position.y, radius: 4, fill: colour,
                    attributes: [
                        ("class", "point"), ("data-variant", line.variant), ("data-x", SVGCanvas.data(point.rate)),
                        ("data-y", SVGCanvas.data(point.p99.value)), ("data-low", SVGCanvas.data(point.p99.low)),
                        ("data-high", SVGCanvas.data(point.p99.high)),
                    ],
                    tooltip:
                        "\(line.variant) at \(NumberText.rate(point.rate))/s: p99 \(ReportTables.latencyText(point.p99))"
                )
            }
        }
        for (style, line) in lines {
            let colour = Palette.colour(style)
            guard let knee = line.knee, let point = line.points.first(where: { $0.rate == knee }) else { continue }
            let position = (x: x.position(knee), y: y.position(point.p99.value / 1_000))
            canvas.line(
                position.x, frame.plotTop, position.x, frame.plotBottom, stroke: colour, width: 1,
                dash: "2 3")
            canvas.circle(
                position.x, position.y, radius: 8, fill: "none", stroke: colour,
                attributes: [("class", "knee"), ("data-variant", line.variant), ("data-x", SVGCanvas.data(knee))],
                tooltip: "\(line.variant): highest rate within the SLO, \(NumberText.rate(knee))/s")
            let text = "\(line.variant) knee \(NumberText.rate(knee))/s"
            let label = place(text, near: position.x, top: frame.plotTop + 14, size: 11)
            canvas.text(
                label.0, label.1, text, anchor: label.2, size: 11, fill: colour,
                attributes: [("class", "knee-label"), ("data-variant", line.variant)])
        }
    }
}
