import Foundation
import StackLabCore

extension RecoveryDrills {
    /// The crash every broker's durability drill takes, counted into `record`: `produce` runs on a thread of its
    /// own with a stop flag; after `killAfter` the component's server is killed with SIGKILL through the supervisor
    /// (which cuts the producer off) and the flag set; the server is started again from the same command, on the
    /// same store directory and port, and waited for (at most 60 s); then `consume` takes back the message numbers
    /// the restarted server delivers, in order, and they are counted against what was confirmed.
    static func crash(
        _ context: Context, after killAfter: Duration, mode: String, into record: inout RecoveryDrill,
        producing produce: @escaping @Sendable (Locked<Bool>) -> (published: Int, confirmed: Set<Int>),
        consuming consume: @escaping @Sendable () throws -> [Int]
    ) async throws {
        let stop = Locked(false)
        async let produced = onThread { produce(stop) }
        // Killed and stopped even when the drill is cancelled: the producer would otherwise never end.
        try? await Task.sleep(for: killAfter)
        context.supervisor.kill(context.process)
        stop.withLock { $0 = true }
        let (published, confirmed) = await produced
        try Task.checkCancellation()
        let (_, restartSeconds) = try await timed {
            try await context.supervisor.start(
                context.plan.command, readiness: context.plan.readiness, timeout: .seconds(60))
        }
        let deliveries = try await onThread(consume)
        record.restoreSeconds = restartSeconds
        record.durability = MessageDurability.count(
            mode: mode, published: published, confirmed: confirmed, deliveries: deliveries,
            restartSeconds: restartSeconds)
    }

    /// Hands message numbers 1, 2, … to `send` at `rate` per second until `stop` is set or the connection breaks
    /// (`send` or `confirm` throws). After each message `confirm` is given its number and the time the next one is
    /// due, and reads the broker's answers until then: several messages may wait for their confirmation at once,
    /// so a broker that confirms in batches does not slow the rate.
    ///
    /// - Returns: how many messages were sent.
    static func paced(
        rate: Double, until stop: Locked<Bool>, send: (Int) throws -> Void,
        confirm: (Int, ContinuousClock.Instant) throws -> Void
    ) -> Int {
        let start = ContinuousClock.now
        var published = 0
        while !stop.withLock({ $0 }) {
            do {
                try send(published + 1)
                published += 1
                try confirm(published, start + .seconds(Double(published) / rate))
            } catch {
                break
            }
        }
        return published
    }

    /// Runs blocking `body` on a thread of its own, off the concurrency pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
    }
}
