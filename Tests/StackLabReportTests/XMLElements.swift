import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every element of an XML document, in document order, with its attributes and the chart (`data-chart` of the
/// enclosing `<svg>`) it belongs to; parsing fails on markup that is not well-formed XML.
struct XMLElements {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// The `data-chart` of the `<svg>` this element is in, or nil outside charts.
        var chart: String?
        /// The `data-panel` of the `<g class="panel">` this element is in, or nil outside panels.
        var panel: String? = nil
        /// The text directly inside the element.
        var text = ""

        subscript(_ attribute: String) -> String? { attributes[attribute] }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    var elements: [Element]

    init(_ text: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        // Linux's XMLParser can return true after a fatal error, so the delegate's record of errors and of
        // balanced tags is checked as well.
        guard parser.parse(), delegate.error == nil, delegate.open == 0, delegate.ended else {
            throw ParseError(
                description:
                    "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): "
                    + "\((delegate.error ?? parser.parserError).map { "\($0)" } ?? "unbalanced tags")")
        }
        elements = delegate.elements
    }

    /// Elements named `name` (in any namespace) whose attributes include every pair of `matching`.
    func all(_ name: String, chart: String? = nil, _ matching: [String: String] = [:]) -> [Element] {
        elements.filter { element in
            element.name == name && (chart == nil || element.chart == chart)
                && matching.allSatisfy { element.attributes[$0.key] == $0.value }
        }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var charts: [String?] = []
        var panels: [String?] = []
        /// Indices of the elements open now, innermost last.
        var openElements: [Int] = []
        var error: (any Error)?
        var open = 0
        var ended = false

        func parserDidEndDocument(_ parser: XMLParser) {
            ended = true
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            error = error ?? parseError
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let name = elementName.split(separator: ":").last.map(String.init) ?? elementName
            open += 1
            if name == "svg" { charts.append(attributes["data-chart"]) }
            if name == "g" {
                panels.append(attributes["class"] == "panel" ? attributes["data-panel"] : panels.last ?? nil)
            }
            openElements.append(elements.count)
            elements.append(
                Element(name: name, attributes: attributes, chart: charts.last ?? nil, panel: panels.last ?? nil))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = openElements.last { elements[index].text += string }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            open -= 1
            openElements.removeLast()
            if elementName.split(separator: ":").last == "svg" { charts.removeLast() }
            if elementName.split(separator: ":").last == "g" { panels.removeLast() }
        }
    }
}
