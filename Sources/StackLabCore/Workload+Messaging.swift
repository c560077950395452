extension Workload {
    /// The messaging side of a workload (`protocol: nats`, `mqtt` or `amqp`), in the OpenMessaging Benchmark's terms: topics, producers
    /// and subscriptions per topic, consumers per subscription, a message size and the producers' rate.
    ///
    /// Each subscription receives every message of its topic (fan-out); the consumers of one subscription share
    /// its messages (a queue group). The arrival model (`rate`) is the producers' total publish rate, open loop.
    public struct Messaging: Sendable, Equatable, Codable {
        /// Topics (NATS subjects `<subjectPrefix>.0`, `.1`, …).
        public var topics: Int
        public var producersPerTopic: Int
        public var subscriptionsPerTopic: Int
        public var consumersPerSubscription: Int
        /// Bytes of each message's payload, the 24-byte stamp (producer, sequence, intended send time) included.
        public var messageSize: Int
        /// Messages a producer may have published and not yet had acknowledged.
        public var inFlight: Int
        public var subjectPrefix: String
        /// Headers sent with every message (NATS `HPUB`); none by default (`PUB`).
        public var headers: [Header]
        /// NATS JetStream: a stream per topic (file storage), each message published until its acknowledgement
        /// (`PubAck`), each subscription a pull consumer; false is core NATS.
        public var jetstream: Bool
        /// Messages a consumer handles per second at most (it reads no faster: a slow consumer); nil for as fast
        /// as they come.
        public var consumerRate: Double?
        /// MQTT's quality of service for publishing and subscribing: 0 (at most once), 1 (at least once: a
        /// message may be delivered twice), 2 (exactly once); nil for NATS.
        public var qos: Int?
        /// AMQP: the deliveries a consumer may hold unacknowledged (`Basic.Qos` prefetch); nil for the others.
        public var prefetch: Int?
        /// AMQP: messages published persistent (delivery mode 2, written to disk by the queue) rather than
        /// transient; nil for the others.
        public var persistent: Bool?

        /// AMQP's prefetch when the workload names none: enough to keep a consumer busy over a round trip.
        public static let defaultPrefetch = 100

        /// The smallest message: the stamp every message starts with.
        public static let minimumMessageSize = 24

        public init(
            topics: Int = 1, producersPerTopic: Int = 1, subscriptionsPerTopic: Int = 1,
            consumersPerSubscription: Int = 1, messageSize: Int = 1_024, inFlight: Int = 256,
            subjectPrefix: String = "stacklab", headers: [Header] = [], consumerRate: Double? = nil,
            jetstream: Bool = false, qos: Int? = nil, prefetch: Int? = nil, persistent: Bool? = nil
        ) {
            self.qos = qos
            self.prefetch = prefetch
            self.persistent = persistent
            self.jetstream = jetstream
            self.headers = headers
            self.consumerRate = consumerRate
            self.topics = topics
            self.producersPerTopic = producersPerTopic
            self.subscriptionsPerTopic = subscriptionsPerTopic
            self.consumersPerSubscription = consumersPerSubscription
            self.messageSize = messageSize
            self.inFlight = inFlight
            self.subjectPrefix = subjectPrefix
        }

        /// Every producer of every topic: one connection each.
        public var producers: Int { topics * producersPerTopic }
        public var subscriptions: Int { topics * subscriptionsPerTopic }

        /// One line: `1 topic, 1 producer and 4 subscriptions per topic, 1 KiB messages`.
        public var summary: String {
            let consumers = consumersPerSubscription > 1 ? " of \(consumersPerSubscription) consumers" : ""
            return "\(topics) topic\(topics == 1 ? "" : "s"), \(producersPerTopic) producer"
                + "\(producersPerTopic == 1 ? "" : "s") and \(subscriptionsPerTopic) subscription"
                + "\(subscriptionsPerTopic == 1 ? "" : "s")\(consumers) per topic, \(messageSize) B messages"
                + (jetstream ? ", JetStream" : "") + (qos.map { ", QoS \($0)" } ?? "")
                + (persistent.map { $0 ? ", persistent" : ", transient" } ?? "")
        }

        /// Whether `prefix` can start an MQTT topic to publish to: not empty, no wildcard (`+`, `#`), no `$` first.
        public static func isMQTTTopic(_ prefix: String) -> Bool {
            !prefix.isEmpty && !prefix.hasPrefix("$") && !prefix.contains("+") && !prefix.contains("#")
                && prefix.utf8.count < 60_000
        }

        /// Whether `prefix` can start an AMQP exchange and queue name: letters, digits, `-`, `_`, `.` and `:`, not
        /// RabbitMQ's reserved `amq.`, short enough for the queue names made from it (AMQP short strings).
        public static func isAMQPName(_ prefix: String) -> Bool {
            !prefix.isEmpty && !prefix.hasPrefix("amq.") && prefix.utf8.count <= 200
                && prefix.utf8.allSatisfy { byte in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                        || "-_.:".utf8.contains(byte)
                }
        }

        /// Whether `subject` is a NATS subject a producer may publish to: dot-separated tokens of printable
        /// characters, no spaces, no wildcards.
        public static func isSubject(_ subject: String) -> Bool {
            !subject.isEmpty
                && subject.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { token in
                    !token.isEmpty && token != "*" && token != ">"
                        && token.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 }
                }
        }
    }
}
