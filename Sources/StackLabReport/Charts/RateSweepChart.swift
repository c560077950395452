import StackLabCore

/// A rate sweep: p99 latency (median across repeats, with its 95% interval) against offered rate, one line per
/// variant, the SLO's p99 ceiling as a dashed line, and each variant's knee (the highest offered rate within the
/// SLO) marked.
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

    static func svg(_ lines: [Line], sloP99Micros: Double?, title: String) -> String {
        var legend = lines.indices.map {
            ChartFrame.LegendItem(label: lines[$0].variant, colour: Palette.colour($0), dash: Palette.dash($0))
        }
        if let sloP99Micros {
            legend.append(
                ChartFrame.LegendItem(
                    label: "SLO p99 ≤ \(DurationText.micros(sloP99Micros))", colour: Palette.slo, dash: "6 4"))
        }
        if lines.contains(where: { $0.knee != nil }) {
            legend.append(
                ChartFrame.LegendItem(label: "knee: highest rate within the SLO", colour: Palette.text, dash: "2 3"))
        }
        var frame = ChartFrame(
            title: title, subtitle: "median p99 across repeats with its 95% interval, per offered rate", legend: legend)
        frame.height = 420
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let rates = lines.flatMap { $0.points.map { $0.rate } }
        let x = ChartAxis.linear(high: rates.max() ?? 1, start: frame.plotLeft, end: frame.plotRight, targetTicks: 6)
        let highest = max(lines.flatMap { $0.points.map { $0.p99.high } }.max() ?? 1, (sloP99Micros ?? 0) * 1.15, 1)
        let lowest = max(min(lines.flatMap { $0.points.map { $0.p99.low } }.min() ?? 1, sloP99Micros ?? .infinity), 1)
        // Past the knee p99 can grow a hundredfold; a log scale keeps the SLO line and the knee readable.
        let logarithmic = highest / lowest > 30
        let y =
            logarithmic
            ? ChartAxis.logarithmic(
                low: lowest / 1_000, high: highest / 1_000, start: frame.plotBottom, end: frame.plotTop)
            : ChartAxis.linear(high: highest / 1_000, start: frame.plotBottom, end: frame.plotTop)
        frame.drawAxes(
            on: &canvas, x: x, y: y, xTitle: "offered rate (requests/s)",
            yTitle: logarithmic ? "p99 latency (ms, log scale)" : "p99 latency (ms)")

        if let sloP99Micros {
            let position = y.position(sloP99Micros / 1_000)
            canvas.line(
                frame.plotLeft, position, frame.plotRight, position, stroke: Palette.slo, width: 1.5, dash: "6 4",
                attributes: [("class", "slo"), ("data-y", SVGCanvas.data(sloP99Micros))])
            canvas.text(
                frame.plotRight - 4, position - 6, "SLO p99 ≤ \(DurationText.micros(sloP99Micros))", anchor: .end,
                size: 11, fill: Palette.slo)
        }
        for (index, line) in lines.enumerated() {
            let colour = Palette.colour(index)
            let sorted = line.points.sorted { $0.rate < $1.rate }
            let positions = sorted.map { (x: x.position($0.rate), y: y.position($0.p99.value / 1_000)) }
            canvas.polyline(
                positions, stroke: colour, dash: Palette.dash(index),
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
            if let knee = line.knee, let point = sorted.first(where: { $0.rate == knee }) {
                let position = (x: x.position(knee), y: y.position(point.p99.value / 1_000))
                canvas.line(
                    position.x, frame.plotTop, position.x, frame.plotBottom, stroke: colour, width: 1, dash: "2 3")
                canvas.circle(
                    position.x, position.y, radius: 8, fill: "none", stroke: colour,
                    attributes: [("class", "knee"), ("data-variant", line.variant), ("data-x", SVGCanvas.data(knee))],
                    tooltip: "\(line.variant): highest rate within the SLO, \(NumberText.rate(knee))/s")
                canvas.text(
                    position.x + 6, frame.plotTop + 14 + Double(index) * 14,
                    "\(line.variant) knee \(NumberText.rate(knee))/s", size: 11, fill: colour)
            }
        }
        return canvas.render(title: title, kind: "sweep")
    }
}
