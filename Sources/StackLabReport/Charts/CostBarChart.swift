import Foundation
import StackLabCore

/// Dollars per million requests, one stacked bar per variant (and offered rate): the compute of each component, then
/// egress (only when the run priced egress).
///
/// Segments are coloured by component kind (a gateway and its TLS twin share a kind; the bar's label tells them
/// apart), each kind its own colour. More bars than one plot carries are drawn in panels (`<g class="panel">`), one
/// per offered rate, on the same y axis from $0.
///
/// Each segment is a `<rect class="segment">` with `data-variant`, `data-rate`, `data-component`, `data-kind` and
/// `data-y` (its $/M requests); each bar's total is a `<text class="total">` with `data-y`.
enum CostBarChart {
    struct Bar {
        var label: String
        var variant: String
        var offeredRate: Double?
        var segments: [(component: String, kind: String, dollars: Double)]
        var total: Double?
    }

    /// The name (and kind) of the egress segment.
    static let egress = "egress"

    /// Bars in one plot at most; more are split into panels.
    static let barsPerPlot = 12

    static func svg(_ bars: [Bar], title: String, subtitle: String, panels: SeriesPanels? = nil) -> String {
        var kinds: [String] = []
        for bar in bars {
            for segment in bar.segments where !kinds.contains(segment.kind) { kinds.append(segment.kind) }
        }
        // Egress is not a component: it goes last, in grey, so the components' colours stand out.
        if let index = kinds.firstIndex(of: egress) { kinds.append(kinds.remove(at: index)) }
        func colour(_ kind: String) -> String {
            kind == egress ? Palette.egress : Palette.colour(kinds.firstIndex(of: kind) ?? 0)
        }
        let legend = kinds.map {
            ChartFrame.LegendItem(label: $0 == egress ? "egress" : "\($0) compute", colour: colour($0), box: true)
        }
        let layout = panels ?? SeriesPanels(count: bars.count, groupings: [], limit: barsPerPlot)
        // Labels under the bars: level when they fit their slot, else turned, with room below for the longest.
        let longest = bars.map { Palette.textWidth($0.label, size: 11) }.max() ?? 0
        var frame = ChartFrame(title: title, subtitle: subtitle, legend: legend)
        if layout.isSplit { frame.width = 980 }
        let widest = layout.panels.map(\.members.count).max() ?? 1
        let slot = (frame.width - 8 - 64 - 14) / Double(max(widest, 1))
        let turned = longest > slot - 4
        let labelRoom = turned ? longest * sin(35 * Double.pi / 180) + 24 : 30
        var plots = [(frame: frame, members: layout.panels.first?.members ?? [])]
        if layout.isSplit {
            let frames = frame.panels(
                titles: layout.panels.map(\.title), legends: layout.panels.map { _ in [] }, columns: 1,
                plotHeight: 170
            ).map { panel -> ChartFrame in
                var panel = panel
                panel.height += labelRoom - panel.bottom
                panel.bottom = labelRoom
                return panel
            }
            // Each panel grew by its label room: stack them again.
            var top = frames.first?.y ?? 0
            plots = zip(frames, layout.panels).map { panel, members in
                var panel = panel
                panel.y = top
                top += panel.height
                return (frame: panel, members: members.members)
            }
            frame.height = top - frame.y + 8
        } else {
            frame.bottom = labelRoom + 8
            frame.height = frame.top + 260 + frame.bottom
            plots = [(frame: frame, members: layout.panels.first?.members ?? [])]
        }
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let totals = bars.map { $0.total ?? $0.segments.reduce(0) { $0 + $1.dollars } }
        for (plot, members) in plots {
            if layout.isSplit {
                canvas.open("g", attributes: [("class", "panel"), ("data-panel", plot.title)])
                plot.drawHeader(on: &canvas)
            }
            // Every panel on the same scale from $0: bars are compared by their height.
            // Headroom above the dearest bar for its total.
            let y = ChartAxis.linear(
                high: max(totals.max() ?? 0, 1e-9) * 1.12, start: plot.plotBottom, end: plot.plotTop, targetTicks: 4,
                label: { value, step in "$" + ChartAxis.plain(value, step: step) })
            plot.drawAxes(on: &canvas, x: nil, y: y, xTitle: "", yTitle: "$/M requests")
            let slot = (plot.plotRight - plot.plotLeft) / Double(max(members.count, 1))
            let barWidth = min(80, slot * 0.6)
            for (position, index) in members.enumerated() {
                let bar = bars[index]
                let center = plot.plotLeft + slot * (Double(position) + 0.5)
                var base = 0.0
                let identity: SVGCanvas.Attributes = [
                    ("data-variant", bar.variant), ("data-rate", bar.offeredRate.map(SVGCanvas.data) ?? "max"),
                ]
                for segment in bar.segments {
                    let top = y.position(base + segment.dollars)
                    canvas.rect(
                        center - barWidth / 2, top, barWidth, y.position(base) - top, fill: colour(segment.kind),
                        stroke: "#FFFFFF",
                        attributes: identity + [
                            ("class", "segment"), ("data-component", segment.component), ("data-kind", segment.kind),
                            ("data-y", SVGCanvas.data(segment.dollars)),
                        ],
                        tooltip:
                            "\(bar.label) · \(segment.component): \(MoneyText.dollars(segment.dollars)) per million "
                            + "requests")
                    base += segment.dollars
                }
                // Totals are turned upright when they are wider than the bar's slot, so they never overlap.
                let total = MoneyText.dollars(totals[index])
                let upright = Palette.textWidth(total, size: 10) > slot - 2
                let above = y.position(totals[index]) - 6
                let totalY = upright ? max(above, plot.y + Palette.textWidth(total, size: 10) + 2) : above
                canvas.text(
                    center + (upright ? 4 : 0), totalY, total,
                    anchor: upright ? .start : .middle, size: 10, weight: "600", rotate: upright ? -90 : nil,
                    attributes: identity + [("class", "total"), ("data-y", SVGCanvas.data(totals[index]))])
                if turned {
                    canvas.text(center, plot.plotBottom + 14, bar.label, anchor: .end, size: 11, rotate: -35)
                } else {
                    canvas.text(center, plot.plotBottom + 18, bar.label, anchor: .middle, size: 11)
                }
            }
            if layout.isSplit { canvas.close("g") }
        }
        return canvas.render(title: title, kind: "cost")
    }
}
