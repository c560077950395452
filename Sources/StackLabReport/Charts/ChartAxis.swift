import Foundation
import StackLabCore

/// One axis of a chart: where a value lands in pixels, and the ticks to label.
struct ChartAxis {
    var low: Double
    var high: Double
    /// Pixel position of `low` and of `high` (for a y axis, `start` is the bottom).
    var start: Double
    var end: Double
    var ticks: [(value: Double, label: String)]

    func position(_ value: Double) -> Double {
        guard high > low else { return start }
        return start + (min(max(value, low), high) - low) / (high - low) * (end - start)
    }

    /// A linear axis from `low` to a round number at or above `high`, with about five round ticks.
    static func linear(
        low: Double = 0, high: Double, start: Double, end: Double, targetTicks: Double = 5,
        label: ((Double, Double) -> String)? = nil
    ) -> ChartAxis {
        let span = high > low ? high - low : max(abs(high), 1)
        let step = niceStep(span / targetTicks)
        let top = (high / step).rounded(.up) * step
        let bottom = (low / step).rounded(.down) * step
        var ticks: [(Double, String)] = []
        var value = bottom
        while value <= top + step / 2 {
            ticks.append((value, label?(value, step) ?? plain(value, step: step)))
            value += step
        }
        return ChartAxis(low: bottom, high: max(top, bottom + step), start: start, end: end, ticks: ticks)
    }

    /// HdrHistogram's percentile axis: x = log10(1 / (1 − p)), so 0%, 90%, 99%, 99.9% … are evenly spaced.
    static func percentile(decades: Int, start: Double, end: Double) -> ChartAxis {
        let ticks = (0...decades).map { decade -> (Double, String) in
            (Double(decade), percentileLabel(decade))
        }
        return ChartAxis(low: 0, high: Double(decades), start: start, end: end, ticks: ticks)
    }

    /// `0%`, `90%`, `99%`, `99.9%` … for 0, 1, 2, 3 … decades.
    static func percentileLabel(_ decades: Int) -> String {
        switch decades {
        case 0: "0%"
        case 1: "90%"
        case 2: "99%"
        default: "99." + String(repeating: "9", count: decades - 2) + "%"
        }
    }

    /// 1, 2 or 5 times a power of ten, at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exponent = (log10(raw)).rounded(.down)
        let power = pow(10, exponent)
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// A tick value with as many decimals as its step needs, thousands grouped.
    static func plain(_ value: Double, step: Double) -> String {
        if step >= 1 { return NumberText.grouped(Int(value.rounded())) }
        let digits = Int((-log10(step)).rounded(.up))
        return DurationText.fixed(value, digits: digits)
    }
}
