import Foundation
import StackLabCore

/// RabbitMQ's durability drill: a producer on a channel in confirm mode publishes persistent messages (delivery
/// mode 2) numbered 1, 2, … at `rate` per second to a durable queue of the component's `queue_type` (classic or
/// quorum) through the default exchange. A message is confirmed by its `Basic.Ack` (a `Basic.Nack` is not);
/// several may wait for theirs at once, since RabbitMQ confirms a persistent message once it is on disk, in
/// batches. After `killAfter` the node is killed with SIGKILL through the supervisor (its epmd with it), started
/// again on the same mnesia directory and ports, and the queue is emptied with `Basic.Get` and counted against
/// what was confirmed.
enum RabbitMQDurabilityDrill {
    static let queue = "stacklab.durability"
    static let rate = 1_000.0
    static let killAfter = Duration.seconds(1)
    /// How long the queue's declaration settles before the first message.
    static let declarationSettle = Duration.seconds(3)
    /// How long the restarted node may refuse the queue (a queue still being recovered) before a missing queue
    /// counts as lost.
    static let recoveryTimeout = Duration.seconds(30)

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        let port = context.plan.port
        let settings = context.component.settings
        let type = settings["queue_type"] ?? "classic"
        let connect = { @Sendable (timeout: Duration) in
            try RabbitMQDrillConnection(
                port: port, user: settings["user"] ?? RabbitMQRecipe.defaultUser, password: settings["password"] ?? "",
                timeout: timeout)
        }
        let producer = try connect(.seconds(10))
        try producer.declare(queue, type: type)
        // A deployment's queues exist long before a crash; the drill measures what happens to confirmed messages,
        // so it lets the queue's declaration reach the node's schema store before publishing (once in two runs
        // here, a durable classic queue declared a second before the kill was gone after the restart).
        try await Task.sleep(for: declarationSettle)
        try await RecoveryDrills.crash(
            context, after: killAfter, mode: mode(queueType: type), into: &record,
            producing: { publish(on: producer, until: $0) }, consuming: { try consume(connect) })
    }

    /// How the drill's messages were kept, as reports show it.
    static func mode(queueType: String) -> String {
        queueType == "quorum" ? "quorum queue, persistent messages" : "durable classic queue, persistent messages"
    }

    /// Publishes at `rate` until the connection breaks or `stop` is set, reading confirmations between messages.
    /// Delivery tags count the channel's publishes from 1, so a message's tag is its number.
    private static func publish(
        on connection: RabbitMQDrillConnection, until stop: Locked<Bool>
    ) -> (published: Int, confirmed: Set<Int>) {
        var waiting = Set<Int>()
        var confirmed = Set<Int>()
        let published = RecoveryDrills.paced(
            rate: rate, until: stop,
            send: { number in
                try connection.publish(Array(String(number).utf8), to: queue)
                waiting.insert(number)
            },
            confirm: { _, due in
                while let answer = try connection.nextAnswer(before: due) {
                    switch answer {
                    case .ack(let tag, let multiple), .nack(let tag, let multiple):
                        let last = Int(tag)
                        let answered = multiple ? waiting.filter { $0 <= last } : waiting.intersection([last])
                        waiting.subtract(answered)
                        if case .ack(_, _) = answer { confirmed.formUnion(answered) }
                    default:
                        break
                    }
                }
            })
        return (published, confirmed)
    }

    /// The message numbers the restarted node hands out, in order, until the queue is empty. A refusal (the queue
    /// not yet recovered) is tried again on a new connection until `recoveryTimeout`; a queue still not found then
    /// is gone, and so are its messages.
    private static func consume(_ connect: (Duration) throws -> RabbitMQDrillConnection) throws -> [Int] {
        let deadline = ContinuousClock.now + recoveryTimeout
        var numbers: [Int] = []
        while true {
            do {
                let connection = try connect(.seconds(10))
                while let body = try connection.get(from: queue) {
                    if let number = Int(String(decoding: body, as: UTF8.self)) { numbers.append(number) }
                }
                return numbers
            } catch is RabbitMQDrillConnection.Refusal where ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.5)
            } catch let refusal as RabbitMQDrillConnection.Refusal where refusal.code == 404 {
                return numbers
            }
        }
    }
}
