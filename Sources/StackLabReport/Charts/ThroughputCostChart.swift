import StackLabCore

/// Requests per second against dollars per million requests, one labelled point per variant, with each axis's
/// interval as an error bar where it is wider than the point: up and to the left is faster and cheaper. Both axes
/// start at zero.
///
/// Each point is a `<circle class="point">` with `data-variant`, `data-rate` (the offered rate, or `max` for the
/// closed loop), `data-x`, `data-x-low`, `data-x-high` ($ per million requests) and `data-y`, `data-y-low`,
/// `data-y-high` (requests per second); its label is a `<text class="label">` with `data-variant`.
enum ThroughputCostChart {
    struct Point {
        var variant: String
        var offeredRate: Double?
        var requestsPerSecond: Statistics.Estimate
        var perMillionRequests: Statistics.Estimate
    }

    static func svg(_ points: [Point], title: String, subtitle: String) -> String {
        let legend = points.indices.map {
            ChartFrame.LegendItem(label: points[$0].variant, colour: Palette.colour($0), box: true)
        }
        var frame = ChartFrame(title: title, subtitle: subtitle, legend: legend)
        frame.height = 420

        // Both axes from zero: the points are compared by how far apart they are, and a cut axis exaggerates that.
        let dearest = max(points.map(\.perMillionRequests.high).max() ?? 0, 1e-9)
        let x = ChartAxis.linear(
            low: 0, high: dearest * 1.05, start: frame.plotLeft, end: frame.plotRight, targetTicks: 6,
            label: { value, _ in MoneyText.dollars(value) })
        let y = ChartAxis.linear(
            high: max(points.map(\.requestsPerSecond.high).max() ?? 0, 1) * 1.1, start: frame.plotBottom,
            end: frame.plotTop)
        // The subtitle promises interval bars only where some are wide enough to be drawn.
        let bars = points.filter {
            x.position($0.perMillionRequests.high) > x.position($0.perMillionRequests.low) + 1
                || y.position($0.requestsPerSecond.low) > y.position($0.requestsPerSecond.high) + 1
        }
        frame.subtitle =
            subtitle + " · "
            + (bars.isEmpty
                ? "no interval bars: every interval is narrower than a point (or n is too small for one)"
                : "bars: intervals of the median, ≥ 90% where n allows, else the range (\(bars.count) of \(points.count) points have one wider than the point)")
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawHeader(on: &canvas)
        frame.drawAxes(on: &canvas, x: x, y: y, xTitle: "$ per million requests", yTitle: "requests/s")

        var labels: [(left: Double, top: Double, right: Double, bottom: Double)] = []
        for (index, point) in points.enumerated() {
            let colour = Palette.colour(index)
            let cost = point.perMillionRequests
            let rate = point.requestsPerSecond
            let position = (x: x.position(cost.value), y: y.position(rate.value))
            let left = x.position(cost.low)
            let right = x.position(cost.high)
            let bottom = y.position(rate.low)
            let top = y.position(rate.high)
            if right > left + 1 {
                canvas.line(
                    left, position.y, right, position.y, stroke: colour, width: 1.5,
                    attributes: [("class", "interval"), ("data-variant", point.variant)])
                canvas.line(left, position.y - 4, left, position.y + 4, stroke: colour, width: 1.5)
                canvas.line(right, position.y - 4, right, position.y + 4, stroke: colour, width: 1.5)
            }
            if top < bottom - 1 {
                canvas.line(
                    position.x, bottom, position.x, top, stroke: colour, width: 1.5,
                    attributes: [("class", "interval"), ("data-variant", point.variant)])
                canvas.line(position.x - 4, bottom, position.x + 4, bottom, stroke: colour, width: 1.5)
                canvas.line(position.x - 4, top, position.x + 4, top, stroke: colour, width: 1.5)
            }
            let rateLabel = point.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max"
            canvas.circle(
                position.x, position.y, radius: 5, fill: colour,
                attributes: [
                    ("class", "point"), ("data-variant", point.variant),
                    ("data-rate", point.offeredRate.map(SVGCanvas.data) ?? "max"),
                    ("data-x", SVGCanvas.data(cost.value)), ("data-x-low", SVGCanvas.data(cost.low)),
                    ("data-x-high", SVGCanvas.data(cost.high)), ("data-y", SVGCanvas.data(rate.value)),
                    ("data-y-low", SVGCanvas.data(rate.low)), ("data-y-high", SVGCanvas.data(rate.high)),
                ],
                tooltip:
                    "\(point.variant) (\(rateLabel)): \(ReportTables.rateText(rate)), \(MoneyText.dollars(cost)) per "
                    + "million requests")
            // Labels sit right of the point, or left of it near the right edge, moved down past labels they would
            // overlap; where that would leave the plot, moved up instead.
            let side = frame.sideLabel(point.variant, at: position.x, size: 12, gap: 9)
            let width = Palette.textWidth(point.variant, size: 12)
            let labelLeft = side.anchor == .start ? side.x : side.x - width
            let overlaps = { (y: Double) in
                labels.contains {
                    labelLeft < $0.right && labelLeft + width > $0.left && y - 12 < $0.bottom && y + 2 > $0.top
                }
            }
            var labelY = position.y - 7
            while overlaps(labelY) { labelY += 14 }
            if labelY + 2 > frame.plotBottom {
                labelY = position.y - 7
                while overlaps(labelY) && labelY - 26 > frame.plotTop { labelY -= 14 }
            }
            labels.append((labelLeft, labelY - 12, labelLeft + width, labelY + 2))
            canvas.text(
                side.x, labelY, point.variant, anchor: side.anchor, size: 12, weight: "600", fill: colour,
                attributes: [("class", "label"), ("data-variant", point.variant)])
        }
        return canvas.render(title: title, kind: "throughput-cost")
    }
}
