import Foundation

/// Parses and prints durations as people write them: `30s`, `1m30s`, `250ms`, `100us`, `1.5s`.
public enum DurationText {
    /// Parses `text` into nanoseconds. A bare number means seconds.
    ///
    /// - Throws: `UserError` naming `what` (for example `--duration`) when the text is not a duration,
    ///   is negative, or is longer than `maximum` (a week unless given).
    public static func nanoseconds(
        _ text: String, what: String, maximum: Int64 = InputLimits.durationNanoseconds
    ) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = MessageText.quoted(text)
        guard !trimmed.isEmpty else {
            throw UserError("\(what): empty duration; write it like 30s, 500ms or 1m30s")
        }
        if let seconds = Double(trimmed) {
            guard !seconds.isNaN else {
                throw UserError("\(what): \(shown) is not a duration; write it like 30s, 500ms or 1m30s")
            }
            guard seconds >= 0 else { throw UserError("\(what): \(shown) must not be negative") }
            return try bounded(seconds * 1e9, shown, what: what, maximum: maximum)
        }
        var total = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? rest.endIndex
            guard numberEnd != rest.startIndex, let value = Double(rest[..<numberEnd]) else {
                throw UserError("\(what): \(shown) is not a duration; write it like 30s, 500ms or 1m30s")
            }
            rest = rest[numberEnd...]
            let unitEnd = rest.firstIndex(where: { $0.isNumber || $0 == "." }) ?? rest.endIndex
            let unit = rest[..<unitEnd]
            rest = rest[unitEnd...]
            guard let scale = unitScale[String(unit)] else {
                let unitText = unit.isEmpty ? "no unit" : "unit \(MessageText.quoted(String(unit)))"
                throw UserError("\(what): \(shown) has \(unitText); use h, m, s, ms, us or ns")
            }
            total += value * scale
        }
        return try bounded(total, shown, what: what, maximum: maximum)
    }

    /// Nanoseconds as an `Int64`, or an error when they are more than `maximum` (which converting would trap on).
    private static func bounded(_ nanoseconds: Double, _ shown: String, what: String, maximum: Int64) throws -> Int64 {
        guard nanoseconds.isFinite, nanoseconds.rounded() <= Double(maximum) else {
            throw UserError("\(what): \(shown) is too long; at most \(longest(maximum))")
        }
        return Int64(nanoseconds.rounded())
    }

    /// The largest duration allowed, as a person reads it: `168h` for a week.
    static func longest(_ nanoseconds: Int64) -> String {
        nanoseconds % 3_600_000_000_000 == 0
            ? "\(nanoseconds / 3_600_000_000_000)h (\(nanoseconds / 86_400_000_000_000) days)"
            : seconds(Double(nanoseconds) / 1e9)
    }

    private static let unitScale: [String: Double] = [
        "h": 3_600e9, "m": 60e9, "s": 1e9, "ms": 1e6, "us": 1e3, "µs": 1e3, "ns": 1,
    ]

    /// Formats a duration given in microseconds for a table: `812µs`, `3.41ms`, `1.20s`.
    public static func micros(_ value: Double) -> String {
        if value < 1_000 { return "\(Int(value.rounded()))µs" }
        if value < 1_000_000 { return fixed(value / 1_000, digits: value < 100_000 ? 2 : 1) + "ms" }
        return fixed(value / 1_000_000, digits: 2) + "s"
    }

    /// Formats seconds for a progress line: `12s`, `2m05s`.
    public static func seconds(_ value: Double) -> String {
        let whole = Int(value.rounded(.down))
        if whole < 60 { return "\(whole)s" }
        let minutes = whole / 60
        let seconds = whole % 60
        return "\(minutes)m" + (seconds < 10 ? "0" : "") + "\(seconds)s"
    }

    /// `value` with exactly `digits` decimals, without Foundation's locale-dependent formatting.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let integerPart = Int(scaled / scale)
        let fraction = Int(scaled - Double(integerPart) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(integerPart)" }
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return sign + "\(integerPart).\(fractionText)"
    }
}
