extension LoadResult {
    /// Redis replies by kind: the typed outcome of a `redis://` run (HTTP has ``statusCodes``; a SQL transaction
    /// is completed or an error of its class).
    public struct Replies: Codable, Sendable, Equatable {
        /// Simple strings: what `SET` answers.
        public var ok: Int
        /// Bulk strings, integers or arrays: a `GET` that found its key.
        public var value: Int
        /// Nulls: a `GET` of a key that is not there.
        public var null: Int
        /// Error replies (also in `errors.reply`).
        public var error: Int

        public init(ok: Int = 0, value: Int = 0, null: Int = 0, error: Int = 0) {
            self.ok = ok
            self.value = value
            self.null = null
            self.error = error
        }

        private enum CodingKeys: String, CodingKey {
            case ok, value, error
            case null = "nil"
        }
    }

    /// Redis replies by kind, also from a result written before ``replies`` existed, which kept them in
    /// ``statusCodes`` under `ok`, `value`, `nil` and `error`; nil for HTTP and SQL.
    public var replyKinds: Replies? {
        if let replies { return replies }
        let keys = ["ok", "value", "nil", "error"]
        guard statusCodes.keys.contains(where: keys.contains) else { return nil }
        return Replies(
            ok: statusCodes["ok"] ?? 0, value: statusCodes["value"] ?? 0, null: statusCodes["nil"] ?? 0,
            error: statusCodes["error"] ?? 0)
    }

    /// Completed responses by HTTP status code, whatever the stored result's age.
    public var httpStatuses: [Int: Int] {
        var statuses: [Int: Int] = [:]
        for (key, count) in statusCodes { if let code = Int(key) { statuses[code] = count } }
        return statuses
    }
}
