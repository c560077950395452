import StackLabCore

/// What one reply said, typed by protocol: the result counts replies by it.
enum ReplyOutcome: Equatable, Sendable {
    /// An HTTP response and its status code.
    case http(status: Int)
    /// An HTTP response whose body says a PromQL query failed (`"status":"error"`), with its status code.
    case queryFailed(status: Int)
    /// A RESP (Redis) reply by kind.
    case resp(RESPOutcome)
    /// A SQL transaction committed (one that failed is an error of its class, not a reply).
    case committed
    /// A message the broker acknowledged (NATS: the `PONG` after it; JetStream: its `PubAck`).
    case acknowledged
    /// A message the broker refused (a JetStream error, no stream for its subject); an error reply.
    case refused

    /// The error class a reply counts in, if any: 4xx and 5xx responses, RESP error replies.
    var errorClass: WritableKeyPath<LoadResult.ErrorCounts, Int>? {
        switch self {
        case .http(let status) where status >= 500: \.status5xx
        case .http(let status) where status >= 400: \.status4xx
        case .http: nil
        case .resp(.error), .refused, .queryFailed: \.reply
        case .resp: nil
        case .committed, .acknowledged: nil
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
}

/// Replies counted by outcome; merged across workers.
struct OutcomeCounts: Sendable {
    /// HTTP responses by status code, 0...599.
    var httpStatus = [Int](repeating: 0, count: 600)
    /// RESP replies by ``RESPOutcome``.
    var resp = [Int](repeating: 0, count: RESPOutcome.allCases.count)

    mutating func count(_ outcome: ReplyOutcome) {
        switch outcome {
        case .http(let status), .queryFailed(let status): httpStatus[min(max(status, 0), 599)] += 1
        case .resp(let kind): resp[kind.rawValue] += 1
        case .committed, .acknowledged, .refused: break
        }
    }

    mutating func merge(_ other: OutcomeCounts) {
        for index in httpStatus.indices { httpStatus[index] += other.httpStatus[index] }
        for index in resp.indices { resp[index] += other.resp[index] }
    }

    /// The HTTP statuses as a result stores them: `"200"`.
    var statusCodes: [String: Int] {
        var codes: [String: Int] = [:]
        for (code, count) in httpStatus.enumerated() where count > 0 { codes[String(code)] = count }
        return codes
    }

    /// The RESP replies as a result stores them; nil when there were none.
    var replies: LoadResult.Replies? {
        guard resp.contains(where: { $0 > 0 }) else { return nil }
        return LoadResult.Replies(
            ok: resp[RESPOutcome.ok.rawValue], value: resp[RESPOutcome.value.rawValue],
            null: resp[RESPOutcome.null.rawValue], error: resp[RESPOutcome.error.rawValue])
    }
}
