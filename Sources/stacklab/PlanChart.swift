import Foundation
import StackLabReport
import StackLabScaling

/// The plan's chart: replicas of the autoscaler and of static provisioning (left axis) and the offered load (right
/// axis) minute by minute, with the autoscaler's minutes over the SLO marked along the bottom. Colours and type
/// follow the report charts (Okabe–Ito).
struct PlanChart {
    var plan: ScalingPlan
    let width = 760.0
    let height = 320.0
    let left = 56.0
    let right = 70.0
    let top = 36.0
    let bottom = 44.0

    func render() -> String {
        let minutes = plan.autoscaled.minutes
        let count = Double(max(1, minutes.count))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let replicaTop = Self.roundUp(
            Double(max(plan.autoscaled.maxReplicas, plan.fixed.maxReplicas, plan.keda?.maxReplicas ?? 0, 1)))
        let loadTop = Self.roundUp(max(plan.trace.peak, 1))
        let x = { (minute: Double) in left + minute / count * plotWidth }
        let yReplicas = { (value: Double) in top + plotHeight * (1 - value / replicaTop) }
        let yLoad = { (value: Double) in top + plotHeight * (1 - value / loadTop) }
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
                + "width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"system-ui, sans-serif\" "
                + "font-size=\"11\" role=\"img\">",
            "<title>Replicas and load over time, \(XMLEscaped(plan.trace.name))</title>",
            text(left, 16, "Replicas and load · \(plan.trace.name)", size: 13, weight: "600"),
        ]
        for step in 0...4 {
            let fraction = Double(step) / 4
            let y = top + plotHeight * (1 - fraction)
            svg.append(line(left, y, left + plotWidth, y, colour: "#E4E4E4"))
            svg.append(
                text(left - 6, y + 4, NumberText.trimmed(replicaTop * fraction, maximumDigits: 1), anchor: "end"))
            svg.append(
                text(
                    left + plotWidth + 6, y + 4, step == 0 ? "0" : NumberText.rate(loadTop * fraction), anchor: "start")
            )
        }
        let hours = minutes.count > 180
        let tickStep = hours ? Self.roundUp(count / 60 / 6) * 60 : Self.roundUp(count / 6)
        for tick in stride(from: 0.0, through: count, by: max(1, tickStep)) {
            let label = hours ? "\(Int(tick / 60)) h" : "\(Int(tick)) min"
            svg.append(text(x(tick), top + plotHeight + 16, label, anchor: "middle"))
        }
        svg.append(text(left - 40, top - 8, "replicas", anchor: "start"))
        svg.append(text(left + plotWidth + 6, top - 8, "req/s", anchor: "start"))
        svg.append(path(minutes.map { (x(Double($0.minute)), yLoad($0.load)) }, colour: "#7A7A7A", dash: "2 3"))
        svg.append(
            path(
                plan.fixed.minutes.map { (x(Double($0.minute)), yReplicas(Double($0.replicas))) }, colour: "#E69F00",
                dash: "7 3"))
        svg.append(
            path(minutes.map { (x(Double($0.minute)), yReplicas(Double($0.replicas))) }, colour: "#0072B2", dash: nil))
        for minute in minutes where minute.violation {
            let start = x(Double(minute.minute))
            svg.append(
                "<rect x=\"\(Self.f(start))\" y=\"\(Self.f(top + plotHeight - 6))\" "
                    + "width=\"\(Self.f(max(1, plotWidth / count)))\" height=\"6\" fill=\"#C0392B\"/>")
        }
        let legend: [(String, String, String?)] =
            [
                ("HPA replicas", "#0072B2", nil), ("static replicas", "#E69F00", "7 3"),
                ("load (right)", "#7A7A7A", "2 3"), ("HPA over SLO", "#C0392B", nil),
            ] + (plan.keda == nil ? [] : [("KEDA replicas", "#009E73", "9 3 2 3")])
        var legendX = left
        for (label, colour, dash) in legend {
            svg.append(path([(legendX, height - 12), (legendX + 18, height - 12)], colour: colour, dash: dash))
            svg.append(text(legendX + 22, height - 8, label, anchor: "start"))
            legendX += 40 + Double(label.count) * 6.6
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    func text(
        _ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Double = 11, weight: String = "400"
    ) -> String {
        "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.f(size))\" "
            + "font-weight=\"\(weight)\" fill=\"#222222\">\(XMLEscaped(content))</text>"
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, colour: String) -> String {
        "<line x1=\"\(Self.f(x1))\" y1=\"\(Self.f(y1))\" x2=\"\(Self.f(x2))\" y2=\"\(Self.f(y2))\" stroke=\"\(colour)\"/>"
    }

    func path(_ points: [(Double, Double)], colour: String, dash: String?) -> String {
        let d = points.enumerated().map { "\($0 == 0 ? "M" : "L")\(Self.f($1.0)) \(Self.f($1.1))" }.joined(
            separator: " ")
        let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dashed)/>"
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func roundUp(_ value: Double) -> Double {
        let power = pow(10, floor(log10(max(value, 1e-9))))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? value
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// `text` with XML's five special characters escaped, for the chart and the HTML page.
func XMLEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&apos;")
}
