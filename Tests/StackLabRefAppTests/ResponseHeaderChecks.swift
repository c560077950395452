import Hummingbird
import HummingbirdTesting
import Testing

/// The headers every response of the standard app API carries (TechEmpower's `verify_headers`).
func expectStandardHeaders(
    _ response: TestResponse,
    contentType: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.headers[.server] == "stacklab-refapp", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == contentType, sourceLocation: sourceLocation)
    #expect(
        response.headers[.contentLength] == String(response.body.readableBytes),
        "Content-Length must be the body's size",
        sourceLocation: sourceLocation
    )
    let date = response.headers[.date] ?? ""
    // RFC 1123, as TechEmpower parses it: `%a, %d %b %Y %H:%M:%S %Z`.
    let rfc1123 = #/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/#
    #expect(date.wholeMatch(of: rfc1123) != nil, "Date '\(date)' is not RFC 1123", sourceLocation: sourceLocation)
}

let jsonContentType = "application/json; charset=utf-8"
let textContentType = "text/plain; charset=utf-8"
