import Foundation
import StackLabCore

/// Latency by percentile, one curve per variant (and offered rate), the x axis log-scaled as HdrHistogram's
/// plotter draws it: 0%, 90%, 99%, 99.9% … evenly spaced.
///
/// Each point is a `<circle>` with `data-variant`, `data-rate`, `data-percentile` and `data-y` (µs).
enum PercentileChart {
    static func svg(_ curves: [PercentileCurve], labels: [String], title: String) -> String {
        var frame = ChartFrame(
            title: title,
            subtitle: "corrected latency from the merged histograms of each variant's repeats; x = 1/(1−p), log-scaled",
            legend: curves.indices.map { index in
                ChartFrame.LegendItem(
                    label: labels[index] + (curves[index].fromHistogram ? "" : " (summary percentiles)"),
                    colour: Palette.colour(index), dash: Palette.dash(index))
            })
        frame.height = 420
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let reach = curves.flatMap(\.points).map(\.decades).max() ?? 1
        let decades = max(1, min(PercentileCurve.maximumDecades, Int(reach.rounded(.up))))
        let x = ChartAxis.percentile(decades: decades, start: frame.plotLeft, end: frame.plotRight)
        let highest = max(curves.flatMap(\.points).map(\.micros).max() ?? 1, 1)
        let lowest = max(curves.flatMap(\.points).map(\.micros).min() ?? 1, 1)
        // One overloaded curve would flatten the others against the x axis: then latency goes on a log scale.
        let medians = curves.compactMap { curve in curve.points.first { $0.percentile >= 50 }?.micros }
        let logarithmic = (medians.max() ?? 1) / max(medians.min() ?? 1, 1) > 10
        let y =
            logarithmic
            ? ChartAxis.logarithmic(
                low: lowest / 1_000, high: highest / 1_000, start: frame.plotBottom, end: frame.plotTop)
            : ChartAxis.linear(high: highest / 1_000, start: frame.plotBottom, end: frame.plotTop)
        frame.drawAxes(
            on: &canvas, x: x, y: y, xTitle: "percentile",
            yTitle: logarithmic ? "latency (ms, log scale)" : "latency (ms)")

        for (index, curve) in curves.enumerated() {
            let colour = Palette.colour(index)
            let positions = curve.points.map { (x: x.position($0.decades), y: y.position($0.micros / 1_000)) }
            let identity: SVGCanvas.Attributes = [
                ("data-variant", curve.variant), ("data-rate", curve.offeredRate.map(SVGCanvas.data) ?? "max"),
            ]
            canvas.polyline(
                positions, stroke: colour, dash: Palette.dash(index),
                attributes: identity + [
                    ("class", "curve"), ("data-source", curve.fromHistogram ? "histogram" : "summary"),
                ])
            for (point, position) in zip(curve.points, positions) {
                canvas.circle(
                    position.x, position.y, radius: 2.5, fill: colour,
                    attributes: identity + [
                        ("class", "point"), ("data-percentile", SVGCanvas.data(point.percentile)),
                        ("data-x", SVGCanvas.data(point.decades)), ("data-y", SVGCanvas.data(point.micros)),
                    ],
                    tooltip:
                        "\(labels[index]): p\(percentText(point.percentile)) = \(DurationText.micros(point.micros))")
            }
        }
        return canvas.render(title: title, kind: "percentiles")
    }

    /// `99.9` for 99.9%, up to four decimals, no trailing zeros.
    static func percentText(_ percentile: Double) -> String {
        var text = DurationText.fixed(percentile, digits: 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
