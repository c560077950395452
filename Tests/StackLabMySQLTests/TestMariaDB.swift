import Foundation
import NIOCore
import NIOPosix
import StackLabCore
import StackLabLocal
import StackLabMySQL
import Testing

/// A MariaDB started with the `mariadb` recipe for the tests of one suite, stopped when the suite ends.
struct TestMariaDB: Sendable {
    @TaskLocal static var current: TestMariaDB?

    static var isInstalled: Bool {
        ["/usr/sbin/mariadbd", "/usr/bin/mariadbd"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var port: Int
    var password: String
    var runDirectory: URL

    func connect(password: String? = nil) async throws -> MySQLConnection {
        try await MySQLConnection.connect(
            host: "127.0.0.1", port: port, user: "stacklab", password: password ?? self.password,
            database: "stacklab", on: MultiThreadedEventLoopGroup.singleton.any())
    }

    /// Plans and starts a component, returning the server, its supervisor and its process.
    static func start(_ component: Component) async throws -> (TestMariaDB, ProcessSupervisor, ChildProcess) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-mysql-tests/\(UUID().uuidString.prefix(8))")
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component, port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        let supervisor = try ProcessSupervisor(runDirectory: directory, grace: .seconds(20))
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        let server = TestMariaDB(
            port: port, password: plan.component.settings["password"] ?? "", runDirectory: directory)
        return (server, supervisor, child)
    }
}

/// Starts one MariaDB around a whole suite: `@Suite(.mariaDB)`, then `TestMariaDB.current` in its tests.
struct MariaDBScope: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard TestMariaDB.isInstalled else { return try await function() }
        let component = Component(
            name: "db", kind: .mariadb, resources: Resources(both: .init(cpu: 1, memory: 256 * 1_048_576)))
        let (server, supervisor, child) = try await TestMariaDB.start(component)
        do {
            try await TestMariaDB.$current.withValue(server) { try await function() }
        } catch {
            await supervisor.stop(child)
            throw error
        }
        await supervisor.stop(child)
    }
}

extension Trait where Self == MariaDBScope {
    static var mariaDB: Self { MariaDBScope() }
}
