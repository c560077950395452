import StackLabCore

/// Dollars per million requests, one stacked bar per variant (and offered rate), one segment per component.
///
/// Each segment is a `<rect class="segment">` with `data-variant`, `data-rate`, `data-component` and `data-y`
/// (its $/M requests); each bar's total is a `<text class="total">` with `data-y`.
enum CostBarChart {
    struct Bar {
        var label: String
        var variant: String
        var offeredRate: Double?
        var segments: [(component: String, dollars: Double)]
        var total: Double?
    }

    /// The name of the egress segment.
    static let egress = "egress"

    static func svg(_ bars: [Bar], title: String, subtitle: String) -> String {
        var components: [String] = []
        for bar in bars {
            for segment in bar.segments where !components.contains(segment.component) {
                components.append(segment.component)
            }
        }
        // Egress is not a component: it goes last, in grey, so the components' colours stand out.
        if let index = components.firstIndex(of: egress) { components.append(components.remove(at: index)) }
        func colour(_ component: String) -> String {
            component == egress ? Palette.egress : Palette.colour(components.firstIndex(of: component) ?? 0)
        }
        var frame = ChartFrame(
            title: title, subtitle: subtitle,
            legend: components.map { ChartFrame.LegendItem(label: $0, colour: colour($0), box: true) })
        frame.bottom = bars.count > 6 ? 96 : 60
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)

        let totals = bars.map { $0.total ?? $0.segments.reduce(0) { $0 + $1.dollars } }
        let y = ChartAxis.linear(
            high: max(totals.max() ?? 0, 1e-9), start: frame.plotBottom, end: frame.plotTop,
            label: { value, step in "$" + ChartAxis.plain(value, step: step) })
        frame.drawAxes(on: &canvas, x: nil, y: y, xTitle: "", yTitle: "$ per million requests")

        let slot = (frame.plotRight - frame.plotLeft) / Double(max(bars.count, 1))
        let barWidth = min(80, slot * 0.6)
        for (index, bar) in bars.enumerated() {
            let center = frame.plotLeft + slot * (Double(index) + 0.5)
            var base = 0.0
            let identity: SVGCanvas.Attributes = [
                ("data-variant", bar.variant), ("data-rate", bar.offeredRate.map(SVGCanvas.data) ?? "max"),
            ]
            for segment in bar.segments {
                let colour = colour(segment.component)
                let top = y.position(base + segment.dollars)
                canvas.rect(
                    center - barWidth / 2, top, barWidth, y.position(base) - top, fill: colour, stroke: "#FFFFFF",
                    attributes: identity + [
                        ("class", "segment"), ("data-component", segment.component),
                        ("data-y", SVGCanvas.data(segment.dollars)),
                    ],
                    tooltip:
                        "\(bar.label) · \(segment.component): \(MoneyText.dollars(segment.dollars)) per million requests"
                )
                base += segment.dollars
            }
            canvas.text(
                center, y.position(totals[index]) - 6, MoneyText.dollars(totals[index]), anchor: .middle, size: 11,
                weight: "600", attributes: identity + [("class", "total"), ("data-y", SVGCanvas.data(totals[index]))])
            if bars.count > 6 {
                canvas.text(center, frame.plotBottom + 14, bar.label, anchor: .end, size: 11, rotate: -35)
            } else {
                canvas.text(center, frame.plotBottom + 18, bar.label, anchor: .middle, size: 12)
            }
        }
        return canvas.render(title: title, kind: "cost")
    }
}
