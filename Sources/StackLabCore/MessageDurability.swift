/// What a messaging broker kept across a crash: messages published with acknowledgements at a steady rate, the
/// broker killed with SIGKILL mid-run and restarted on the same store and port, then everything consumed back.
///
/// A message is confirmed when the broker acknowledged it (a JetStream `PubAck`, RabbitMQ's `Basic.Ack`, an MQTT
/// `PUBACK`; for core NATS, which has no acknowledgements, the server's `PONG` after it). Lost counts confirmed
/// messages never delivered after the restart: a broker that loses any fails the drill, however fast it is.
public struct MessageDurability: Sendable, Equatable, Codable {
    /// How the broker kept them: `JetStream file storage`, `core NATS (no storage)`, `quorum queue, persistent
    /// messages`, `QoS 1, persistence on`.
    public var mode: String
    /// Messages sent before the kill cut the producer off.
    public var published: Int
    /// Messages the broker confirmed before the kill.
    public var confirmed: Int
    /// Distinct messages consumed after the restart.
    public var delivered: Int
    /// Confirmed messages never delivered after the restart.
    public var lost: Int
    /// Deliveries of a message already delivered.
    public var duplicated: Int
    /// Deliveries of a message older than one delivered before it.
    public var outOfOrder: Int
    /// Seconds from the kill until the restarted broker answered.
    public var restartSeconds: Double

    public init(
        mode: String, published: Int, confirmed: Int, delivered: Int, lost: Int, duplicated: Int, outOfOrder: Int,
        restartSeconds: Double
    ) {
        self.mode = mode
        self.published = published
        self.confirmed = confirmed
        self.delivered = delivered
        self.lost = lost
        self.duplicated = duplicated
        self.outOfOrder = outOfOrder
        self.restartSeconds = restartSeconds
    }

    /// Counts `deliveries` (message numbers in the order consumed) against the `confirmed` message numbers.
    public static func count(
        mode: String, published: Int, confirmed: Set<Int>, deliveries: [Int], restartSeconds: Double
    ) -> MessageDurability {
        var seen = Set<Int>()
        var duplicated = 0
        var outOfOrder = 0
        var highest = Int.min
        for number in deliveries {
            if !seen.insert(number).inserted {
                duplicated += 1
                continue
            }
            if number < highest { outOfOrder += 1 }
            highest = max(highest, number)
        }
        return MessageDurability(
            mode: mode, published: published, confirmed: confirmed.count, delivered: seen.count,
            lost: confirmed.subtracting(seen).count, duplicated: duplicated, outOfOrder: outOfOrder,
            restartSeconds: restartSeconds)
    }

    /// No confirmed message lost.
    public var passed: Bool { lost == 0 }
}
