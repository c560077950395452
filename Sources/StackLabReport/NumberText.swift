import StackLabCore

/// Numbers as a reader wants them in a table: grouped thousands, short byte sizes, rates.
public enum NumberText {
    /// `1234567` as `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A rate with one decimal below 100 and grouped thousands above.
    public static func rate(_ value: Double) -> String {
        value < 100 ? DurationText.fixed(value, digits: 1) : grouped(Int(value.rounded()))
    }

    /// Bytes in B, kB, MB or GB (powers of 1000).
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1000 && unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : DurationText.fixed(scaled, digits: scaled < 10 ? 2 : 1) + " " + units[unit]
    }

    /// `value` with at most `maximumDigits` decimals and no trailing zeros: `0.031611`, `2`, `1.5`.
    public static func trimmed(_ value: Double, maximumDigits: Int = 3) -> String {
        var text = DurationText.fixed(value, digits: maximumDigits)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A share (0...1) as a percentage: `0.12%`.
    public static func percent(_ share: Double, digits: Int = 2) -> String {
        DurationText.fixed(share * 100, digits: digits) + "%"
    }
}
