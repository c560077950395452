import Hummingbird

/// Turns an error into a plain-text response that names its status, such as `404 Not Found`.
///
/// Hummingbird answers an unknown path or a failed handler with an empty body and no `Content-Type`;
/// the standard app API promises `Content-Type` and `Content-Length` on every response. A handler's
/// unexpected error (a database failure) is logged here, since the client only sees a 500.
struct PlainTextErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return PlainText.response("\(error.status.code) \(error.status.reasonPhrase)", status: error.status)
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["path": .string(request.uri.path), "error": .string("\(error)")]
            )
            let status = HTTPResponse.Status.internalServerError
            return PlainText.response("\(status.code) \(status.reasonPhrase)", status: status)
        }
    }
}
