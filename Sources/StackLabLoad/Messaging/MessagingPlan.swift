import StackLabCore

/// Who publishes and who listens where, whatever the broker: topic `t` is `<prefix>.<t>`, producer `p` publishes
/// to topic `p mod topics`, subscription `s` listens on topic `s / subscriptions per topic`.
enum MessagingPlan {
    /// Topic `topic`'s name: `<prefix>.<topic>` (a NATS subject, an AMQP routing key, an MQTT topic).
    static func topicName(_ messaging: Workload.Messaging, topic: Int) -> String {
        "\(messaging.subjectPrefix).\(topic)"
    }

    /// The topic of producer `producer` (global number): producers are spread over the topics in turn.
    static func topic(ofProducer producer: Int, topics: Int) -> Int { producer % topics }

    /// The producers (global numbers) that publish to `topic`.
    static func producers(ofTopic topic: Int, _ messaging: Workload.Messaging) -> [Int] {
        (0..<messaging.producers).filter { self.topic(ofProducer: $0, topics: messaging.topics) == topic }
    }

    /// What subscription `subscription` should receive: every message its topic's producers sent.
    static func expected(ofSubscription subscription: Int, _ messaging: Workload.Messaging, sent: [Int]) -> Int {
        producers(ofTopic: subscription / messaging.subscriptionsPerTopic, messaging).reduce(0) { $0 + sent[$1] }
    }
}
