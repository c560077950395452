import StackLabCore

/// Dollar amounts as a reader wants them: enough digits to tell small amounts apart.
public enum MoneyText {
    /// `$1,234`, `$12.35`, `$0.0123`, `$0.000123`: three significant digits below one dollar.
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let sign = value < 0 ? "-" : ""
        let magnitude = abs(value)
        if magnitude >= 1_000 { return sign + "$" + NumberText.grouped(Int(magnitude.rounded())) }
        if magnitude >= 1 || magnitude == 0 { return sign + "$" + DurationText.fixed(magnitude, digits: 2) }
        var digits = 2
        var scaled = magnitude
        while scaled < 0.1 && digits < 9 {
            scaled *= 10
            digits += 1
        }
        return sign + "$" + DurationText.fixed(magnitude, digits: digits + 1)
    }

    /// An estimate as `$0.0123 [$0.0120–$0.0130]`, `$0.0123 (range $0.0120–$0.0130)` or `$0.0123`
    /// (``IntervalText``).
    public static func dollars(_ estimate: Statistics.Estimate?) -> String {
        IntervalText.text(estimate) { dollars($0) }
    }
}
