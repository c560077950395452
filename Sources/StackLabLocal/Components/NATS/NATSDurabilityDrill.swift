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
        try await RecoveryDrills.crash(
            context, after: killAfter, mode: jetstream ? "JetStream file storage" : "core NATS (no storage)",
            into: &record, producing: { publish(on: producer, jetstream: jetstream, until: $0) },
            consuming: { try consume(on: try connect(.seconds(1)), jetstream: jetstream) })
        if jetstream {
            _ = try? connect(.seconds(1)).request("$JS.API.STREAM.DELETE.\(stream)", "", inbox: "_INBOX.drill.delete")
        }
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
        var confirmed = Set<Int>()
        let published = RecoveryDrills.paced(
            rate: rate, until: stop,
            send: { number in
                try connection.publish(
                    subject, reply: jetstream ? inbox(number) : nil, payload: Array(String(number).utf8))
            },
            confirm: { number, due in
                if jetstream {
                    guard let ack = try connection.nextDelivery() else { throw DrillSocket.TimedOut() }
                    let text = String(decoding: ack.payload, as: UTF8.self)
                    if ack.subject == inbox(number) && text.contains(#""seq""#) && !text.contains(#""error""#) {
                        confirmed.insert(number)
                    }
                } else {
                    try connection.flush()
                    confirmed.insert(number)
                }
                // One message at a time: each waits for its acknowledgement, then for its turn.
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
            })
        return (published, confirmed)
    }

    /// Where message `number`'s `PubAck` comes.
    private static func inbox(_ number: Int) -> String { "_INBOX.drill.\(number)" }

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
}
