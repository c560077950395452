/// A GitHub request that did not give an answer: one line a user can act on. Never fatal for discovery,
/// which then degrades to what the landscape snapshots say.
public struct GitHubError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// 403 or 429 with no requests left: wait for the reset, or set GITHUB_TOKEN.
        case rateLimited
        /// Any other status GitHub answered with.
        case status(Int)
        /// No answer: no network, a refused connection, a timeout.
        case unreachable
    }

    public var reason: Reason
    public var message: String
    public var rateLimit: GitHubRateLimit?

    public var description: String { message }
}
