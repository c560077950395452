import Foundation
import StackLabCore

/// NATS's durability drill: a producer publishes numbered messages at `rate` per second, each until the server
/// confirms it (a JetStream `PubAck` on the drill's stream; core NATS's `PONG`), the server is killed with SIGKILL
/// through the supervisor after `killAfter`, started again on the same configuration (store directory and port),
/// and everything the stream holds is consumed back and counted against what was confirmed.
enum NATSDurabilityDrill {
    static let subject = "stacklab.durability"
    static let stream = "STACKLAB_DURABILITY"
    static let deliverSubject = "stacklab.durability.deliver"
    static let rate = 1_000.0
    static let killAfter = Duration.seconds(1)

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        let plan = context.plan
        let settings = context.component.settings
        let jetstream = settings["jetstream"] == "true"
        let connect = { @Sendable (timeout: Duration) in
            try NATSDrillConnection(
                port: plan.port, user: settings["user"], password: settings["password"], timeout: timeout)
        }
        if jetstream { try makeStream(try connect(.seconds(5))) }
        let producer = try connect(.seconds(2))
        let stop = Locked(false)
        async let produced = onThread { publish(on: producer, jetstream: jetstream, until: stop) }
        try await Task.sleep(for: killAfter)
        context.supervisor.kill(context.process)
        stop.withLock { $0 = true }
        let (published, confirmed) = await produced

        let (_, restartSeconds) = try await RecoveryDrills.timed {
            try await context.supervisor.start(plan.command, readiness: plan.readiness, timeout: .seconds(60))
        }
        let consumer = try connect(.seconds(1))
        let deliveries = try await onThread { try consume(on: consumer, jetstream: jetstream) }
        record.restoreSeconds = restartSeconds
        record.durability = MessageDurability.count(
            mode: jetstream ? "JetStream file storage" : "core NATS (no storage)", published: published,
            confirmed: confirmed, deliveries: deliveries, restartSeconds: restartSeconds)
        if jetstream { _ = try? consumer.request("$JS.API.STREAM.DELETE.\(stream)", "", inbox: "_INBOX.drill.delete") }
    }

    /// Makes the drill's stream afresh: file storage, the drill's subject.
    private static func makeStream(_ connection: NATSDrillConnection) throws {
        _ = try connection.request("$JS.API.STREAM.DELETE.\(stream)", "", inbox: "_INBOX.drill.delete")
        let config = #"{"name":"\#(stream)","subjects":["\#(subject)"],"storage":"file"}"#
        let answer = try connection.request("$JS.API.STREAM.CREATE.\(stream)", config, inbox: "_INBOX.drill.create")
        if answer.contains(#""error""#) {
            throw UserError("JetStream refused the durability drill's stream: \(answer)")
        }
    }

    /// Publishes message 1, 2, … at `rate`, each until confirmed, until the connection breaks or `stop` is set.
    private static func publish(
        on connection: NATSDrillConnection, jetstream: Bool, until stop: Locked<Bool>
    ) -> (published: Int, confirmed: Set<Int>) {
        let clock = ContinuousClock()
        let start = clock.now
        var published = 0
        var confirmed = Set<Int>()
        for number in 1... {
            if stop.withLock({ $0 }) { break }
            let intended = start + .seconds(Double(number - 1) / rate)
            if intended > clock.now { Thread.sleep(forTimeInterval: (intended - clock.now).seconds) }
            do {
                if jetstream {
                    let inbox = "_INBOX.drill.\(number)"
                    try connection.publish(subject, reply: inbox, payload: Array(String(number).utf8))
                    published += 1
                    guard let ack = try connection.nextDelivery() else { break }
                    let text = String(decoding: ack.payload, as: UTF8.self)
                    if ack.subject == inbox && text.contains(#""seq""#) && !text.contains(#""error""#) {
                        confirmed.insert(number)
                    }
                } else {
                    try connection.publish(subject, payload: Array(String(number).utf8))
                    published += 1
                    try connection.flush()
                    confirmed.insert(number)
                }
            } catch {
                break
            }
        }
        return (published, confirmed)
    }

    /// The message numbers the restarted server delivers, in order, until none comes for a second.
    private static func consume(on connection: NATSDrillConnection, jetstream: Bool) throws -> [Int] {
        if jetstream {
            try connection.send("SUB \(deliverSubject) 2\r\n")
            let config =
                #"{"stream_name":"\#(stream)","config":{"deliver_subject":"\#(deliverSubject)","#
                + #""deliver_policy":"all","ack_policy":"none"}}"#
            let inbox = "_INBOX.drill.consumer"
            try connection.publish("$JS.API.CONSUMER.CREATE.\(stream)", reply: inbox, payload: Array(config.utf8))
        } else {
            try connection.send("SUB \(subject) 2\r\n")
            try connection.flush()
        }
        var numbers: [Int] = []
        while let delivery = try connection.nextDelivery() {
            let text = String(decoding: delivery.payload, as: UTF8.self)
            if delivery.subject.hasPrefix("_INBOX.") {
                // The stream gone with the crash is a loss to count; any other refusal ends the drill.
                if text.contains(#""error""#) && !text.contains("not found") {
                    throw UserError("JetStream refused the durability drill's consumer: \(text)")
                }
                continue
            }
            if let number = Int(text) { numbers.append(number) }
        }
        return numbers
    }

    /// Runs blocking `body` on a thread of its own, off the concurrency pool.
    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
    }
}
