import Foundation
import StackLabCore

/// Backs up and restores the database components of a running stack that ask for it (`backup:`), and
/// checks that every restored copy holds the source's data; crashes and restarts the brokers that ask for a
/// durability drill (`durability: true`) and counts the confirmed messages they lost.
///
/// Each method is its own drill: a drill that fails (a tool missing, a copy that never answers) is recorded
/// with the reason and the others still run. Every process a drill starts (a second PostgreSQL cluster, a
/// second redis-server) is started through the variant's supervisor and stopped before the drill returns.
public enum RecoveryDrills {
    /// Called with the restored copy before it is compared with the source; tests use it to tamper with the
    /// copy and see the mismatch reported.
    public typealias RestoredHook = @Sendable (RestoredCopy) throws -> Void

    /// Where a restored copy can be reached while it is being checked.
    public struct RestoredCopy: Sendable {
        public var method: String
        public var port: Int
        /// The database holding the copy (PostgreSQL, MariaDB), nil for Redis.
        public var database: String?
    }

    /// Runs every drill the components of `stack` ask for, in stack order.
    ///
    /// - Parameter directory: where backups are written (`<directory>/<component>.backup/`).
    public static func run(
        _ stack: LocalStack, variant: String, supervisor: ProcessSupervisor, ports: PortAllocator,
        directory: URL? = nil, afterRestore: RestoredHook? = nil
    ) async throws -> [RecoveryDrill] {
        var drills: [RecoveryDrill] = []
        for running in stack.components {
            for method in try BackupSetting.methods(of: running.plan.component)
                + DurabilitySetting.methods(of: running.plan.component)
            {
                try Task.checkCancellation()
                let context = Context(
                    plan: running.plan, process: running.process, variant: variant, method: method,
                    supervisor: supervisor, ports: ports,
                    directory: (directory ?? supervisor.runDirectory).appendingPathComponent(
                        "\(running.plan.component.name).backup"),
                    afterRestore: afterRestore)
                drills.append(await drill(context))
            }
        }
        return drills
    }

    /// What one drill works with.
    public struct Context: Sendable {
        var plan: LocalComponentPlan
        /// The component's running server, which a durability drill kills.
        var process: ChildProcess
        var variant: String
        var method: String
        var supervisor: ProcessSupervisor
        var ports: PortAllocator
        /// Where its backup goes; created by the drill.
        var directory: URL
        var afterRestore: RestoredHook?

        var component: Component { plan.component }

        /// An empty drill record for this component and method, to fill in.
        var record: RecoveryDrill {
            RecoveryDrill(
                variant: variant, component: component.name, kind: component.kind.rawValue, method: method)
        }
    }

    private static func drill(_ context: Context) async -> RecoveryDrill {
        var record = context.record
        do {
            try FileManager.default.createDirectory(at: context.directory, withIntermediateDirectories: true)
            guard let kind = LocalComponents.kind(context.component.kind) else {
                throw LocalComponents.noRecipe(context.component)
            }
            try await kind.drill(context, into: &record)
        } catch {
            record.failure = (error as? UserError)?.message ?? "\(error)"
        }
        return record
    }

    /// Seconds that `body` takes, with its result.
    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return (value, (clock.now - start).seconds)
    }

    /// Starts the server of a restored copy under `supervisor` and waits (at most 120 s) until `answers`; a copy
    /// that exits or never answers is stopped and reported as `what` with the end of its `log`.
    static func startCopy(
        _ command: LaunchCommand, supervisor: ProcessSupervisor, what: String, log: KeyPath<ChildProcess, URL>,
        answers: () throws -> Bool
    ) async throws -> ChildProcess {
        let child = try await supervisor.start(command)
        do {
            let answered = try await waitUntil(timeout: .seconds(120)) { try child.exitStatus != nil || answers() }
            guard answered, child.exitStatus == nil else {
                throw UserError(
                    "\(what) did not answer: "
                        + LogTail.lastLines(of: child[keyPath: log], count: 3).joined(separator: " / "))
            }
        } catch {
            await supervisor.stop(child)
            throw error
        }
        return child
    }

    /// Polls `answers` every 20 ms until it returns true; false when `timeout` passes first.
    static func waitUntil(timeout: Duration, _ answers: () throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try answers() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try answers()
    }
}
