import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The verifier's judgement of bytes, without a server.
struct AppVerifierJudgementTests {
    func answer(_ body: String, type: String = "application/json; charset=utf-8") -> HTTPAnswer {
        HTTPAnswer(
            status: 200,
            headers: [
                ("Server", "x"), ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("Content-Type", type),
                ("Content-Length", String(body.utf8.count)),
            ],
            body: Array(body.utf8))
    }

    @Test func rowsAreExactlyIdThenRandomNumberAsIntegers() {
        #expect(
            AppVerifier.rows(in: Array(#"[{"id":1,"randomNumber":2}, {"id": 3, "randomNumber": 4}]"#.utf8))
                == [.init(id: 1, randomNumber: 2), .init(id: 3, randomNumber: 4)])
        #expect(AppVerifier.rows(in: Array("[]".utf8)) == [])
        #expect(AppVerifier.rows(in: Array(#"[{"randomNumber":2,"id":1}]"#.utf8)) == nil)
        #expect(AppVerifier.rows(in: Array(#"[{"id":1.0,"randomNumber":2}]"#.utf8)) == nil)
        #expect(AppVerifier.rows(in: Array(#"[{"id":01,"randomNumber":2}]"#.utf8)) == nil)
        #expect(AppVerifier.rows(in: Array(#"[{"id":1,"randomNumber":2,"x":3}]"#.utf8)) == nil)
        #expect(AppVerifier.rows(in: Array(#"[{"id":1,"randomNumber":2}"#.utf8)) == nil)
        #expect(AppVerifier.row(in: Array(#"{"id":7,"randomNumber":8}"#.utf8)) == .init(id: 7, randomNumber: 8))
        #expect(AppVerifier.row(in: Array(#"[{"id":7,"randomNumber":8}]"#.utf8)) == nil)
    }

    @Test func rowCountsRangesAndDistinctIds() {
        let two = answer(#"[{"id":1,"randomNumber":2},{"id":1,"randomNumber":3}]"#)
        #expect(AppVerifier.rowsProblem(two, count: 2, distinct: false) == nil)
        #expect(AppVerifier.rowsProblem(two, count: 2, distinct: true)?.contains("ids repeat") == true)
        #expect(AppVerifier.rowsProblem(two, count: 1, distinct: false) == "expected 1 row, got 2")
        let outOfRange = answer(#"[{"id":1,"randomNumber":10001}]"#)
        #expect(AppVerifier.rowsProblem(outOfRange, count: 1, distinct: false)?.hasPrefix("row out of range") == true)
    }

    @Test func headersAreJudgedAsTechEmpowerDoes() {
        #expect(AppVerifier.headers(answer("[]"), rule: "r", type: .json).passed)
        #expect(AppVerifier.headers(answer("ok", type: "text/plain;charset=UTF-8"), rule: "r", type: .text).passed)
        #expect(AppVerifier.headers(answer("ok", type: "text/plain"), rule: "r", type: .text).passed)
        #expect(!AppVerifier.headers(answer("ok", type: "text/html"), rule: "r", type: .text).passed)
        #expect(!AppVerifier.headers(answer("ok", type: "text/plain; charset=latin1"), rule: "r", type: .text).passed)

        var wrongLength = answer("ok", type: "text/plain")
        wrongLength.headers[3].value = "3"
        let outcome = AppVerifier.headers(wrongLength, rule: "GET /health", type: .text)
        #expect(outcome.rule == "GET /health headers")
        #expect(outcome.failure == "Content-Length '3' but the body has 2 bytes")

        let bare = HTTPAnswer(status: 200, headers: [], body: [])
        #expect(
            AppVerifier.headers(bare, rule: "r", type: .text).failure
                == "no Server; no Date; no Content-Type; no Content-Length")
    }

    @Test func datesMustBeRFC1123InGMT() {
        #expect(AppVerifier.isRFC1123("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(!AppVerifier.isRFC1123("Sun, 6 Nov 1994 08:49:37 GMT"))
        #expect(!AppVerifier.isRFC1123("Sunday, 06-Nov-94 08:49:37 GMT"))
        #expect(!AppVerifier.isRFC1123("Sun, 06 Nov 1994 08:49:37 UTC"))
        #expect(!AppVerifier.isRFC1123(""))
    }

    @Test func jsonIsComparedWithoutWhitespaceBetweenTokens() {
        #expect(
            AppVerifier.compactJSON(Array("{ \"message\" :\n \"Hello, World!\" }".utf8))
                == #"{"message":"Hello, World!"}"#)
    }

    @Test func answersAreReadWhole() throws {
        let raw = "HTTP/1.1 200 OK\r\nServer: a\r\nContent-Length:  2 \r\n\r\nok"
        let answer = try LoopbackSocket.parse(Array(raw.utf8))
        #expect(answer.status == 200)
        #expect(answer.header("content-length") == "2")
        #expect(answer.text == "ok")
        #expect(throws: LoopbackSocket.Failure.self) { try LoopbackSocket.parse(Array("HTTP/1.1 200 OK\r\n".utf8)) }
    }
}

/// The verifier against servers that serve the API, and against servers that break one rule each.
@Suite(.serialized, .enabled(if: Tools.hasPython, "python3 is not installed (apt-get install python3)"))
struct AppVerifierTests {
    func withFakeApp<T>(_ fault: FakeApp.Fault, _ body: (Int) async throws -> T) async throws -> T {
        let directory = makeRunDirectory()
        return try await withSupervisor(runDirectory: directory) { supervisor in
            let port = try PortAllocator().next()
            let child = try await supervisor.start(
                try FakeApp.command(port: port, fault: fault, in: directory),
                readiness: .http(port: port, path: "/health"))
            let result = try await body(port)
            await supervisor.stop(child)
            #expect(!ProcessTree.isRunning(child.pid))
            return result
        }
    }

    func failedRules(_ outcomes: [AppVerifier.Outcome]) -> [String] {
        outcomes.filter { !$0.passed }.map(\.rule)
    }

    @Test func aCorrectAppPassesEveryRule() async throws {
        let outcomes = try await withFakeApp(.none) { port in
            var verifier = AppVerifier(port: port, database: .present)
            verifier.dateInterval = .milliseconds(1100)
            return try await verifier.run()
        }
        #expect(failedRules(outcomes).isEmpty, "\(outcomes.filter { !$0.passed })")
        let rules = outcomes.map(\.rule)
        #expect(rules.first == "GET /plaintext")
        #expect(rules.contains("GET /queries?queries=1000"))
        #expect(rules.contains("GET /bytes/1024") && rules.contains("GET /bytes/1k -> 404"))
        #expect(rules.contains("GET /updates?queries=foo headers"))
        #expect(rules.suffix(2) == ["/updates writes what it returns", "/updates changes every row"])
    }

    @Test func anAppWhoseUpdatesDoNotWriteFailsThatRule() async throws {
        let outcomes = try await withFakeApp(.noWrite) { port in
            var verifier = AppVerifier(port: port, database: .present)
            verifier.dateInterval = .milliseconds(1100)
            return try await verifier.run()
        }
        #expect(failedRules(outcomes).contains("/updates writes what it returns"))
        let failure = outcomes.first { $0.rule == "/updates writes what it returns" }?.failure ?? ""
        #expect(failure.contains("a later /queries read"), "\(failure)")
    }

    @Test func anAppThatDoesNotClampFailsTheClampingRules() async throws {
        let outcomes = try await withFakeApp(.noUpperClamp) { port in
            var verifier = AppVerifier(port: port, database: .present)
            verifier.dateInterval = .milliseconds(1100)
            return try await verifier.run()
        }
        let failed = failedRules(outcomes)
        #expect(failed.contains("GET /queries?queries=501"))
        #expect(failed.contains("GET /queries?queries=1000"))
        #expect(failed.contains("GET /updates?queries=1000"))
        #expect(!failed.contains("GET /queries?queries=500"))
        #expect(outcomes.first { $0.rule == "GET /queries?queries=1000" }?.failure == "expected 500 rows, got 1000")
    }

    @Test func anAppWithoutADatabaseAnswers503() async throws {
        let (without, with) = try await withFakeApp(.noDatabase) { port in
            var verifier = AppVerifier(port: port, database: .absent)
            verifier.dateInterval = .milliseconds(1100)
            let without = try await verifier.run()
            verifier.database = .present
            return (without, try await verifier.run())
        }
        #expect(failedRules(without).isEmpty, "\(without.filter { !$0.passed })")
        #expect(without.map(\.rule).contains("GET /updates?queries=2 without a database"))
        #expect(failedRules(with).contains("GET /db"))
    }

    /// A server that answers `Hello, World!` in text/plain to everything, with no Server or Date.
    @Test func aServerWithTheWrongBodiesFailsByRule() async throws {
        let server = try TestServer()
        var verifier = AppVerifier(port: server.port, database: .absent)
        verifier.dateInterval = .milliseconds(1100)
        let outcomes = try await verifier.run()
        let failed = failedRules(outcomes)
        #expect(!failed.contains("GET /plaintext"))
        #expect(failed.contains("GET /health"))
        #expect(failed.contains("GET /json"))
        #expect(failed.contains("GET /no-such-path -> 404"))
        #expect(failed.contains("GET /bytes/1024"))
        #expect(failed.contains("GET /plaintext headers"))
        let json = outcomes.first { $0.rule == "GET /json" }?.failure ?? ""
        #expect(json.contains("got 200 'Hello, World!'"), "\(json)")
        #expect(
            outcomes.first { $0.rule == "GET /plaintext headers" }?.failure?.hasPrefix("no Server; no Date") == true)

        let error = await #expect(throws: UserError.self) {
            try await verifier.requirePass(component: "app", variant: "direct")
        }
        let message = error?.message ?? ""
        #expect(message.contains("component 'app' does not serve the standard app API"), "\(message)")
        #expect(message.contains("variant 'direct' is not measured"), "\(message)")
        #expect(message.contains("\n  GET /json: expected 200"), "\(message)")

        // Chunked answers are read to their end and fail the headers rule; nothing waits for a timeout.
        server.set(.chunked)
        let clock = ContinuousClock()
        let started = clock.now
        let chunked = try await verifier.run()
        #expect(clock.now - started < .seconds(20))
        let headers = chunked.first { $0.rule == "GET /json headers" }?.failure ?? ""
        #expect(headers.contains("Transfer-Encoding 'chunked'") && headers.contains("no Content-Length"), "\(headers)")
        try await server.shutdown()
    }

    @Test func aServerThatIsNotThereFailsEveryRuleWithoutHanging() async throws {
        let port = try PortAllocator().next()
        var verifier = AppVerifier(port: port, database: .absent)
        verifier.dateInterval = .milliseconds(1100)
        let outcomes = try await verifier.run()
        #expect(outcomes.allSatisfy { !$0.passed })
        #expect(outcomes.first?.failure?.contains("Connection refused") == true)
    }

    /// A variant whose app breaks a rule is not measured: the stack does not start.
    @Test func aStackWithABrokenAppDoesNotStart() async throws {
        let directory = makeRunDirectory()
        let apps = try FakeApp.buildDirectory(fault: .noUpperClamp, in: directory)
        let app = Component(
            name: "app", kind: .app, runtime: .go,
            settings: ["build_dir": apps.path, "database_url": "postgres://unused@127.0.0.1:1/x"])
        let spec = ExperimentSpec(
            name: "broken", workload: Workload(requests: [.init(path: "/json")], arrival: .closedLoop),
            components: [app], variants: [Variant(name: "direct", stack: ["app"])])
        let error = await #expect(throws: UserError.self) {
            try await withSupervisor(runDirectory: directory.appendingPathComponent("run")) { supervisor in
                _ = try await LocalStack.start(
                    spec.variants[0], of: spec, supervisor: supervisor, ports: PortAllocator(),
                    binDirectory: directory, cpus: nil)
            }
        }
        let message = error?.message ?? ""
        #expect(message.contains("variant 'direct' is not measured"), "\(message)")
        #expect(message.contains("GET /queries?queries=1000: expected 500 rows, got 1000"), "\(message)")
        #expect(ProcessTree.processes(withArgument: apps.path).isEmpty)
    }
}
