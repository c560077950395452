extension LoadResult {
    /// What a messaging run measured beside the publish latency (``LoadResult/latency``: from each message's
    /// intended send time until the broker acknowledged it) and the publish delay (``GeneratorCheck`` send lag:
    /// the gap between intended and actual send): end-to-end latency, rates in and out, and exact accounting of
    /// every message, by subscription.
    public struct Messaging: Codable, Sendable, Equatable {
        public var topics: Int
        public var producers: Int
        public var consumers: Int
        /// Payload bytes of each message.
        public var messageSize: Int
        /// What counts as published: `pong` (core NATS: the PING/PONG after each message, the server has taken
        /// it), `puback` (a JetStream acknowledgement, or MQTT QoS 1), `pingresp` (MQTT QoS 0, as `pong`), `pubcomp` (MQTT QoS 2),
        /// `basic.ack` (an AMQP publisher confirm).
        public var acknowledgement: String
        /// Messages handed to a connection, in every phase (warm-up included): the accounting's base.
        public var sent: Int
        /// Messages due in the measured window that the broker acknowledged.
        public var acknowledged: Int
        /// Messages due in the measured window and acknowledged, per second, and their payload in MB/s (10^6 B).
        public var messagesInPerSecond: Double
        public var megabytesInPerSecond: Double
        /// Messages delivered to consumers whose intended send fell in the measured window, per second, over all
        /// subscriptions, and their payload in MB/s.
        public var messagesOutPerSecond: Double
        public var megabytesOutPerSecond: Double
        /// From each message's intended send time (stamped in it) to its delivery to a consumer, messages of
        /// the measured window only.
        public var endToEnd: LatencySummary
        /// Every subscription's accounting, in topic order.
        public var subscriptions: [Subscription]
        /// Flow control: the broker stopped reading the producers' publishes (RabbitMQ's `Connection.Blocked`,
        /// under a memory or disk alarm); nil when it never did.
        public var blocked: Blocked?

        /// Times a broker blocked the producers (a producer's connection each time), seconds blocked summed over
        /// the producers, and the first reason it gave (`low on memory`).
        public struct Blocked: Codable, Sendable, Equatable {
            public var times: Int
            public var seconds: Double
            public var reason: String

            public init(times: Int, seconds: Double, reason: String) {
                self.times = times
                self.seconds = seconds
                self.reason = reason
            }
        }

        public init(
            topics: Int, producers: Int, consumers: Int, messageSize: Int, acknowledgement: String, sent: Int,
            acknowledged: Int, messagesInPerSecond: Double, megabytesInPerSecond: Double,
            messagesOutPerSecond: Double, megabytesOutPerSecond: Double, endToEnd: LatencySummary,
            subscriptions: [Subscription], blocked: Blocked? = nil
        ) {
            self.blocked = blocked
            self.topics = topics
            self.producers = producers
            self.consumers = consumers
            self.messageSize = messageSize
            self.acknowledgement = acknowledgement
            self.sent = sent
            self.acknowledged = acknowledged
            self.messagesInPerSecond = messagesInPerSecond
            self.megabytesInPerSecond = megabytesInPerSecond
            self.messagesOutPerSecond = messagesOutPerSecond
            self.megabytesOutPerSecond = megabytesOutPerSecond
            self.endToEnd = endToEnd
            self.subscriptions = subscriptions
        }

        /// Messages lost, duplicated and out of order over every subscription.
        public var lost: Int { subscriptions.reduce(0) { $0 + $1.lost } }
        public var duplicated: Int { subscriptions.reduce(0) { $0 + $1.duplicated } }
        public var outOfOrder: Int { subscriptions.reduce(0) { $0 + $1.outOfOrder } }

        /// One subscription's accounting against the messages its topic's producers sent.
        public struct Subscription: Codable, Sendable, Equatable {
            /// The subject it listens on, and its queue group when it has several consumers.
            public var subject: String
            public var consumers: Int
            /// Messages its topic's producers sent.
            public var expected: Int
            /// Messages delivered to it, duplicates included.
            public var received: Int
            /// Sent and not delivered to it by the end of the run's wait for late messages: dropped, or still
            /// queued for a consumer that cannot keep up.
            public var lost: Int
            /// Delivered more than once.
            public var duplicated: Int
            /// Delivered after a later message of the same producer, per consumer.
            public var outOfOrder: Int
            /// Its consumers' connections that ended before the run did (a broker that stopped, a slow
            /// consumer cut off).
            public var disconnects: Int
            /// Error lines the broker sent its consumers (`Slow Consumer`), the first of them in ``lastError``.
            public var brokerErrors: Int
            public var lastError: String?

            public init(
                subject: String, consumers: Int, expected: Int, received: Int, lost: Int, duplicated: Int,
                outOfOrder: Int, disconnects: Int, brokerErrors: Int, lastError: String?
            ) {
                self.subject = subject
                self.consumers = consumers
                self.expected = expected
                self.received = received
                self.lost = lost
                self.duplicated = duplicated
                self.outOfOrder = outOfOrder
                self.disconnects = disconnects
                self.brokerErrors = brokerErrors
                self.lastError = lastError
            }
        }
    }
}
