/// Values as a message shows them: on one line, and short.
public enum MessageText {
    /// `value` between single quotes, with control characters escaped as Swift writes them (`\n`, `\r`, `\u{1B}`)
    /// and anything past the first `InputLimits.echoedLength` characters cut, saying how long it was:
    /// `'aaaa…' (5,000 characters)`.
    ///
    /// A value from a file or a flag may hold a newline, which would split the one line an error is.
    public static func quoted(_ value: String, limit: Int = InputLimits.echoedLength) -> String {
        let count = value.count
        let shown = count > limit ? String(value.prefix(limit)) : value
        var escaped = ""
        for scalar in shown.unicodeScalars {
            escaped += escape(scalar)
        }
        guard count > limit else { return "'\(escaped)'" }
        return "'\(escaped)…' (\(grouped(count)) characters)"
    }

    /// `value` escaped and cut as `quoted` does, without the quotes, for a value that is already set apart.
    public static func inline(_ value: String, limit: Int = InputLimits.echoedLength) -> String {
        let quoted = quoted(value, limit: limit)
        guard value.count <= limit else { return quoted }
        return String(quoted.dropFirst().dropLast())
    }

    /// `text` with control characters escaped (a newline as `\n`) and cut after `limit` characters: a last guard
    /// that a message built from user values stays one line.
    public static func oneLine(_ text: String, limit: Int = 600) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(limit * 2) {
            result += scalar == "\\" || scalar == "'" ? String(scalar) : escape(scalar)
        }
        guard result.count > limit else { return result }
        return String(result.prefix(limit)) + "… (\(grouped(text.count)) characters)"
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\\": return "\\\\"
        case "'": return "\\'"
        default:
            let value = scalar.value
            let isControl =
                value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
                || scalar.properties.generalCategory == .format
            return isControl ? "\\u{\(String(value, radix: 16, uppercase: true))}" : String(scalar)
        }
    }

    /// `5000` as `5,000`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }
}
