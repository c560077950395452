import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad

/// The engine against a real redis-server that each test starts; serialized because they measure time.
@Suite(.serialized, .enabled(if: RedisServer.isInstalled, "\(RedisServer.missing)"))
struct RedisLoadTests {
    func options(
        _ url: String, mix: Workload.KeyValue.Mix = .ycsbA, records: Int = 1_000, pipeline: Int = 1,
        rate: Double? = nil, seconds: Double = 1, connections: Int = 4
    ) throws -> LoadOptions {
        var options = LoadOptions(target: try TargetURL(parsing: url))
        options.keyValue = Workload.KeyValue(mix: mix, records: records, valueSize: 100, pipeline: pipeline)
        options.connections = connections
        options.threads = 1
        options.durationNanoseconds = Int64(seconds * 1e9)
        options.timeoutNanoseconds = 2_000_000_000
        if let rate {
            options.arrival = .openLoop(.constant(rate: rate, nanoseconds: options.durationNanoseconds))
        }
        return options
    }

    @Test func closedLoopLoadsTheRecordsThenRunsTheMix() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let run = try await LoadEngine(options: try options("redis://127.0.0.1:\(server.port)", records: 5_000))
            .run()
        let result = run.result
        #expect(try server.command("DBSIZE") == "5000")
        #expect(result.dataLoad?.records == 5_000)
        #expect((result.dataLoad?.bytes ?? 0) > 5_000 * 100)
        #expect(result.errors.total == 0)
        #expect(result.requests.completed > 100)
        #expect(result.target.method == "YCSB-A")
        // Workload A: about half reads (values) and half updates (+OK); every key read was loaded.
        let reads = Double(result.replies?.value ?? 0)
        let updates = Double(result.replies?.ok ?? 0)
        #expect(abs(reads / (reads + updates) - 0.5) < 0.05, "reads \(reads), updates \(updates)")
        #expect(result.replies?.null == 0)
        #expect(result.statusCodes.isEmpty)
        #expect(result.latency.p50 > 0)
        #expect(run.latency.totalCount == UInt64(result.requests.completed))
    }

    @Test func openLoopReachesItsRateWithWorkloadC() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let result = try await LoadEngine(
            options: try options("redis://127.0.0.1:\(server.port)", mix: .ycsbC, rate: 500, seconds: 2)
        ).run().result
        #expect(result.arrival.model == "open")
        #expect(result.requests.completed == 1_000)
        #expect(result.requests.unsent == 0)
        #expect(result.errors.total == 0)
        #expect(result.replies?.ok == 0, "workload C only reads")
    }

    @Test func pipeliningKeepsSeveralRequestsInFlight() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let flat = try await LoadEngine(options: try options("redis://127.0.0.1:\(server.port)", connections: 1))
            .run().result
        let piped = try await LoadEngine(
            options: try options("redis://127.0.0.1:\(server.port)", pipeline: 16, connections: 1)
        ).run().result
        #expect(piped.errors.total == 0)
        // One connection with 16 in flight does far more than one with one in flight: a wide margin.
        #expect(
            piped.achievedRate > 2 * flat.achievedRate, "pipelined \(piped.achievedRate), flat \(flat.achievedRate)")
    }

    @Test func droppedConnectionsAreCountedErrorsNotAHang() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let engine = LoadEngine(
            options: try options("redis://127.0.0.1:\(server.port)", pipeline: 4, seconds: 3, connections: 4))
        async let run = engine.run()
        try await Task.sleep(for: .milliseconds(1_500))
        let killed = try server.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
        let result = try await run.result
        #expect(Int(killed) ?? 0 >= 4, "CLIENT KILL answered \(killed)")
        #expect(result.errors.read > 0, "errors \(result.errors)")
        #expect(result.errors.timeout == 0)
        // The connections came back and the run went on to its end.
        #expect(result.series.last?.second == 3)
        #expect((result.series.last?.requests ?? 0) > 0)
    }

    @Test func aWrongPasswordIsAClearError() async throws {
        let server = try RedisServer(password: "s3cret")
        defer { server.stop() }
        await #expect(throws: UserError.self) {
            try await LoadEngine(options: try options("redis://:wrong@127.0.0.1:\(server.port)")).run()
        }
        do {
            _ = try await LoadEngine(options: try options("redis://:wrong@127.0.0.1:\(server.port)")).run()
        } catch let error as UserError {
            #expect(error.message.contains("refused the password"), "\(error.message)")
            #expect(!error.message.contains("wrong"), "the password must not be shown: \(error.message)")
        }
        do {
            _ = try await LoadEngine(options: try options("redis://127.0.0.1:\(server.port)")).run()
            Issue.record("a run without the password should fail")
        } catch let error as UserError {
            #expect(error.message.contains("requires a password"), "\(error.message)")
        }
        let result = try await LoadEngine(options: try options("redis://:s3cret@127.0.0.1:\(server.port)")).run()
            .result
        #expect(result.errors.total == 0)
        #expect(result.requests.completed > 0)
        #expect(result.target.url == "redis://:***@127.0.0.1:\(server.port)")
    }

    @Test func nothingListeningIsAClearError() async throws {
        let port = try FreePort.next()
        do {
            _ = try await LoadEngine(options: try options("redis://127.0.0.1:\(port)")).run()
            Issue.record("expected an error")
        } catch let error as UserError {
            #expect(error.message.hasPrefix("cannot connect to redis at 127.0.0.1:\(port)"), "\(error.message)")
        }
    }
}
