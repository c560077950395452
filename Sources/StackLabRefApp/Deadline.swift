/// Runs `operation`, or throws `RefAppError(message)` (exit code 1) if it has not finished after `limit`.
///
/// Start-up work runs before Hummingbird's server exists, where a shutdown signal cannot reach it, so
/// it must end by itself: PostgresNIO's pool otherwise retries an unreachable server for about a minute.
func withDeadline<T: Sendable>(
    _ limit: Duration,
    message: @autoclosure () -> String,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let result: T? = try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
    guard let result else { throw RefAppError(message(), exitCode: RefAppError.runtimeExitCode) }
    return result
}
