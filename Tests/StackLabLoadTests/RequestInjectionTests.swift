import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad

/// The engine's own guard: whoever built the options, a request that would carry a header or a request of its
/// own is refused before a byte is sent.
struct RequestInjectionTests {
    @Test(arguments: [
        LoadOptions.Request(method: "GET", path: "/", headers: [(name: "X-A", value: "b\r\nX-Injected: 1")]),
        LoadOptions.Request(method: "GET", path: "/", headers: [(name: "X-A\r\nX-B", value: "c")]),
        LoadOptions.Request(method: "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET", path: "/"),
        LoadOptions.Request(method: "GET", path: "/a HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /b"),
    ])
    func aRequestWithControlCharactersIsNeverSent(request: LoadOptions.Request) async throws {
        let server = try TestServer()
        defer { Task { try? await server.shutdown() } }
        var options = LoadOptions(target: try TargetURL(parsing: server.url + "/"))
        options.requests = [request]
        options.connections = 1
        options.threads = 1
        options.durationNanoseconds = 500_000_000
        await #expect(throws: UserError.self) { try await LoadEngine(options: options).run() }
        #expect(server.requestCount == 0 && server.connectionCount == 0)
    }
}
