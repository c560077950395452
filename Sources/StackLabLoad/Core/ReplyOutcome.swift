import StackLabCore

/// What one reply said, typed by protocol: the result counts replies by it.
enum ReplyOutcome: Equatable, Sendable {
    /// An HTTP response and its status code.
    case http(status: Int)
    /// A RESP (Redis) reply by kind.
    case resp(RESPOutcome)
    /// A SQL transaction committed (one that failed is an error of its class, not a reply).
    case committed

    /// The error class a reply counts in, if any: 4xx and 5xx responses, RESP error replies.
    var errorClass: WritableKeyPath<LoadResult.ErrorCounts, Int>? {
        switch self {
        case .http(let status) where status >= 500: \.status5xx
        case .http(let status) where status >= 400: \.status4xx
        case .http: nil
        case .resp(.error): \.reply
        case .resp: nil
        case .committed: nil
        }
    }
}

/// A Redis reply's kind as the result counts it.
enum RESPOutcome: Int, CaseIterable, Sendable {
    /// A simple string (`+OK`, what `SET` answers).
    case ok
    /// A bulk string, integer or array: a `GET` that found its key.
    case value
    /// A null: a `GET` of a key that is not there.
    case null
    /// An error reply.
    case error

    /// The key of `statusCodes` in a stored result.
    var label: String {
        switch self {
        case .ok: "ok"
        case .value: "value"
        case .null: "nil"
        case .error: "error"
        }
    }
}

/// Replies counted by outcome; merged across workers.
struct OutcomeCounts: Sendable {
    /// HTTP responses by status code, 0...599.
    var httpStatus = [Int](repeating: 0, count: 600)
    /// RESP replies by ``RESPOutcome``.
    var resp = [Int](repeating: 0, count: RESPOutcome.allCases.count)

    mutating func count(_ outcome: ReplyOutcome) {
        switch outcome {
        case .http(let status): httpStatus[min(max(status, 0), 599)] += 1
        case .resp(let kind): resp[kind.rawValue] += 1
        case .committed: break
        }
    }

    mutating func merge(_ other: OutcomeCounts) {
        for index in httpStatus.indices { httpStatus[index] += other.httpStatus[index] }
        for index in resp.indices { resp[index] += other.resp[index] }
    }

    /// The counts as stored in a result's `statusCodes`: `"200"`, or `"ok"`, `"value"`, `"nil"`, `"error"`.
    var statusCodes: [String: Int] {
        var codes: [String: Int] = [:]
        for (code, count) in httpStatus.enumerated() where count > 0 { codes[String(code)] = count }
        for kind in RESPOutcome.allCases where resp[kind.rawValue] > 0 { codes[kind.label] = resp[kind.rawValue] }
        return codes
    }
}
