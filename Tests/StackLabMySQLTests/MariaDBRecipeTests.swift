import Foundation
import NIOCore
import NIOPosix
import StackLabCore
import StackLabLocal
import StackLabTestSupport
import Testing

/// The `mariadb` component: an empty server from nothing, its my.cnf, and nothing left after it stops.
@Suite(.serialized, .enabled(if: TestMariaDB.isInstalled, "MariaDB is not installed (apt-get install mariadb-server)"))
struct MariaDBRecipeTests {
    func component(settings: [String: String] = [:], memory: Int? = 256 * 1_048_576) -> Component {
        Component(
            name: "db", kind: .mariadb, settings: settings,
            resources: memory.map { Resources(both: .init(cpu: 1, memory: $0)) })
    }

    @Test func configurationFollowsTheAllocationAndSettings() throws {
        let directory = URL(fileURLWithPath: "/tmp/run")
        let plan = try ComponentRecipe.plan(
            component(settings: ["innodb_flush_log_at_trx_commit": "2", "max_connections": "50"]), port: 1,
            upstreamPort: nil,
            binDirectory: directory,
            runDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                "stacklab-mysql-tests/config-\(UUID().uuidString.prefix(8))"), cpus: nil)
        let text = try #require(plan.configFiles.first { $0.fileName == "my.cnf" }?.text)
        #expect(text.contains("bind-address = 127.0.0.1\n"))
        #expect(text.contains("innodb_buffer_pool_size = \(128 * 1_048_576)\n"))
        #expect(text.contains("innodb_flush_log_at_trx_commit = 2\n") && text.contains("max_connections = 50\n"))
        // A password is made for the run and carried by the plan for the workloads.
        #expect(plan.component.settings["password"]?.count == 24)
        let error = #expect(throws: UserError.self) {
            try ComponentRecipe.plan(
                component(settings: ["innodb_flush_log_at_trx_commit": "3"]), port: 1, upstreamPort: nil,
                binDirectory: directory, runDirectory: directory, cpus: nil)
        }
        #expect(error?.message == "component 'db': innodb_flush_log_at_trx_commit '3' is not one of 0, 1, 2")
    }

    @Test func startsEmptyServesAndStopsWithoutLeftovers() async throws {
        let (server, supervisor, child) = try await TestMariaDB.start(component(settings: ["password": "given-pw.1"]))
        #expect(server.password == "given-pw.1")
        let connection = try await server.connect()
        let tables = try await connection.query(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'stacklab'")
        #expect(tables.rows == [[.int(0)]])
        let pool = try await connection.query("SELECT @@innodb_buffer_pool_size, @@bind_address, @@datadir")
        #expect(pool.rows.first?[0] == .int(128 * 1_048_576))
        #expect(pool.rows.first?[1] == .text("127.0.0.1"))
        #expect(pool.rows.first?[2].text?.hasPrefix(server.runDirectory.path) == true)
        await connection.close()

        await supervisor.stop(child)
        #expect(ProcessTree.processes(withArgument: server.runDirectory.path).isEmpty)
        #expect(supervisor.running.isEmpty)
    }
}

extension MariaDBRecipeTests {
    /// A my.cnf that mariadbd rejects: it exits, and the error shows its log's tail.
    @Test func serverThatCannotStartShowsItsLogTail() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-mysql-tests/broken-\(UUID().uuidString.prefix(8))")
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        let file = directory.appendingPathComponent("db/my.cnf")
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "innodb_no_such_setting = 1\n").write(to: file, atomically: true, encoding: .utf8)
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let error = await #expect(throws: UserError.self) {
            try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        }
        #expect(error?.message.contains("before it was ready") == true, "\(String(describing: error))")
        #expect(error?.message.contains("innodb_no_such_setting") == true, "\(String(describing: error))")
        #expect(supervisor.running.isEmpty)
        #expect(ProcessTree.processes(withArgument: directory.path).isEmpty)
    }
}

extension MariaDBRecipeTests {
    /// The readiness probe wants a MySQL greeting: a listener that says something else is not ready.
    @Test func readinessWantsAMySQLGreeting() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-mysql-tests/probe-\(UUID().uuidString.prefix(8))")
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        #expect(plan.readiness == .mysql(port: port))
        #expect(plan.readiness.check()?.contains("Connection refused") == true)
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        #expect(plan.readiness.check() == nil)
        await supervisor.stop(child)
        #expect(plan.readiness.check()?.contains("Connection refused") == true)
        // Something that speaks first but is not MySQL.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Greeter()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { listener.close(promise: nil) }
        let other = try #require(listener.localAddress?.port)
        #expect(ReadinessProbe.mysql(port: other).check() == "the answer is not a MySQL greeting")
    }
}

/// Says an SSH server's first line to each connection.
final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2\r\n")), promise: nil)
    }
}

extension MariaDBRecipeTests {
    /// The init file holds the password: only its owner may read it, or enter its directory.
    @Test func theInitFileWithThePasswordIsPrivate() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-mysql-tests/modes-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try ComponentRecipe.plan(
            component(), port: 1, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        let initFile = directory.appendingPathComponent("db/init.sql").path
        #expect(try String(contentsOfFile: initFile, encoding: .utf8).contains(plan.component.settings["password"]!))
        let mode = { (path: String) in
            (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(mode(initFile) == 0o600)
        #expect(mode(directory.appendingPathComponent("db").path) == 0o700)
    }
}
