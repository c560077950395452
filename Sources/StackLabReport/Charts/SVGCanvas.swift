import StackLabCore

/// A drawing that renders as one self-contained `<svg>` element, valid XML, with no external resources.
///
/// Elements take extra attributes (`data-variant`, `data-x`…) so that a reader, or a test, can match every drawn
/// point to the number it stands for.
struct SVGCanvas {
    typealias Attributes = [(String, String)]

    var width: Double
    var height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
        dash: String? = nil, attributes: Attributes = []
    ) {
        var all: Attributes = [
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(width)),
        ]
        if let dash { all.append(("stroke-dasharray", dash)) }
        add("line", all + attributes)
    }

    mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, dash: String? = nil,
        attributes: Attributes = []
    ) {
        let list = points.map { Self.number($0.x) + "," + Self.number($0.y) }.joined(separator: " ")
        var all: Attributes = [
            ("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
            ("stroke-linejoin", "round"),
        ]
        if let dash { all.append(("stroke-dasharray", dash)) }
        add("polyline", all + attributes)
    }

    mutating func circle(
        _ x: Double, _ y: Double, radius: Double, fill: String, stroke: String? = nil, attributes: Attributes = [],
        tooltip: String? = nil
    ) {
        var all: Attributes = [
            ("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius)), ("fill", fill),
        ]
        if let stroke { all += [("stroke", stroke), ("stroke-width", "2")] }
        add("circle", all + attributes, tooltip: tooltip)
    }

    mutating func rect(
        _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, stroke: String? = nil,
        attributes: Attributes = [], tooltip: String? = nil
    ) {
        var all: Attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(0, width))),
            ("height", Self.number(max(0, height))), ("fill", fill),
        ]
        if let stroke { all += [("stroke", stroke), ("stroke-width", "1")] }
        add("rect", all + attributes, tooltip: tooltip)
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func text(
        _ x: Double, _ y: Double, _ content: String, anchor: Anchor = .start, size: Double = 12,
        weight: String? = nil, fill: String = Palette.text, rotate: Double? = nil, attributes: Attributes = []
    ) {
        var all: Attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
            ("text-anchor", anchor.rawValue), ("fill", fill),
        ]
        if let weight { all.append(("font-weight", weight)) }
        if let rotate {
            all.append(("transform", "rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))"))
        }
        elements.append("<text" + Self.attributeText(all + attributes) + ">" + XMLText.escape(content) + "</text>")
    }

    /// Opens a group (`<g>`): the elements added until ``close(_:)`` belong to it.
    mutating func open(_ name: String, attributes: Attributes) {
        elements.append("<\(name)" + Self.attributeText(attributes) + ">")
    }

    /// Closes the group ``open(_:attributes:)`` opened.
    mutating func close(_ name: String) {
        elements.append("</\(name)>")
    }

    /// The whole drawing; `title` becomes its accessible name and `kind` its `data-chart` attribute.
    func render(title: String, kind: String) -> String {
        let attributes: Attributes = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
            ("width", Self.number(width)), ("height", Self.number(height)), ("role", "img"),
            ("aria-label", title), ("data-chart", kind), ("font-family", Palette.fontFamily),
        ]
        return "<svg" + Self.attributeText(attributes) + ">\n<title>" + XMLText.escape(title) + "</title>\n"
            + elements.joined(separator: "\n") + "\n</svg>"
    }

    private mutating func add(_ name: String, _ attributes: Attributes, tooltip: String? = nil) {
        if let tooltip {
            elements.append(
                "<\(name)" + Self.attributeText(attributes) + "><title>" + XMLText.escape(tooltip)
                    + "</title></\(name)>")
        } else {
            elements.append("<\(name)" + Self.attributeText(attributes) + "/>")
        }
    }

    private static func attributeText(_ attributes: Attributes) -> String {
        attributes.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
    }

    /// Coordinates with one decimal: enough for a screen, short in the file.
    static func number(_ value: Double) -> String {
        DurationText.fixed(value, digits: value == value.rounded() ? 0 : 1)
    }

    /// A data value for a `data-` attribute: exact enough to compare with the run's numbers.
    static func data(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
