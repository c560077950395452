import StackLabRefApp
import Testing

struct RefAppConfigurationTests {
    @Test func defaults() throws {
        let configuration = try RefAppConfiguration(arguments: [], environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.threads == nil)
        #expect(configuration.database == .sqlite(path: "refapp.sqlite"))
    }

    @Test func flagsWithSeparateAndAttachedValues() throws {
        let configuration = try RefAppConfiguration(
            arguments: ["--port", "18181", "--host=0.0.0.0", "--threads", "3", "--db-path=/tmp/w.sqlite"],
            environment: [:]
        )
        #expect(configuration.port == 18181)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.threads == 3)
        #expect(configuration.database == .sqlite(path: "/tmp/w.sqlite"))
    }

    @Test func environmentFillsWhatFlagsLeaveOut() throws {
        let environment = ["PORT": "9000", "HOST": "127.0.0.2", "DB_PATH": "/tmp/env.sqlite"]
        let fromEnvironment = try RefAppConfiguration(arguments: [], environment: environment)
        #expect(fromEnvironment.port == 9000)
        #expect(fromEnvironment.host == "127.0.0.2")
        #expect(fromEnvironment.database == .sqlite(path: "/tmp/env.sqlite"))

        let flagsWin = try RefAppConfiguration(
            arguments: ["--port", "9001", "--db-path", "a.sqlite"], environment: environment)
        #expect(flagsWin.port == 9001)
        #expect(flagsWin.database == .sqlite(path: "a.sqlite"))
    }

    @Test func databaseURLSelectsPostgres() throws {
        let configuration = try RefAppConfiguration(
            arguments: [],
            environment: [
                "DATABASE_URL": "postgres://bench:s%40cret@127.0.0.1:5433/hello_world", "DB_PATH": "x.sqlite",
            ]
        )
        guard case .postgres(let url) = configuration.database else {
            Issue.record("expected PostgreSQL, got \(configuration.database)")
            return
        }
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5433)
        #expect(url.username == "bench")
        #expect(url.password == "s@cret")
        #expect(url.database == "hello_world")
        #expect(url.tls == .disable)
        #expect(configuration.database.displayName == "postgres 127.0.0.1:5433/hello_world")

        let pathWins = try RefAppConfiguration(
            arguments: ["--db-path", "x.sqlite"],
            environment: ["DATABASE_URL": "postgres://bench@127.0.0.1/db"]
        )
        #expect(pathWins.database == .sqlite(path: "x.sqlite"))
    }

    @Test func postgresURLDefaultsAndTLSModes() throws {
        let plain = try PostgresURL(parsing: "postgresql://bench@localhost")
        #expect(plain.port == 5432)
        #expect(plain.password == nil)
        #expect(plain.database == nil)
        #expect(try PostgresURL(parsing: "postgres://u@h/db?sslmode=require").tls == .require)
        #expect(try PostgresURL(parsing: "postgres://u@h/db?sslmode=verify-full").tls == .verifyFull)
    }

    @Test(arguments: [
        ["--verbose"], ["8080"], ["--port"], ["--port", "http"], ["--port", "70000"], ["--threads", "0"],
        ["--host", ""], ["--db-path", "a", "--database-url", "postgres://u@h/db"],
        ["--database-url", "mysql://u@h/db"],
        ["--database-url", "postgres://h/db"], ["--database-url", "postgres://u@h/db?sslmode=bogus"],
    ])
    func badArgumentsAreUsageErrors(arguments: [String]) {
        let error = #expect(throws: RefAppError.self) {
            try RefAppConfiguration(arguments: arguments, environment: [:])
        }
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains("\n") == false, "one line on stderr")
    }

    /// `--delay`, the known regression a gate's tests inject: a duration with a unit, at most 10 s.
    @Test func delayTakesADurationWithAUnit() throws {
        #expect(try RefAppConfiguration(arguments: [], environment: [:]).delay == .zero)
        #expect(try RefAppConfiguration(arguments: ["--delay", "2ms"], environment: [:]).delay == .milliseconds(2))
        #expect(try RefAppConfiguration(arguments: ["--delay=250us"], environment: [:]).delay == .microseconds(250))
        for bad in ["2", "fast", "-1ms", "11s"] {
            let error = #expect(throws: RefAppError.self) {
                try RefAppConfiguration(arguments: ["--delay", bad], environment: [:])
            }
            #expect(error?.message.contains("--delay '\(bad)'") == true, "\(error?.message ?? "")")
        }
    }

    @Test func unknownArgumentIsNamed() {
        let error = #expect(throws: RefAppError.self) {
            try RefAppConfiguration(arguments: ["--port", "1", "--frobnicate"], environment: [:])
        }
        #expect(error?.message.contains("--frobnicate") == true)
    }

    @Test func badEnvironmentIsNamed() {
        let error = #expect(throws: RefAppError.self) {
            try RefAppConfiguration(arguments: [], environment: ["PORT": "eighty"])
        }
        #expect(error?.message.contains("PORT") == true)
    }

    @Test func helpIsRecognised() {
        #expect(RefAppConfiguration.isHelpRequest(["--help"]))
        #expect(RefAppConfiguration.isHelpRequest(["--port", "1", "-h"]))
        #expect(!RefAppConfiguration.isHelpRequest(["--port", "1"]))
    }

    @Test func readinessLineNamesAddressAndDatabase() {
        let sqlite = RefAppConfiguration(port: 18181, database: .sqlite(path: "/tmp/refapp-test.sqlite"))
        #expect(
            RefApp.readinessLine(configuration: sqlite, port: 18181)
                == "stacklab-refapp listening on http://127.0.0.1:18181 (sqlite /tmp/refapp-test.sqlite)"
        )
    }
}
