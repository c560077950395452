import Hummingbird

/// Plain-text responses, with the headers TechEmpower's verifier checks.
enum PlainText {
    static let contentType = "text/plain; charset=utf-8"

    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        response(ByteBuffer(string: text), status: status)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
