import Hummingbird

/// A fixed wait before every response but `/health`'s (`--delay 2ms`): a regression injected on purpose, so that
/// a regression gate can be shown to catch one (docs/ci-gate.md). The wait suspends the request's task, not its
/// event loop, as a slow downstream call would.
struct RequestDelay<Context: RequestContext>: RouterMiddleware {
    var delay: Duration

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path != "/health" { try await Task.sleep(for: delay) }
        return try await next(request, context)
    }

    /// The longest delay `--delay` takes.
    static var maximum: Duration { .seconds(10) }

    /// Parses `250us`, `2ms`, `1.5ms` or `1s`; nil for anything else or more than ``maximum``.
    static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, nanoseconds: Double)] = [("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }),
            let value = Double(text.dropLast(unit.suffix.count)), value >= 0, value.isFinite
        else { return nil }
        let nanoseconds = value * unit.nanoseconds
        guard nanoseconds <= 10e9 else { return nil }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }
}
