/// Text from a run (a description, a name, a request path) made inert in Markdown: GitHub and most viewers render
/// HTML inside Markdown, so `<script>` or `<img onerror=…>` from a spec must reach them as text.
enum MarkdownText {
    /// Prose: HTML's `<`, `>` and `&` as entities, Markdown's active characters escaped, on one line.
    static func text(_ value: String) -> String {
        var result = ""
        for character in oneLine(value) {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|":
                result += "\\" + String(character)
            case "#" where result.isEmpty:
                result += "\\#"
            default: result.append(character)
            }
        }
        return result
    }

    /// A table cell: as `text`; a pipe would end the cell and a newline the row.
    static func cell(_ value: String) -> String { text(value) }

    /// A code span, `` `value` ``: its content is shown literally (HTML inside is not rendered), so only a
    /// backtick, which would end it, and line breaks need replacing.
    static func code(_ value: String) -> String {
        "`" + oneLine(value).replacingOccurrences(of: "`", with: "'") + "`"
    }

    /// Line breaks and other control characters as spaces: a newline would end a heading, a row or a paragraph.
    static func oneLine(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
