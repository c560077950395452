import Dispatch
import StackLabCore

/// Checks a running app against the standard app API (docs/app-api.md, "What a verifier checks"), rule by
/// rule, over plain HTTP/1.1 on 127.0.0.1: the same list as `scripts/verify-app.sh`.
///
/// The verifier sees the app only from outside, so `/updates` is judged by what the app itself answers
/// afterwards rather than by reading the database (StackLabLocal has no PostgreSQL client):
/// - *writes what it returns*: after one `/updates?queries=500`, `/queries?queries=500` reads that land on an
///   updated id (about 25 per request; at least 20 are gathered) must show the value `/updates` answered.
///   An app that does not write, or writes other values, fails with near certainty.
/// - *changes every row*: a second `/updates?queries=500` shares about 25 ids with the first; each must get
///   a value other than the one the first wrote (which the second read, by the rule above).
///
/// Both assume that nothing else writes `World` while the verifier runs, and they change rows as any
/// `/updates` does. The row count of the table (10000) is not checked.
public struct AppVerifier: Sendable {
    /// One rule of the checklist and how the app fared.
    public struct Outcome: Sendable, Equatable, CustomStringConvertible {
        /// What was checked, e.g. `GET /queries?queries=0` or `GET /json headers`.
        public var rule: String
        /// Why it failed, or nil when it passed.
        public var failure: String?

        public var passed: Bool { failure == nil }

        public init(rule: String, failure: String? = nil) {
            self.rule = rule
            self.failure = failure
        }

        public var description: String { failure.map { "\(rule): \($0)" } ?? "\(rule): ok" }
    }

    /// Whether the app was started with a database.
    public enum Database: Sendable, Equatable {
        /// `/db`, `/queries` and `/updates` serve rows.
        case present
        /// They answer 503 (an app under `apps/` started without `DATABASE_URL`).
        case absent
    }

    /// The loopback port the app serves on.
    public var port: Int
    public var database: Database
    /// Between the two `/plaintext` answers whose `Date` must differ.
    public var dateInterval: Duration = .seconds(2)
    /// Bounds the connect and each read of one request.
    public var requestTimeout: Duration = .seconds(30)

    public init(port: Int, database: Database) {
        self.port = port
        self.database = database
    }

    /// What a component's app is verified with: the Swift app always has a database (SQLite without a URL);
    /// the apps under `apps/` only with a `database_url` setting.
    public static func database(for component: Component) -> Database {
        component.runtime == .swift || component.settings["database_url"] != nil ? .present : .absent
    }

    /// Runs every rule in the documented order; a request that gets no answer fails its rules, not the run.
    ///
    /// - Throws: `CancellationError` only.
    public func run() async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes += await expectText("/plaintext", status: 200, body: "Hello, World!")
        outcomes += await expectText("/health", status: 200, body: "ok")
        outcomes += await checkJSON()
        outcomes += await expectStatus("/no-such-path", status: 404)
        for count in Self.sizedCounts { outcomes += await expectSized(count) }
        for path in ["/bytes/1048577", "/bytes/1k"] { outcomes += await expectStatus(path, status: 404) }
        try Task.checkCancellation()
        outcomes.append(try await checkDateChanges())
        switch database {
        case .absent:
            for path in ["/db", "/queries?queries=2", "/updates?queries=2"] {
                outcomes += await expectStatus(path, status: 503, rule: "GET \(path) without a database")
            }
        case .present:
            outcomes += await checkDB()
            for (path, count) in Self.clampingCases {
                try Task.checkCancellation()
                outcomes += await expectRows(path, count: count)
            }
            try Task.checkCancellation()
            outcomes += await checkUpdatesPersist()
        }
        return outcomes
    }

    /// Runs every rule and throws when one fails.
    ///
    /// - Parameter variant: the variant that is then not measured, for the message.
    /// - Throws: `UserError` naming `component`, each failed rule with its reason and where the API is
    ///   described; `CancellationError`.
    public func requirePass(component: String, variant: String? = nil) async throws {
        let failed = try await run().filter { !$0.passed }
        guard !failed.isEmpty else { return }
        let count = failed.count == 1 ? "1 rule" : "\(failed.count) rules"
        let consequence = variant.map { "; variant '\($0)' is not measured" } ?? ""
        throw UserError(
            "component '\(component)' does not serve the standard app API (docs/app-api.md)\(consequence); "
                + "it fails \(count) ('stacklab verify' shows them all):\n"
                + failed.map { "  \($0)" }.joined(separator: "\n"))
    }

    /// Each query string of the clamping table on `/queries`, and four on `/updates`, with the row count due.
    static let clampingCases: [(String, Int)] = [
        ("/queries", 1), ("/queries?queries=", 1), ("/queries?queries=0", 1), ("/queries?queries=-5", 1),
        ("/queries?queries=foo", 1), ("/queries?queries=5abc", 1), ("/queries?other=7", 1), ("/queries?queries=2", 2),
        ("/queries?queries=%32", 2), ("/queries?queries=20", 20), ("/queries?queries=500", 500),
        ("/queries?queries=501", 500), ("/queries?queries=1000", 500),
        ("/queries?queries=99999999999999999999999", 500), ("/updates", 1), ("/updates?queries=0", 1),
        ("/updates?queries=foo", 1), ("/updates?queries=1000", 500),
    ]

    // MARK: - Requests

    private func fetch(_ path: String) async -> Result<HTTPAnswer, LoopbackSocket.Failure> {
        let port = port
        let timeout = requestTimeout
        // Blocking socket calls stay off the concurrency pool: a slow app must not starve other tasks.
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(LoopbackSocket.Failure) {
                    continuation.resume(
                        returning: .success(try LoopbackSocket.get(port: port, path: path, timeout: timeout)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    /// Asks `path` and judges the answer: `problem` says what is wrong with it (nil when it is right), then its
    /// headers are checked as `type`. No answer fails both.
    private func judge(
        _ path: String, rule: String, type: BodyType, problem: (HTTPAnswer) -> String?
    ) async -> [Outcome] {
        switch await fetch(path) {
        case .failure(let failure):
            return [
                Outcome(rule: rule, failure: failure.reason), Outcome(rule: rule + " headers", failure: "no answer"),
            ]
        case .success(let answer):
            return [Outcome(rule: rule, failure: problem(answer)), Self.headers(answer, rule: rule, type: type)]
        }
    }

    private func expectText(_ path: String, status: Int, body: String) async -> [Outcome] {
        await judge(path, rule: "GET \(path)", type: .text) { answer in
            answer.status == status && answer.body == Array(body.utf8)
                ? nil : "expected \(status) '\(body)', got \(answer.status) '\(Self.excerpt(answer))'"
        }
    }

    private func checkJSON() async -> [Outcome] {
        await judge("/json", rule: "GET /json", type: .json) { answer in
            answer.status == 200 && Self.compactJSON(answer.body) == #"{"message":"Hello, World!"}"#
                ? nil
                : #"expected 200 {"message":"Hello, World!"}, got "# + "\(answer.status) '\(Self.excerpt(answer))'"
        }
    }

    /// The sizes `/bytes/N` is asked for: Istio's 1 KiB, and an empty body.
    static let sizedCounts = [1024, 0]

    /// `/bytes/N`: 200 and exactly N bytes of `x`, as text.
    private func expectSized(_ count: Int) async -> [Outcome] {
        await judge("/bytes/\(count)", rule: "GET /bytes/\(count)", type: .text) { answer in
            answer.status == 200 && answer.body == [UInt8](repeating: UInt8(ascii: "x"), count: count)
                ? nil
                : "expected 200 and \(count) bytes of x, got \(answer.status) and \(answer.body.count) bytes "
                    + "'\(Self.excerpt(answer))'"
        }
    }

    /// A status and a non-empty text body: the 404 and the 503s.
    private func expectStatus(_ path: String, status: Int, rule: String? = nil) async -> [Outcome] {
        await judge(path, rule: rule ?? "GET \(path) -> \(status)", type: .text) { answer in
            answer.status == status && !answer.body.isEmpty
                ? nil : "expected \(status) with a text body, got \(answer.status) '\(Self.excerpt(answer))'"
        }
    }

    private func checkDateChanges() async throws -> Outcome {
        let rule = "Date changes"
        guard case .success(let first) = await fetch("/plaintext"), let date = first.header("Date") else {
            return Outcome(rule: rule, failure: "no Date on the first /plaintext answer")
        }
        try await Task.sleep(for: dateInterval)
        guard case .success(let second) = await fetch("/plaintext") else {
            return Outcome(rule: rule, failure: "no answer to the second /plaintext")
        }
        return Outcome(
            rule: rule, failure: second.header("Date") == date ? "still '\(date)' after \(dateInterval.text)" : nil)
    }

    private func checkDB() async -> [Outcome] {
        let rule = "GET /db"
        switch await fetch("/db") {
        case .failure(let failure):
            return [
                Outcome(rule: rule, failure: failure.reason), Outcome(rule: rule + " headers", failure: "no answer"),
            ]
        case .success(let answer):
            var failure: String?
            if answer.status != 200 {
                failure = "status \(answer.status) '\(Self.excerpt(answer))'"
            } else if let row = Self.row(in: answer.body) {
                if !Self.inRange(row) { failure = "row out of range: \(row)" }
            } else {
                failure = #"not one {"id":N,"randomNumber":M}: '"# + Self.excerpt(answer) + "'"
            }
            return [Outcome(rule: rule, failure: failure), Self.headers(answer, rule: rule, type: .json)]
        }
    }

    /// An array of exactly `count` rows in range (with distinct ids from `/updates`), and the headers.
    private func expectRows(_ path: String, count: Int) async -> [Outcome] {
        let rule = "GET \(path)"
        switch await fetch(path) {
        case .failure(let failure):
            return [
                Outcome(rule: rule, failure: failure.reason), Outcome(rule: rule + " headers", failure: "no answer"),
            ]
        case .success(let answer):
            return [
                Outcome(
                    rule: rule, failure: Self.rowsProblem(answer, count: count, distinct: path.hasPrefix("/updates"))),
                Self.headers(answer, rule: rule, type: .json),
            ]
        }
    }

    static func rowsProblem(_ answer: HTTPAnswer, count: Int, distinct: Bool) -> String? {
        guard answer.status == 200 else { return "status \(answer.status) '\(excerpt(answer))'" }
        guard let rows = rows(in: answer.body) else {
            return #"not an array of {"id":N,"randomNumber":M}: '"# + excerpt(answer) + "'"
        }
        if rows.count != count {
            return "expected \(count) \(count == 1 ? "row" : "rows"), got \(rows.count)"
        }
        if let bad = rows.first(where: { !inRange($0) }) {
            return "row out of range: \(bad)"
        }
        if distinct && Set(rows.map(\.id)).count != rows.count {
            return "ids repeat: \(rows.count - Set(rows.map(\.id)).count) duplicates among \(rows.count) rows"
        }
        return nil
    }

    /// The two black-box `/updates` rules described on the type.
    private func checkUpdatesPersist() async -> [Outcome] {
        let writes = "/updates writes what it returns"
        let changes = "/updates changes every row"
        guard let written = await updateRows() else {
            let reason = "/updates?queries=500 did not answer 500 distinct rows"
            return [Outcome(rule: writes, failure: reason), Outcome(rule: changes, failure: reason)]
        }
        let values = Dictionary(written.map { ($0.id, $0.randomNumber) }) { first, _ in first }
        var hits = 0
        var reads = 0
        var writesFailure: String?
        while hits < 20 && reads < 4000 && writesFailure == nil {
            guard case .success(let answer) = await fetch("/queries?queries=500"), answer.status == 200,
                let rows = Self.rows(in: answer.body)
            else {
                writesFailure = "/queries?queries=500 did not answer rows"
                break
            }
            reads += 500
            for row in rows {
                guard let value = values[row.id] else { continue }
                hits += 1
                if value != row.randomNumber {
                    writesFailure =
                        "id \(row.id): /updates answered randomNumber \(value), a later /queries read \(row.randomNumber)"
                    break
                }
            }
        }
        if writesFailure == nil && hits < 20 {
            writesFailure = "only \(hits) of \(reads) /queries reads fell on the 500 updated ids (about 5% expected)"
        }

        var changesFailure: String?
        var shared = 0
        for _ in 0..<4 where changesFailure == nil && shared < 5 {
            guard let again = await updateRows() else {
                changesFailure = "a second /updates?queries=500 did not answer 500 distinct rows"
                break
            }
            for row in again {
                guard let before = values[row.id] else { continue }
                shared += 1
                if before == row.randomNumber {
                    changesFailure = "id \(row.id) kept randomNumber \(before) through a second /updates"
                    break
                }
            }
        }
        if changesFailure == nil && shared == 0 {
            changesFailure = "four /updates?queries=500 shared no id with the first (about 25 each expected)"
        }
        return [Outcome(rule: writes, failure: writesFailure), Outcome(rule: changes, failure: changesFailure)]
    }

    /// The rows of one `/updates?queries=500`, when it answers 500 distinct rows in range.
    private func updateRows() async -> [World]? {
        guard case .success(let answer) = await fetch("/updates?queries=500"),
            Self.rowsProblem(answer, count: 500, distinct: true) == nil
        else { return nil }
        return Self.rows(in: answer.body)
    }

    // MARK: - Judging bytes

    /// A row of table `World` as the API answers it.
    struct World: Sendable, Equatable, CustomStringConvertible {
        var id: Int
        var randomNumber: Int

        var description: String { #"{"id":\#(id),"randomNumber":\#(randomNumber)}"# }
    }

    static func inRange(_ row: World) -> Bool {
        (1...10000).contains(row.id) && (1...10000).contains(row.randomNumber)
    }

    enum BodyType {
        case text
        case json

        var mediaType: String {
            switch self {
            case .text: "text/plain"
            case .json: "application/json"
            }
        }
    }

    /// The headers every response carries: Server, Date (RFC 1123, GMT), Content-Type and Content-Length.
    static func headers(_ answer: HTTPAnswer, rule: String, type: BodyType) -> Outcome {
        var problems: [String] = []
        if (answer.header("Server") ?? "").isEmpty { problems.append("no Server") }
        let date = answer.header("Date")
        if !isRFC1123(date ?? "") { problems.append(date.map { "Date '\($0)' is not RFC 1123 GMT" } ?? "no Date") }
        let contentType = answer.header("Content-Type")
        if !hasMediaType(contentType ?? "", type.mediaType) {
            problems.append(contentType.map { "Content-Type '\($0)' is not \(type.mediaType)" } ?? "no Content-Type")
        }
        if let encoding = answer.header("Transfer-Encoding") {
            problems.append("Transfer-Encoding '\(encoding)' (Content-Length is required)")
        }
        if let length = answer.header("Content-Length") {
            if Int(length) != answer.body.count {
                problems.append("Content-Length '\(length)' but the body has \(answer.body.count) bytes")
            }
        } else {
            problems.append("no Content-Length")
        }
        return Outcome(rule: rule + " headers", failure: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func isRFC1123(_ date: String) -> Bool {
        let days: Set<Substring> = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"]
        let months: Set<Substring> = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        func digits(_ text: Substring, _ count: Int) -> Bool {
            text.count == count && text.allSatisfy { $0.isASCII && $0.isNumber }
        }
        let parts = date.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, days.contains(parts[0]), digits(parts[1], 2), months.contains(parts[2]),
            digits(parts[3], 4), parts[5] == "GMT"
        else { return false }
        let time = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        return time.count == 3 && time.allSatisfy { digits($0, 2) }
    }

    /// `type`, optionally followed by `;` or `; ` and `charset=utf-8` (or `UTF-8`), as TechEmpower accepts.
    static func hasMediaType(_ value: String, _ type: String) -> Bool {
        guard value.hasPrefix(type) else { return false }
        var rest = value.dropFirst(type.count)
        if rest.isEmpty { return true }
        guard rest.first == ";" else { return false }
        rest = rest.dropFirst()
        if rest.first == " " { rest = rest.dropFirst() }
        return rest == "charset=utf-8" || rest == "charset=UTF-8"
    }

    /// The body with the whitespace between JSON tokens removed (that inside strings kept).
    static func compactJSON(_ body: [UInt8]) -> String {
        var result: [UInt8] = []
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(byte) {
                continue
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The rows of a JSON array of `{"id":N,"randomNumber":M}` (keys in that order, integers), or nil.
    static func rows(in body: [UInt8]) -> [World]? {
        let text = compactJSON(body)
        guard text.first == "[", text.last == "]" else { return nil }
        var rest = text.dropFirst().dropLast()
        var rows: [World] = []
        while !rest.isEmpty {
            if !rows.isEmpty {
                guard rest.first == "," else { return nil }
                rest = rest.dropFirst()
            }
            guard let (row, after) = row(prefixOf: rest) else { return nil }
            rows.append(row)
            rest = after
        }
        return rows
    }

    /// The row of a JSON object `{"id":N,"randomNumber":M}`, or nil (an array is not a row).
    static func row(in body: [UInt8]) -> World? {
        let text = compactJSON(body)[...]
        guard let (row, rest) = row(prefixOf: text), rest.isEmpty else { return nil }
        return row
    }

    private static func row(prefixOf text: Substring) -> (World, Substring)? {
        guard let (id, afterID) = integer(after: #"{"id":"#, in: text),
            let (value, afterValue) = integer(after: #","randomNumber":"#, in: afterID),
            afterValue.first == "}"
        else { return nil }
        return (World(id: id, randomNumber: value), afterValue.dropFirst())
    }

    /// A JSON integer right after `prefix`: an optional `-`, then `0` or digits without a leading zero.
    private static func integer(after prefix: String, in text: Substring) -> (Int, Substring)? {
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        let sign = rest.first == "-" ? 1 : 0
        let digits = rest.dropFirst(sign).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits == "0" || digits.first != "0" else { return nil }
        let end = rest.index(rest.startIndex, offsetBy: sign + digits.count)
        guard let value = Int(rest[rest.startIndex..<end]) else { return nil }
        // "1.5" or "1e3" is a number but not an integer.
        if let next = rest[end...].first, next == "." || next == "e" || next == "E" { return nil }
        return (value, rest[end...])
    }

    /// The start of the body for a message, on one line.
    static func excerpt(_ answer: HTTPAnswer) -> String {
        let text = answer.text
        let short = text.count > 120 ? text.prefix(120) + "…" : text[...]
        return short.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
