import Foundation
import Logging

/// Runs `body` with a new supervisor and stops all its children when `body` returns, throws, or its task is
/// cancelled; nothing it started outlives the call.
///
/// - Parameters:
///   - runDirectory: where the children's logs go; created if missing.
///   - grace: the time between SIGTERM and SIGKILL when stopping.
public func withSupervisor<Result>(
    runDirectory: URL, grace: Duration = .seconds(5), logger: Logger = Logger(label: "stacklab.local"),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ProcessSupervisor) async throws -> Result
) async throws -> Result {
    let supervisor = try ProcessSupervisor(runDirectory: runDirectory, grace: grace, logger: logger)
    let result: Result
    do {
        result = try await body(supervisor)
    } catch {
        await supervisor.stopAll()
        throw error
    }
    await supervisor.stopAll()
    return result
}
