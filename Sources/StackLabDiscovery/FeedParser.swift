import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads RSS 2.0 (`channel/item`) and Atom (`feed/entry`) feeds into announcements.
public final class FeedParser: NSObject, XMLParserDelegate {
    private var announcements: [Announcement] = []
    private var current: [String: String]?
    private var text = ""
    private let source: String

    private init(source: String) { self.source = source }

    /// The feed's entries, or an error naming the source and the line when it is not well-formed XML.
    public static func parse(_ data: Data, source: String) throws -> [Announcement] {
        let delegate = FeedParser(source: source)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw FeedError(source: source, message: "not a well-formed feed (line \(parser.lineNumber))")
        }
        return delegate.announcements
    }

    public func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        text = ""
        if element == "item" || element == "entry" {
            current = [:]
        } else if element == "link", current != nil, let href = attributes["href"],
            attributes["rel"] == nil || attributes["rel"] == "alternate"
        {
            current?["link"] = href
        }
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    public func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

    public func parser(
        _ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard current != nil else { return }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch element {
        case "item", "entry":
            if let fields = current, let title = fields["title"] {
                announcements.append(
                    Announcement(
                        title: title, link: fields["link"],
                        date: fields["pubDate"] ?? fields["published"] ?? fields["updated"], source: source))
            }
            current = nil
        case "title", "pubDate", "published", "updated":
            if current?[element] == nil { current?[element] = value }
        case "link" where !value.isEmpty:
            current?["link"] = value
        default:
            break
        }
        text = ""
    }
}
