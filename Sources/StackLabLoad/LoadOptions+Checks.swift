import StackLabCore

extension LoadOptions {
    /// Refuses a request whose method, path or headers would put bytes of their own on the wire: a CR or LF in
    /// a header value would add a header, one in the method or path a second request (request smuggling).
    ///
    /// The command and the spec reader check these first with the flag or the key to name; this is the engine's
    /// own guard, whoever built the options.
    ///
    /// - Throws: `UserError` naming what is wrong.
    public func checkRequests() throws {
        guard !target.isRedis, target.sqlEndpoint == nil else { return }
        for request in requests {
            if let problem = HTTPField.methodProblem(request.method) { throw UserError(problem) }
            guard HTTPField.isRequestTarget(request.path) else {
                throw UserError(
                    "\(MessageText.quoted(request.path)) is not a request path: it holds a space or a "
                        + "control character")
            }
            for header in request.headers {
                if let problem = HTTPField.headerProblem(name: header.name, value: header.value) {
                    throw UserError(problem)
                }
            }
        }
    }
}
