import StackLabCore

/// A messaging run's result section from what the producers sent (``PublishLedger``) and what each subscription
/// received (``SubscriptionTally``): exact accounting per subscription, end-to-end latency, rates in and out.
/// Protocol-neutral: any broker's producers and consumers feed it.
struct MessagingSummary {
    var messaging: Workload.Messaging
    /// Messages sent by each producer (global number), every phase.
    var sent: [Int]
    /// One merged tally per subscription, in topic order.
    var tallies: [SubscriptionTally]
    /// Messages due in the measured window that the broker acknowledged.
    var acknowledgedInWindow: Int
    var measuredSeconds: Double
    /// Flow control the producers met (RabbitMQ's `Connection.Blocked`); nil when none.
    var blocked: LoadResult.Messaging.Blocked?

    /// What acknowledged a message: NATS's `pong` or JetStream's `puback`; MQTT's `pingresp` (QoS 0), `puback`
    /// (QoS 1) or `pubcomp` (QoS 2); AMQP's `basic.ack` (a publisher confirm; only AMQP has `persistent`).
    var acknowledgement: String {
        if messaging.persistent != nil { return "basic.ack" }
        return switch messaging.qos {
        case 0?: "pingresp"
        case 1?: "puback"
        case 2?: "pubcomp"
        default: messaging.jetstream ? "puback" : "pong"
        }
    }

    var result: LoadResult.Messaging {
        var endToEnd = LatencyHistogram.latency()
        var outInWindow = 0
        var bytesOut = 0
        var subscriptions: [LoadResult.Messaging.Subscription] = []
        for (index, tally) in tallies.enumerated() {
            let topic = index / messaging.subscriptionsPerTopic
            let producers = MessagingPlan.producers(ofTopic: topic, messaging)
            let expected = producers.reduce(0) { $0 + sent[$1] }
            let unique = tally.unique(of: producers)
            let stamped = tally.received - tally.foreign
            endToEnd.add(tally.endToEnd)
            outInWindow += tally.receivedInWindow
            bytesOut += tally.bytesInWindow
            subscriptions.append(
                .init(
                    subject: MessagingPlan.topicName(messaging, topic: topic)
                        + (messaging.consumersPerSubscription > 1 ? " (stacklab-sub-\(index))" : ""),
                    consumers: messaging.consumersPerSubscription, expected: expected, received: tally.received,
                    lost: max(0, expected - unique), duplicated: max(0, stamped - unique),
                    outOfOrder: tally.outOfOrder, disconnects: tally.disconnects, brokerErrors: tally.brokerErrors,
                    lastError: tally.lastError))
        }
        let seconds = measuredSeconds > 0 ? measuredSeconds : .infinity
        let size = Double(messaging.messageSize)
        return LoadResult.Messaging(
            topics: messaging.topics, producers: messaging.producers,
            consumers: messaging.subscriptions * messaging.consumersPerSubscription, messageSize: messaging.messageSize,
            acknowledgement: acknowledgement, sent: sent.reduce(0, +),
            acknowledged: acknowledgedInWindow,
            messagesInPerSecond: Double(acknowledgedInWindow) / seconds,
            megabytesInPerSecond: Double(acknowledgedInWindow) * size / 1e6 / seconds,
            messagesOutPerSecond: Double(outInWindow) / seconds,
            megabytesOutPerSecond: Double(bytesOut) / 1e6 / seconds,
            endToEnd: LatencySummary(endToEnd), subscriptions: subscriptions, blocked: blocked)
    }
}
