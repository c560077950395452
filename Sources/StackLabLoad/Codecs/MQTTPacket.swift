/// The MQTT 3.1.1 control packets a client sends and receives, as values: what the broker tests and the
/// messaging workload's MQTT client speak. `encoded()` gives a packet's bytes; `MQTTPacketParser` reads them
/// back from a byte stream.
enum MQTTPacket: Equatable, Sendable {
    case connect(Connect)
    case connack(sessionPresent: Bool, returnCode: ConnectReturnCode)
    case publish(Publish)
    /// QoS 1: the receiver has the message.
    case puback(packetID: UInt16)
    /// QoS 2, first answer: the receiver has the message.
    case pubrec(packetID: UInt16)
    /// QoS 2: the sender may forget the message.
    case pubrel(packetID: UInt16)
    /// QoS 2: the exchange is complete.
    case pubcomp(packetID: UInt16)
    case subscribe(packetID: UInt16, subscriptions: [Subscription])
    /// One code per subscription: the QoS granted (0, 1, 2) or 0x80 for a refusal.
    case suback(packetID: UInt16, returnCodes: [UInt8])
    case pingreq
    case pingresp
    case disconnect

    /// Delivery guarantees: at most once, at least once, exactly once.
    enum QoS: UInt8, Sendable, Equatable, CaseIterable {
        case atMostOnce = 0
        case atLeastOnce = 1
        case exactlyOnce = 2
    }

    /// A client's CONNECT (protocol level 4, no will message).
    struct Connect: Equatable, Sendable {
        var clientID: String
        var cleanSession = true
        /// Seconds; 0 turns the broker's keep-alive check off.
        var keepAlive: UInt16 = 60
        var user: String?
        var password: [UInt8]?
    }

    /// An application message; `packetID` is set for QoS 1 and 2 only.
    struct Publish: Equatable, Sendable {
        var topic: String
        var payload: [UInt8]
        var qos: QoS = .atMostOnce
        var packetID: UInt16?
        var retain = false
        /// Set on a QoS 1 or 2 message sent again.
        var duplicate = false
    }

    /// A topic filter and the highest QoS the subscriber accepts on it.
    struct Subscription: Equatable, Sendable {
        var topicFilter: String
        var qos: QoS
    }

    /// CONNACK's answer to a CONNECT.
    struct ConnectReturnCode: RawRepresentable, Equatable, Sendable, CustomStringConvertible {
        var rawValue: UInt8

        static let accepted = Self(rawValue: 0)
        static let unacceptableProtocolVersion = Self(rawValue: 1)
        static let identifierRejected = Self(rawValue: 2)
        static let serverUnavailable = Self(rawValue: 3)
        static let badUserNameOrPassword = Self(rawValue: 4)
        static let notAuthorized = Self(rawValue: 5)

        /// What the code means, for the one line a user reads.
        var description: String {
            switch rawValue {
            case 0: "connection accepted"
            case 1: "unacceptable protocol version"
            case 2: "client identifier rejected"
            case 3: "server unavailable"
            case 4: "bad user name or password"
            case 5: "not authorized"
            default: "return code \(rawValue)"
            }
        }
    }

    /// The packet type, the high nibble of the first byte.
    var typeCode: UInt8 {
        switch self {
        case .connect: 1
        case .connack: 2
        case .publish: 3
        case .puback: 4
        case .pubrec: 5
        case .pubrel: 6
        case .pubcomp: 7
        case .subscribe: 8
        case .suback: 9
        case .pingreq: 12
        case .pingresp: 13
        case .disconnect: 14
        }
    }
}
