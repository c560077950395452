import Foundation
import StackLabCore

/// Asks a metrics backend each query of a `promql` workload once, before any load: a query the backend cannot
/// parse (or evaluate) stops the run naming the query and the backend's own message, rather than ending as a
/// trial full of errors.
public enum PromQLCheck {
    /// Sends every query to the backend on 127.0.0.1:`port` and reads its answer.
    ///
    /// - Throws: `UserError` naming the first query answered with an error (a non-2xx status, or
    ///   `"status":"error"`), with the backend's message and `advice`; or naming the backend when it does not
    ///   answer.
    public static func check(
        _ queries: [PromQLQuery], port: Int, timeout: Duration = .seconds(10),
        advice: String = "fix it in the workload's queries"
    ) throws {
        let end = Int(Date().timeIntervalSince1970)
        for query in queries {
            let answer: HTTPAnswer
            do {
                answer = try LoopbackSocket.get(port: port, path: query.path(endingAt: end), timeout: timeout)
            } catch {
                throw UserError(
                    "query '\(query.name)': the metrics backend on port \(port) did not answer: \(error.reason)")
            }
            let chunked = answer.header("Transfer-Encoding")?.lowercased().contains("chunked") == true
            let body = chunked ? IngestedSamples.dechunked(answer.body) : answer.text
            if (200..<300).contains(answer.status), !body.hasPrefix("{\"status\":\"error\"") { continue }
            throw UserError(
                "query '\(query.name)' \(MessageText.quoted(query.expression)) was refused by the metrics backend "
                    + "(HTTP \(answer.status)): \(message(body)); \(advice)")
        }
    }

    /// The `error` of the API's JSON answer, else the start of the answer.
    static func message(_ body: String) -> String {
        if let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let error = json["error"] as? String
        {
            return MessageText.oneLine(error, limit: 300)
        }
        return MessageText.oneLine(body, limit: 300)
    }
}
