import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The redis recipe with a real redis-server: what it writes, what it starts, what it leaves.
@Suite(.serialized, .enabled(if: RedisServer.isInstalled, "\(RedisServer.missing)"))
struct RedisRecipeTests {
    func component(settings: [String: String] = [:], memory: Int? = 256 * 1_048_576) -> Component {
        Component(
            name: "cache", kind: .redis, settings: settings,
            resources: memory.map { Resources(both: .init(cpu: 1, memory: $0)) })
    }

    @Test func configurationFollowsTheAllocationAndPersistsNothing() throws {
        let directory = URL(fileURLWithPath: "/tmp/run/cache")
        let text = try RedisRecipe.configuration(component(), port: 26379, directory: directory)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("bind 127.0.0.1"))
        #expect(lines.contains("port 26379"))
        #expect(lines.contains("dir \"/tmp/run/cache\""))
        #expect(lines.contains("save \"\""))
        #expect(lines.contains("appendonly no"))
        // 80% of 256Mi.
        #expect(lines.contains("maxmemory \(256 * 1_048_576 * 8 / 10)"))
        #expect(lines.contains("maxmemory-policy noeviction"))
        #expect(!text.contains("requirepass"))

        let unbounded = try RedisRecipe.configuration(component(memory: nil), port: 1, directory: directory)
        #expect(!unbounded.contains("maxmemory "))
        let aof = try RedisRecipe.configuration(
            component(settings: ["persistence": "aof", "maxmemory": "64Mi", "password": "pw"]), port: 1,
            directory: directory)
        #expect(aof.contains("appendonly yes") && aof.contains("maxmemory 67108864") && aof.contains("requirepass pw"))
    }

    @Test func badSettingsAreUserErrors() {
        let error = #expect(throws: UserError.self) {
            try RedisRecipe.configuration(
                component(settings: ["persistance": "rdb"]), port: 1, directory: URL(fileURLWithPath: "/tmp"))
        }
        #expect(
            error?.message
                == "component 'cache': unknown setting 'persistance'; redis takes persistence, password, maxmemory, maxmemory_policy, backup"
        )
        #expect(throws: UserError.self) {
            try RedisRecipe.configuration(
                component(settings: ["persistence": "always"]), port: 1, directory: URL(fileURLWithPath: "/tmp"))
        }
    }

    @Test func startsEmptyServesAndStopsWithoutLeftovers() async throws {
        let directory = makeRunDirectory()
        let port = try PortAllocator().next()
        let plan = try ComponentRecipe.plan(
            component(), port: port, upstreamPort: nil, binDirectory: directory, runDirectory: directory, cpus: nil)
        #expect(plan.readiness == .tcp(port: port))
        #expect(plan.version.hasPrefix("7.") || plan.version.hasPrefix("6."), "\(plan.version)")
        let supervisor = try ProcessSupervisor(runDirectory: directory)
        let child = try await supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(20))

        #expect(try RedisServer.cli(port: port, ["DBSIZE"]) == "0")
        let pairs = (0..<1_000).flatMap { ["key:\($0)", "value \($0)"] }
        #expect(try RedisServer.cli(port: port, ["MSET"] + pairs) == "OK")
        #expect(try RedisServer.cli(port: port, ["DBSIZE"]) == "1000")
        #expect(
            try RedisServer.cli(port: port, ["CONFIG", "GET", "maxmemory"]).hasSuffix("\(256 * 1_048_576 * 8 / 10)"))
        #expect(
            try RedisServer.cli(port: port, ["CONFIG", "GET", "dir"]).hasSuffix(
                directory.appendingPathComponent("cache").path))

        _ = await supervisor.stop(child)
        #expect(!ProcessTree.isRunning(child.pid))
        #expect(supervisor.running.isEmpty)
        // Nothing persisted: no snapshot, no append-only file.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cache").path)
        #expect(files == ["redis.conf"], "\(files)")
    }
}
