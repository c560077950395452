import AsyncHTTPClient
import Foundation

/// An optional classifier layer: an OpenAI-compatible chat endpoint the user configures, asked for one of the
/// allowed area labels. Its answer is checked against those labels and dropped when it is anything else.
public struct ChatClassifier: Sendable {
    /// Base URL of the API (`https://api.openai.com/v1`, or a local server); `/chat/completions` is appended.
    public var baseURL: String
    public var model: String
    public var apiKey: String?
    public var timeout: Duration

    /// The key is read from `STACKLAB_LLM_API_KEY`, else `OPENAI_API_KEY`.
    public init(
        baseURL: String, model: String,
        apiKey: String? = ProcessInfo.processInfo.environment["STACKLAB_LLM_API_KEY"]
            ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"],
        timeout: Duration = .seconds(30)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }

    /// The answer for one item: an allowed area, or why there is none.
    public enum Answer: Sendable, Equatable {
        case area(LabArea)
        /// The endpoint answered with something that is not an allowed label (kept for the message).
        case rejected(String)
        case failed(String)
    }

    /// Asks the endpoint to place the item; never throws: a failure or a label outside the ten is an answer too.
    public func classify(_ item: LandscapeItem) async -> Answer {
        let labels = LabArea.allCases.map(\.rawValue).joined(separator: ", ")
        let body: [String: Any] = [
            "model": model, "temperature": 0,
            "messages": [
                [
                    "role": "system",
                    "content": "Classify a cloud-native technology into exactly one of these labels: \(labels). "
                        + "Answer with the label only.",
                ],
                ["role": "user", "content": "\(item.name): \(item.description ?? "no description")"],
            ],
        ]
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        guard let data = try? JSONSerialization.data(withJSONObject: body) else { return .failed("cannot encode") }
        request.body = .bytes(Array(data))
        do {
            let response = try await HTTPClient.shared.execute(
                request,
                timeout: .nanoseconds(
                    Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            let bytes = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            guard response.status.code == 200 else {
                return .failed("the chat endpoint answered \(response.status.code)")
            }
            let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]
            let choices = object?["choices"] as? [[String: Any]]
            guard let content = (choices?.first?["message"] as? [String: Any])?["content"] as? String else {
                return .failed("the chat endpoint's answer has no choices[0].message.content")
            }
            return Self.validate(content)
        } catch {
            return .failed("the chat endpoint cannot be reached: \(error)")
        }
    }

    /// An allowed label (its raw value or title, any case, quotes and a final period ignored), else rejected.
    public static func validate(_ content: String) -> Answer {
        let text = content.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'`.")))
            .lowercased()
        if let area = LabArea.allCases.first(where: { $0.rawValue == text || $0.title.lowercased() == text }) {
            return .area(area)
        }
        return .rejected(content)
    }
}
