import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The postgres recipe with a real PostgreSQL: a fresh cluster in the run directory, sized from the
/// component's memory, and nothing left when it stops.
@Suite(
    .serialized,
    .enabled(
        if: PostgresRecipe.binDirectory() != nil
            && ExecutableLookup.find("psql", includeSystemDirectories: true) != nil,
        "PostgreSQL is not installed (apt-get install postgresql)"))
struct PostgresRecipeTests {
    func component(settings: [String: String] = [:], memory: Int? = 256 * 1_048_576) -> Component {
        Component(
            name: "db", kind: .postgres, settings: settings,
            resources: memory.map { Resources(both: .init(cpu: 1, memory: $0)) })
    }

    /// The answer to `sql` as user postgres with `password` (the plan's), or psql's error.
    func psql(_ port: Int, _ sql: String, password: String?) -> String {
        let tools = PostgresBackup.Tools(bin: PostgresRecipe.binDirectory()!, password: password)
        do {
            return try tools.sql(port: port, database: "postgres", sql)
        } catch {
            return (error as? UserError)?.message ?? "\(error)"
        }
    }

    @Test func configurationFollowsTheAllocation() throws {
        let text = try PostgresRecipe.configuration(component(), port: 25999)
        #expect(text.contains("listen_addresses = '127.0.0.1'\nport = 25999\n"))
        #expect(text.contains("shared_buffers = 65536kB"))
        #expect(text.contains("effective_cache_size = 196608kB"))
        let tuned = try PostgresRecipe.configuration(
            component(settings: ["shared_buffers": "32Mi", "fsync": "off", "max_connections": "50"], memory: nil),
            port: 1)
        #expect(tuned.contains("shared_buffers = 32768kB") && tuned.contains("fsync = off"))
        #expect(tuned.contains("max_connections = 50") && !tuned.contains("effective_cache_size"))
        let error = #expect(throws: UserError.self) {
            try PostgresRecipe.configuration(component(settings: ["fsync": "maybe"]), port: 1)
        }
        #expect(error?.message == "component 'db': fsync 'maybe' is not one of on, off")
    }

    @Test func startsFromNothingServesAndStopsWithoutLeftovers() async throws {
        let directory = makeRunDirectory()
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        #expect(plan.version.first?.isNumber == true, "\(plan.version)")
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        for scratch in plan.scratchDirectories { supervisor.removeWhenStopped(scratch) }
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
        let password = plan.component.settings["password"]
        func psql(_ port: Int, _ sql: String) -> String { self.psql(port, sql, password: password) }
        // The port opens before the cluster accepts queries; wait for the first answer.
        var answer = ""
        for _ in 0..<100 {
            answer = psql(port, "SHOW shared_buffers")
            if answer == "64MB" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(answer == "64MB")
        let data = directory.appendingPathComponent("db/data").resolvingSymlinksInPath().path
        #expect(psql(port, "SHOW data_directory") == data)
        #expect(psql(port, "SELECT count(*) FROM pg_database WHERE datname = 'postgres'") == "1")
        #expect(psql(port, "CREATE TABLE t AS SELECT generate_series(1, 1000) AS id") == "SELECT 1000")
        #expect(psql(port, "SELECT count(*) FROM t") == "1000")

        _ = await supervisor.stop(child)
        #expect(!ProcessTree.isRunning(child.pid))
        #expect(ProcessTree.processes(withArgument: data).isEmpty)
        #expect(supervisor.running.isEmpty)
        await supervisor.stopAll()
        for scratch in plan.scratchDirectories { #expect(!FileManager.default.fileExists(atPath: scratch.path)) }
    }

    /// As root, PostgreSQL runs as user postgres, which cannot enter a 0700 directory of root's (the default
    /// `~/.stacklab/runs` under `/root`): the cluster goes to a postgres-owned scratch directory, linked from
    /// the run directory and removed when the stack stops.
    @Test(.enabled(if: getuid() == 0, "only root hands the cluster to user postgres"))
    func runsUnderAPrivateDirectoryAndRemovesItsCluster() async throws {
        let home = makeRunDirectory().appendingPathComponent("private-home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: home.path)
        let directory = home.appendingPathComponent("runs/run-1/variant")
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        let scratch = try #require(plan.scratchDirectories.first)
        let data = directory.appendingPathComponent("db/data").resolvingSymlinksInPath().path
        #expect(data.hasPrefix(scratch.path))
        try await withSupervisor(runDirectory: directory) { supervisor in
            for scratch in plan.scratchDirectories { supervisor.removeWhenStopped(scratch) }
            _ = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
            var answer = ""
            for _ in 0..<100 {
                answer = psql(port, "SELECT 40 + 2", password: plan.component.settings["password"])
                if answer == "42" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer == "42")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        #expect(ProcessTree.processes(withArgument: data).isEmpty)
    }
}

extension PostgresRecipeTests {
    /// Nobody else on the machine gets in: a login without the run's password is refused; with it, it works.
    @Test func aLoginWithoutTheRunsPasswordIsRefused() async throws {
        let directory = makeRunDirectory()
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        let password = try #require(plan.component.settings["password"])
        #expect(password.count == 24)
        // initdb's password file is gone once the cluster is made.
        let files = FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []
        #expect(!files.contains { $0.hasSuffix("initdb.pw") }, "\(files)")
        try await withSupervisor(runDirectory: directory) { supervisor in
            for scratch in plan.scratchDirectories { supervisor.removeWhenStopped(scratch) }
            _ = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(30))
            var answer = ""
            for _ in 0..<100 {
                answer = psql(port, "SELECT 40 + 2", password: password)
                if answer == "42" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer == "42")
            let refused = psql(port, "SELECT 1", password: nil)
            #expect(refused.contains("password") && refused != "1", "\(refused)")
            #expect(psql(port, "SELECT 1", password: "wrong-password").contains("password authentication failed"))
        }
    }
}
