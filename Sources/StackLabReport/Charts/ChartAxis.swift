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
    /// Values are placed by their logarithm; `low` and `high` are then logarithms too.
    var logarithmic = false

    func position(_ value: Double) -> Double {
        guard high > low else { return start }
        let scaled = logarithmic ? log10(max(value, 1e-12)) : value
        return start + (min(max(scaled, low), high) - low) / (high - low) * (end - start)
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

    /// A logarithmic axis over whole decades around `low`...`high` (both above 0), ticked at 1, 2 and 5 of each, or
    /// at 1 and 5, or at 1 only, as the pixels per decade allow labels that do not crowd.
    static func logarithmic(low: Double, high: Double, start: Double, end: Double) -> ChartAxis {
        let bottom = pow(10, log10(max(low, 1e-9)).rounded(.down))
        let top = pow(10, log10(max(high, bottom * 10)).rounded(.up))
        let pixelsPerDecade = abs(end - start) / max(log10(top / bottom), 1)
        let factors: [Double] = pixelsPerDecade >= 60 ? [1, 2, 5] : pixelsPerDecade >= 30 ? [1, 5] : [1]
        var ticks: [(Double, String)] = []
        var decade = bottom
        while decade < top * 1.001 {
            for factor in factors where decade * factor <= top * 1.001 {
                let value = decade * factor
                ticks.append((value, plain(value, step: decade < 1 ? decade : 1)))
            }
            decade *= 10
        }
        var axis = ChartAxis(low: log10(bottom), high: log10(top), start: start, end: end, ticks: [])
        axis.logarithmic = true
        axis.ticks = ticks
        return axis
    }

    /// HdrHistogram's percentile axis: x = log10(1 / (1 − p)), so 0%, 90%, 99%, 99.9% … are evenly spaced.
    /// A latency axis in milliseconds from `lowest`…`highest` microseconds: logarithmic, or linear from zero.
    static func latency(logarithmic: Bool, lowest: Double, highest: Double, start: Double, end: Double) -> ChartAxis {
        logarithmic
            ? .logarithmic(low: lowest / 1_000, high: highest / 1_000, start: start, end: end)
            : .linear(high: highest / 1_000, start: start, end: end)
    }

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
