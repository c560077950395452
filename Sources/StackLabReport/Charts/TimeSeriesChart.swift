import StackLabCore

/// Completed requests per second (top) and p99 latency per second (bottom) over the measured window, one line
/// per trial, from each trial's per-second series.
///
/// Each sample is a `<circle>` with `data-variant`, `data-rate`, `data-repeat`, `data-metric` (`rate` or `p99`),
/// `data-x` (the second) and `data-y` (requests/s, or µs).
enum TimeSeriesChart {
    struct Series {
        var label: String
        var variant: String
        var offeredRate: Double?
        var repeatIndex: Int
        var samples: [LoadResult.SecondSample]
    }

    static func svg(_ series: [Series], title: String) -> String {
        var frame = ChartFrame(
            title: title, subtitle: "per second of each trial's measured window",
            legend: series.indices.map {
                ChartFrame.LegendItem(label: series[$0].label, colour: Palette.colour($0), dash: Palette.dash($0))
            })
        frame.height = 520
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let seconds = series.flatMap(\.samples).map(\.second).max() ?? 1
        let x = ChartAxis.linear(
            low: 0, high: Double(max(seconds, 1)), start: frame.plotLeft, end: frame.plotRight, targetTicks: 8)
        let gap = 56.0
        let panel = (frame.plotBottom - frame.plotTop - gap) / 2
        let rateTop = frame.plotTop
        let latencyTop = frame.plotTop + panel + gap
        let highestRate = Double(series.flatMap(\.samples).map(\.requests).max() ?? 1)
        let rate = ChartAxis.linear(high: max(highestRate, 1), start: rateTop + panel, end: rateTop, targetTicks: 4)
        let highestP99 = series.flatMap(\.samples).map(\.p99).max() ?? 1
        let latency = ChartAxis.linear(
            high: max(highestP99, 1) / 1_000, start: latencyTop + panel, end: latencyTop, targetTicks: 4)
        frame.drawAxes(on: &canvas, x: x, y: rate, xTitle: "second", yTitle: "requests/s", xLabels: false)
        frame.drawAxes(on: &canvas, x: x, y: latency, xTitle: "second", yTitle: "p99 (ms)")

        for (index, line) in series.enumerated() {
            let colour = Palette.colour(index)
            let identity: SVGCanvas.Attributes = [
                ("data-variant", line.variant), ("data-rate", line.offeredRate.map(SVGCanvas.data) ?? "max"),
                ("data-repeat", String(line.repeatIndex)),
            ]
            let panels: [(String, ChartAxis, (LoadResult.SecondSample) -> Double, Double)] = [
                ("rate", rate, { Double($0.requests) }, 1), ("p99", latency, { $0.p99 }, 1_000),
            ]
            for (metric, axis, value, scale) in panels {
                let points = line.samples.map {
                    (x: x.position(Double($0.second)), y: axis.position(value($0) / scale))
                }
                canvas.polyline(
                    points, stroke: colour, width: 1.5, dash: Palette.dash(index),
                    attributes: identity + [("class", "series"), ("data-metric", metric)])
                for (sample, point) in zip(line.samples, points) {
                    canvas.circle(
                        point.x, point.y, radius: 1.8, fill: colour,
                        attributes: identity + [
                            ("class", "point"), ("data-metric", metric), ("data-x", String(sample.second)),
                            ("data-y", SVGCanvas.data(value(sample))),
                        ])
                }
            }
        }
        return canvas.render(title: title, kind: "series")
    }
}
