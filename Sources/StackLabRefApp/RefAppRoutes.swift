import Hummingbird

/// The standard app API every StackLab reference app serves (DESIGN.md, "The standard app API").
public enum RefAppRoutes {
    /// The routes, over `store`, behind `PlainTextErrorMiddleware` so that a 404 or 500 has a body too; with a
    /// `delay`, every response but `/health`'s waits that long first (`--delay`).
    public static func router(store: some WorldStore, delay: Duration = .zero) -> Router<RefAppRequestContext> {
        let router = Router(context: RefAppRequestContext.self)
        router.add(middleware: PlainTextErrorMiddleware())
        if delay > .zero { router.add(middleware: RequestDelay(delay: delay)) }
        router.get("/plaintext") { _, _ in
            PlainText.response("Hello, World!")
        }
        router.get("/json") { _, _ in
            // A fresh value encoded on every request, as TechEmpower's rules ask (no cached bytes).
            Message(message: "Hello, World!")
        }
        router.get("/db") { _, _ in
            try await store.randomWorld()
        }
        router.get("/queries") { request, _ in
            try await store.randomWorlds(count: QueryCount(parameter: request.uri.queryParameters.get("queries")).value)
        }
        router.get("/updates") { request, _ in
            try await store.updateWorlds(count: QueryCount(parameter: request.uri.queryParameters.get("queries")).value)
        }
        router.get("/health") { _, _ in
            PlainText.response("ok")
        }
        router.get("/bytes/:count") { _, context -> Response in
            // Istio's latency method asks for sized responses (1 KiB); any other count is "any other path".
            guard let count = SizedBody.count(context.parameters.get("count")) else { throw HTTPError(.notFound) }
            return PlainText.response(SizedBody.bytes(count))
        }
        return router
    }
}

/// The body of `/json`.
struct Message: ResponseEncodable {
    var message: String
}

extension World: ResponseEncodable {}
