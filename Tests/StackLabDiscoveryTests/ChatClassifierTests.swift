import Testing

@testable import StackLabDiscovery

struct ChatClassifierTests {
    static let item = LandscapeItem(
        name: "Meshy",
        listings: [.init(name: "Meshy", category: "Special", subcategory: "Other", description: "A mesh")])

    @Test func anAllowedLabelIsTakenAndTheRequestListsTheLabels() async throws {
        let server = try await FakeChat { _ in " Service-Mesh.\n" }
        let classifier = ChatClassifier(baseURL: server.baseURL, model: "local", apiKey: "k")
        #expect(await classifier.classify(Self.item) == .area(.serviceMesh))
        let request = try #require(server.received.first)
        #expect(request.contains("traffic-management") && request.contains("Meshy: A mesh"))
        try await server.close()
    }

    @Test func anAnswerOutsideTheLabelsIsRejected() async throws {
        let server = try await FakeChat { _ in "blockchain" }
        let classifier = ChatClassifier(baseURL: server.baseURL, model: "local", apiKey: nil)
        #expect(await classifier.classify(Self.item) == .rejected("blockchain"))
        try await server.close()
    }

    @Test func anUnreachableEndpointIsAFailedAnswerNotAnError() async {
        let classifier = ChatClassifier(baseURL: "http://127.0.0.1:9/v1", model: "m", apiKey: nil, timeout: .seconds(1))
        guard case .failed = await classifier.classify(Self.item) else {
            Issue.record("expected a failed answer")
            return
        }
    }
}
