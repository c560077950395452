import Testing

@testable import StackLabLoad

/// A PromQL API's answer that says `"status":"error"` is an error whatever its HTTP status (`protocol: promql`),
/// found in the body however the reads split it; other answers, and every answer when not checking, count by
/// their status.
struct QueryStatusTests {
    static let failed = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"
    static let answered = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"

    static func response(_ body: String, status: String = "200 OK", chunked: Bool = false) -> String {
        guard chunked else { return "HTTP/1.1 \(status)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" }
        let half = body.utf8.count / 2
        let first = String(body.prefix(half))
        let second = String(body.dropFirst(half))
        return "HTTP/1.1 \(status)\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "\(String(first.utf8.count, radix: 16))\r\n\(first)\r\n\(String(second.utf8.count, radix: 16))\r\n\(second)\r\n0\r\n\r\n"
    }

    /// The outcomes of `text` read as `reads` pieces of the same length.
    static func outcomes(_ text: String, reads: Int, checking: Bool = true) throws -> [ReplyOutcome] {
        var parser = HTTPResponseParser()
        parser.checksQueryStatus = checking
        let bytes = Array(text.utf8)
        let size = max(1, bytes.count / reads)
        var outcomes: [ReplyOutcome] = []
        var start = 0
        while start < bytes.count {
            let piece = Array(bytes[start..<min(bytes.count, start + size)])
            var offset = 0
            while offset < piece.count {
                let step = try piece.withUnsafeBytes { try parser.nextReply($0, from: offset) }
                offset += step.consumed
                if let reply = step.reply { outcomes.append(reply.outcome) }
            }
            start += size
        }
        return outcomes
    }

    @Test(arguments: [1, 3, 50], [false, true])
    func aFailedQueryIsAnErrorHoweverItIsRead(reads: Int, chunked: Bool) throws {
        let text =
            Self.response(Self.failed, chunked: chunked) + Self.response(Self.answered, chunked: chunked)
            + Self.response(Self.failed, status: "400 Bad Request", chunked: chunked)
        let outcomes = try Self.outcomes(text, reads: reads)
        #expect(outcomes == [.queryFailed(status: 200), .http(status: 200), .queryFailed(status: 400)])
        #expect(outcomes.map { $0.errorClass == \.reply } == [true, false, true])
        var counts = OutcomeCounts()
        for outcome in outcomes { counts.count(outcome) }
        #expect(counts.statusCodes == ["200": 2, "400": 1])
    }

    @Test func withoutTheCheckOnlyTheStatusCounts() throws {
        let outcomes = try Self.outcomes(Self.response(Self.failed), reads: 1, checking: false)
        #expect(outcomes == [.http(status: 200)])
    }
}
