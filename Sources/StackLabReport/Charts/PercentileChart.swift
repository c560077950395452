import Foundation
import StackLabCore

/// Latency by percentile, one curve per variant (and offered rate), the x axis log-scaled as HdrHistogram's
/// plotter draws it: 0%, 90%, 99%, 99.9% … evenly spaced.
///
/// More curves than one plot carries are drawn in panels (`<g class="panel">`), each with its own legend, on the
/// same axes. Every curve has a colour and dash pair of its own. A curve without responses is not drawn, nor
/// listed in a legend; the subtitle says how many were left out.
///
/// Each point is a `<circle>` with `data-variant`, `data-rate`, `data-percentile` and `data-y` (µs).
enum PercentileChart {
    static func svg(
        _ curves: [PercentileCurve], labels: [String], title: String, panels: SeriesPanels? = nil
    ) -> String {
        let drawn = curves.indices.filter { curves[$0].count > 0 && !curves[$0].points.isEmpty }
        let left = curves.count - drawn.count
        let subtitle =
            "corrected latency from the merged histograms of each variant's repeats; x = 1/(1−p), log-scaled"
            + (left > 0 ? " · \(left) without responses not drawn" : "")
        // Panels hold positions in `drawn`; a curve's style is its position there.
        let layout = panels.map { filtered($0, keeping: drawn) } ?? SeriesPanels(count: drawn.count, groupings: [])
        func legend(_ members: [Int]) -> [ChartFrame.LegendItem] {
            members.map { position in
                let index = drawn[position]
                return ChartFrame.LegendItem(
                    label: labels[index] + (curves[index].fromHistogram ? "" : " (summary percentiles)"),
                    colour: Palette.colour(position), dash: Palette.dash(position))
            }
        }
        var frame = ChartFrame(
            title: title, subtitle: subtitle, legend: layout.isSplit ? [] : legend(layout.panels.first?.members ?? []))
        frame.height = 420
        var plots = [(frame: frame, members: layout.panels.first?.members ?? [])]
        if layout.isSplit {
            frame.width = 980
            let frames = frame.panels(
                titles: layout.panels.map(\.title), legends: layout.panels.map { legend($0.members) }, columns: 2,
                plotHeight: 220)
            plots = zip(frames, layout.panels).map { (frame: $0, members: $1.members) }
        }
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let points = drawn.flatMap { curves[$0].points }
        let reach = points.map(\.decades).max() ?? 1
        let decades = max(1, min(PercentileCurve.maximumDecades, Int(reach.rounded(.up))))
        let highest = max(points.map(\.micros).max() ?? 1, 1)
        let lowest = max(points.map(\.micros).min() ?? 1, 1)
        // One overloaded curve would flatten the others against the x axis: then latency goes on a log scale.
        let medians = drawn.compactMap { curves[$0].points.first { $0.percentile >= 50 }?.micros }
        let logarithmic = (medians.max() ?? 1) / max(medians.min() ?? 1, 1) > 10

        for (plot, members) in plots {
            if layout.isSplit {
                canvas.open("g", attributes: [("class", "panel"), ("data-panel", plot.title)])
                plot.drawHeader(on: &canvas)
            }
            let x = ChartAxis.percentile(decades: decades, start: plot.plotLeft, end: plot.plotRight)
            let y = ChartAxis.latency(
                logarithmic: logarithmic, lowest: lowest, highest: highest, start: plot.plotBottom, end: plot.plotTop)
            plot.drawAxes(
                on: &canvas, x: x, y: y, xTitle: "percentile",
                yTitle: logarithmic ? "latency (ms, log scale)" : "latency (ms)")
            for position in members {
                let index = drawn[position]
                draw(curves[index], label: labels[index], style: position, x: x, y: y, on: &canvas)
            }
            if layout.isSplit { canvas.close("g") }
        }
        return canvas.render(title: title, kind: "percentiles")
    }

    /// The panels of `panels` with only the curves that are drawn, renumbered to their positions among them.
    static func filtered(_ panels: SeriesPanels, keeping drawn: [Int]) -> SeriesPanels {
        var result = panels
        result.panels = panels.panels.compactMap { panel in
            let members = panel.members.compactMap { drawn.firstIndex(of: $0) }
            return members.isEmpty ? nil : SeriesPanels.Panel(title: panel.title, members: members)
        }
        return result
    }

    private static func draw(
        _ curve: PercentileCurve, label: String, style: Int, x: ChartAxis, y: ChartAxis, on canvas: inout SVGCanvas
    ) {
        let colour = Palette.colour(style)
        let positions = curve.points.map { (x: x.position($0.decades), y: y.position($0.micros / 1_000)) }
        let identity: SVGCanvas.Attributes = [
            ("data-variant", curve.variant), ("data-rate", curve.offeredRate.map(SVGCanvas.data) ?? "max"),
        ]
        canvas.polyline(
            positions, stroke: colour, dash: Palette.dash(style),
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
                tooltip: "\(label): p\(percentText(point.percentile)) = \(DurationText.micros(point.micros))")
        }
    }

    /// `99.9` for 99.9%, up to four decimals, no trailing zeros.
    static func percentText(_ percentile: Double) -> String {
        var text = DurationText.fixed(percentile, digits: 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
