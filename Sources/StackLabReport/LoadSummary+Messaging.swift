import StackLabCore

extension LoadSummary {
    /// A messaging run's lines: what publish latency means here, end-to-end latency, rates in and out, and the
    /// accounting of every subscription.
    static func messagingLines(_ messaging: LoadResult.Messaging) -> [String] {
        var lines: [String] = []
        var facts = TextTable()
        facts.add([
            "messaging",
            "\(messaging.topics) topic(s) · \(messaging.producers) producer(s) · \(messaging.subscriptions.count) "
                + "subscription(s), \(messaging.consumers) consumer(s) · \(NumberText.bytes(messaging.messageSize)) "
                + "messages",
        ])
        facts.add([
            "in",
            "\(NumberText.rate(messaging.messagesInPerSecond)) msg/s · "
                + "\(DurationText.fixed(messaging.megabytesInPerSecond, digits: 2)) MB/s acknowledged",
        ])
        if let blocked = messaging.blocked {
            facts.add([
                "flow control",
                "producers blocked by the broker \(blocked.times)× for "
                    + "\(DurationText.fixed(blocked.seconds, digits: 1)) s in all: \(MessageText.quoted(blocked.reason))",
            ])
        }
        facts.add([
            "out",
            "\(NumberText.rate(messaging.messagesOutPerSecond)) msg/s · "
                + "\(DurationText.fixed(messaging.megabytesOutPerSecond, digits: 2)) MB/s delivered (all subscriptions)",
        ])
        facts.add([
            "accounting",
            "\(NumberText.grouped(messaging.sent)) sent · lost \(NumberText.grouped(messaging.lost)) · duplicated "
                + "\(NumberText.grouped(messaging.duplicated)) · out of order \(NumberText.grouped(messaging.outOfOrder))",
        ])
        for subscription in messaging.subscriptions {
            var line =
                "\(NumberText.grouped(subscription.received))/\(NumberText.grouped(subscription.expected)) received"
                + " · lost \(NumberText.grouped(subscription.lost)) · duplicated "
                + "\(NumberText.grouped(subscription.duplicated)) · out of order "
                + "\(NumberText.grouped(subscription.outOfOrder))"
            if subscription.disconnects > 0 { line += " · \(subscription.disconnects) disconnect(s)" }
            if let error = subscription.lastError { line += " · broker said \(MessageText.quoted(error))" }
            facts.add(["  " + subscription.subject, line])
        }
        lines.append(leftAligned(facts))
        lines.append("")
        var latency = TextTable()
        latency.add(["latency"] + messaging.endToEnd.labelled.map(\.label))
        latency.add(["end to end"] + messaging.endToEnd.labelled.map { DurationText.micros($0.micros) })
        lines.append(latency.render())
        let meaning =
            messaging.acknowledgement == "pong"
            ? "publish latency: from each message's intended send until the PONG after it (core NATS has no ack)"
            : "publish latency: from each message's intended send until the broker's acknowledgement"
        lines.append("  \(meaning); end to end: from the intended send (stamped in the message) to its delivery")
        return lines
    }
}
