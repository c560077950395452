import Yams

extension SpecReader {
    static let messagingKeys = [
        "topics", "producers_per_topic", "subscriptions_per_topic", "consumers_per_subscription", "message_size",
        "in_flight", "subject_prefix", "consumer_rate", "jetstream", "qos", "prefetch", "persistent",
    ]
    /// The messaging keys (and `headers`) that only one protocol takes.
    static let messagingKeyProtocols: [String: Workload.WireProtocol] = [
        "jetstream": .nats, "headers": .nats, "qos": .mqtt, "prefetch": .amqp, "persistent": .amqp,
    ]

    /// The keys of a `protocol: nats`, `mqtt` or `amqp` workload, each with its default; the producers (topics ×
    /// producers per topic) are its connections and must fit this machine's limit, as `connections:` does.
    mutating func messaging(_ fields: SpecFields, wireProtocol: Workload.WireProtocol) -> Workload.Messaging? {
        let mqtt = wireProtocol == .mqtt
        let amqp = wireProtocol == .amqp
        let defaults = Workload.Messaging()
        func count(_ key: String, _ fallback: Int, maximum: Int = 10_000) -> Int? {
            fields[key].map { wholeNumber($0, fields.path(key), minimum: 1, maximum: maximum) } ?? fallback
        }
        let topics = count("topics", defaults.topics)
        let producers = count("producers_per_topic", defaults.producersPerTopic)
        let subscriptions = count("subscriptions_per_topic", defaults.subscriptionsPerTopic)
        let consumers = count("consumers_per_subscription", defaults.consumersPerSubscription)
        let inFlight = count("in_flight", defaults.inFlight, maximum: InputLimits.pipeline)
        let size =
            fields["message_size"].map {
                wholeNumber(
                    $0, fields.path("message_size"), minimum: Workload.Messaging.minimumMessageSize,
                    maximum: 64 * 1_048_576)
            } ?? defaults.messageSize
        var prefix: String? = defaults.subjectPrefix
        if let node = fields["subject_prefix"], let text = text(node, fields.path("subject_prefix")) {
            prefix = text
            if amqp && !Workload.Messaging.isAMQPName(text) {
                report(
                    node, fields.path("subject_prefix"),
                    "not an exchange name to publish to: letters, digits, - _ . and :, not starting with amq., "
                        + "e.g. bench.orders")
                prefix = nil
            } else if mqtt && !Workload.Messaging.isMQTTTopic(text) {
                report(
                    node, fields.path("subject_prefix"),
                    "not an MQTT topic to publish to: no + or #, not starting with $, e.g. bench/orders")
                prefix = nil
            } else if wireProtocol == .nats && !Workload.Messaging.isSubject(text) {
                report(
                    node, fields.path("subject_prefix"),
                    "not a subject to publish to: dot-separated tokens, no spaces, no * or >, e.g. bench.orders")
                prefix = nil
            }
        }
        let headers = fields["headers"].map { self.headers($0, fields.path("headers")) } ?? []
        var consumerRate: Double?
        var consumerRateRead = true
        if let node = fields["consumer_rate"] {
            consumerRate = rate(node, fields.path("consumer_rate"))
            consumerRateRead = consumerRate != nil
        }
        let jetstream = fields["jetstream"].map { bool($0, fields.path("jetstream")) } ?? false
        let qos = fields["qos"].map { wholeNumber($0, fields.path("qos"), minimum: 0, maximum: 2) } ?? 1
        let prefetch =
            fields["prefetch"].map { wholeNumber($0, fields.path("prefetch"), minimum: 1, maximum: 65_535) }
            ?? Workload.Messaging.defaultPrefetch
        let persistent = fields["persistent"].map { bool($0, fields.path("persistent")) } ?? true
        guard let topics, let producers, let subscriptions, let consumers, let inFlight, let size, let prefix,
            let headers, consumerRateRead, let jetstream,
            let qos, let prefetch, let persistent
        else {
            return nil
        }
        let limits = MachineLimits.current
        if topics * (producers + subscriptions * consumers) > limits.connections {
            report(
                fields.keyNode("topics") ?? fields.keyNode("producers_per_topic"), fields.path("topics"),
                "topics × (producers + subscriptions × consumers) is \(topics * (producers + subscriptions * consumers)) "
                    + "connections, more than this machine allows (\(limits.connections): \(limits.connectionsReason))")
            return nil
        }
        return Workload.Messaging(
            topics: topics, producersPerTopic: producers, subscriptionsPerTopic: subscriptions,
            consumersPerSubscription: consumers, messageSize: size, inFlight: inFlight, subjectPrefix: prefix,
            headers: headers, consumerRate: consumerRate, jetstream: jetstream, qos: mqtt ? qos : nil,
            prefetch: amqp ? prefetch : nil, persistent: amqp ? persistent : nil)
    }
}
