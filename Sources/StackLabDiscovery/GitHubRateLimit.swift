import Foundation

/// GitHub's rate-limit headers (`x-ratelimit-limit`, `-remaining`, `-used`, `-reset`) of one response.
public struct GitHubRateLimit: Sendable, Equatable {
    public var limit: Int
    public var remaining: Int
    /// When the window resets, in seconds since 1970.
    public var reset: Int

    /// The values of the headers, or `nil` when a response carries none (a cached answer, a mock).
    public init?(header: (String) -> String?) {
        guard let limit = header("x-ratelimit-limit").flatMap(Int.init),
            let remaining = header("x-ratelimit-remaining").flatMap(Int.init)
        else { return nil }
        self.limit = limit
        self.remaining = remaining
        reset = header("x-ratelimit-reset").flatMap(Int.init) ?? 0
    }

    /// `4999 of 5000 requests left, resets 2026-12-02 02:00:00 UTC`.
    public var description: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return
            "\(remaining) of \(limit) requests left, resets \(formatter.string(from: Date(timeIntervalSince1970: Double(reset))))"
    }
}
