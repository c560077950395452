/// Bytes that are not a frame of the protocol a parser reads (an MQTT packet, an AMQP frame), said in one line.
struct FramingError: Error, Equatable, CustomStringConvertible {
    /// The protocol, `MQTT` or `AMQP`.
    var wireProtocol: String
    var message: String

    var description: String { "\(wireProtocol): \(message)" }
}
