import ArgumentParser
import StackLabCore
import StackLabLoad
import StackLabLocal
import StackLabReport

/// `stacklab verify URL`: checks a running app against the standard app API, rule by rule.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a running app on this machine against the standard app API (docs/app-api.md).",
        discussion: """
            Sends the checklist of docs/app-api.md to the app at URL (http://127.0.0.1:PORT): bodies, the \
            Server, Date, Content-Type and Content-Length headers, the clamping of ?queries=, the rows of /db, \
            and whether /updates writes and changes rows (judged from later /queries and /updates answers; it \
            changes rows as /updates does). Prints one line per rule; exits 1 when a rule fails.
            """
    )

    @Argument(help: "The app's base URL on the loopback interface, e.g. http://127.0.0.1:8080.")
    var url: String

    @Flag(help: "The app runs without a database: /db, /queries and /updates must answer 503.")
    var noDatabase = false

    @Option(help: "Seconds between the two answers whose Date header must differ.")
    var dateInterval: Double = 2

    func run() async throws {
        let target = try TargetURL(parsing: url)
        guard !target.tls else {
            throw UserError("\(MessageText.quoted(url)): verify speaks plain HTTP; give the app's http:// URL")
        }
        guard ["127.0.0.1", "localhost"].contains(target.host.lowercased()) else {
            throw UserError(
                "\(MessageText.quoted(url)): verify checks apps on this machine only; use http://127.0.0.1:PORT")
        }
        guard target.pathAndQuery == "/" else {
            throw UserError(
                "\(MessageText.quoted(url)): give the app's base URL without a path, e.g. http://127.0.0.1:\(target.port)"
            )
        }
        guard dateInterval >= 1.1 else {
            throw UserError("--date-interval \(dateInterval): at least 1.1 s, since Date counts whole seconds")
        }
        var verifier = AppVerifier(port: target.port, database: noDatabase ? .absent : .present)
        verifier.dateInterval = .milliseconds(Int(dateInterval * 1000))
        let outcomes = try await verifier.run()
        print(Self.table(outcomes))
        let failed = outcomes.filter { !$0.passed }.count
        print("\(outcomes.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitStatus(code: 1) }
    }

    /// One line per rule: the rule, `ok` or `FAIL`, and the reason of a failure, in lined-up columns.
    static func table(_ outcomes: [AppVerifier.Outcome]) -> String {
        var table = TextTable(leftAligned: 3)
        for outcome in outcomes {
            table.add([outcome.rule] + (outcome.failure.map { ["FAIL", $0] } ?? ["ok"]))
        }
        return table.render()
    }
}
