import Foundation
import StackLabCore

/// Mosquitto's durability drill over MQTT 3.1.1: a persistent session (clean session 0, client id
/// `stacklab-durability`) subscribes to the drill's topic at QoS 1 and goes offline, so that the broker keeps what
/// is published for it; a producer publishes messages numbered 1, 2, … at QoS 1 at `rate` per second, each
/// confirmed by its PUBACK. After `killAfter` the broker is killed with SIGKILL through the supervisor, started
/// again from the same `mosquitto.conf` (store directory and port), and the session reconnects (clean session 0)
/// and takes what the broker delivers until nothing comes for a second.
///
/// A PUBACK says the broker took the message, not that it stored it. Without `persistence` the restarted broker
/// has forgotten the session and every confirmed message is lost. With it, Mosquitto writes its store
/// (`data/mosquitto.db`) only when it stops and every `autosave_interval` (1,800 s by default; the recipe does not
/// set it), so a SIGKILL a second into the drill loses every message confirmed since the last save, here all of
/// them; a shorter autosave interval would lose only what came after its last save. The drill reports what the
/// broker does.
///
/// The rate is half NATS's so that the offline session's queue stays under Mosquitto's `max_queued_messages`
/// (1,000 by default): what is over it is dropped before any crash.
enum MosquittoDurabilityDrill {
    static let topic = "stacklab/durability"
    static let sessionID = "stacklab-durability"
    static let producerID = "stacklab-durability-producer"
    static let rate = 500.0
    static let killAfter = Duration.seconds(1)

    static func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        let port = context.plan.port
        let subscriber = try MosquittoDrillConnection(
            port: port, clientID: sessionID, cleanSession: false, timeout: .seconds(5))
        try subscriber.subscribe(topic)
        subscriber.disconnect()
        let producer = try MosquittoDrillConnection(
            port: port, clientID: producerID, cleanSession: true, timeout: .seconds(5))
        let persistence = context.component.settings["persistence"] == "true"
        try await RecoveryDrills.crash(
            context, after: killAfter, mode: persistence ? "QoS 1, persistence on" : "QoS 1, no persistence",
            into: &record, producing: { publish(on: producer, until: $0) },
            consuming: {
                try consume(
                    MosquittoDrillConnection(port: port, clientID: sessionID, cleanSession: false, timeout: .seconds(1))
                )
            })
    }

    /// Publishes at `rate` until the connection breaks or `stop` is set, reading PUBACKs between messages.
    private static func publish(
        on connection: MosquittoDrillConnection, until stop: Locked<Bool>
    ) -> (published: Int, confirmed: Set<Int>) {
        // Packet identifiers wrap after 65,535 messages: each names its message until acknowledged.
        var waiting: [UInt16: Int] = [:]
        var confirmed = Set<Int>()
        let published = RecoveryDrills.paced(
            rate: rate, until: stop,
            send: { number in
                let packetID = UInt16((number - 1) % 65_535 + 1)
                try connection.publish(Array(String(number).utf8), to: topic, packetID: packetID)
                waiting[packetID] = number
            },
            confirm: { _, due in
                while let packet = try connection.nextPacket(before: due) {
                    guard packet.type == 4, packet.body.count == 2 else { continue }
                    let packetID = UInt16(packet.body[0]) << 8 | UInt16(packet.body[1])
                    if let number = waiting.removeValue(forKey: packetID) { confirmed.insert(number) }
                }
            })
        return (published, confirmed)
    }

    /// The message numbers the broker delivers to the session, each acknowledged, until none comes for a second.
    private static func consume(_ connection: MosquittoDrillConnection) throws -> [Int] {
        var numbers: [Int] = []
        while true {
            let packet: MosquittoDrillConnection.Packet
            do {
                packet = try connection.nextPacket()
            } catch is DrillSocket.TimedOut {
                break
            }
            guard let message = MosquittoDrillConnection.message(in: packet) else { continue }
            if let packetID = message.packetID { try connection.puback(packetID) }
            if let number = Int(String(decoding: message.payload, as: UTF8.self)) { numbers.append(number) }
        }
        connection.disconnect()
        return numbers
    }
}
