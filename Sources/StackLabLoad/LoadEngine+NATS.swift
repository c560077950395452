import NIOCore
import NIOPosix
import StackLabCore

extension LoadEngine {
    /// NATS's consumers of a messaging run, after a login check (and JetStream's streams and pull consumers):
    /// core NATS's consumers of one subscription are a queue group; JetStream's each pull from their
    /// subscription's consumer into an inbox of their own.
    func natsConsumers(
        _ messaging: Workload.Messaging, address: SocketAddress, loops: [any EventLoop], timeout: Int64,
        endpoint: String
    ) async throws -> [Consumer] {
        let target = options.target
        let connectLine = NATSCodec.connectLine(user: target.user, password: target.password)
        let producers = messaging.producers

        // The login alone first, so that wrong credentials are one line before anything else is opened.
        let probe = try await NATSSubscriber.connect(
            to: address, on: loops[0], subject: nil, queue: nil, connectLine: connectLine, rate: nil,
            producers: producers, timeout: timeout, endpoint: endpoint)
        probe.channel.close(promise: nil)
        if messaging.jetstream {
            try await NATSJetStreamSetup.prepare(
                messaging, address: address, loop: loops[0], connectLine: connectLine, timeout: timeout,
                endpoint: endpoint)
        }

        return try await connectConsumers(messaging, loops: loops) { subscription, member, loop in
            let topic = subscription / messaging.subscriptionsPerTopic
            let subject = MessagingPlan.topicName(messaging, topic: topic)
            // JetStream: each consumer pulls from its subscription's consumer into an inbox of its own; core NATS:
            // a subscription of several consumers is a queue group.
            let pull = messaging.jetstream ? NATSJetStreamSetup.nextSubject(messaging, subscription: subscription) : nil
            let queue =
                messaging.consumersPerSubscription > 1 && !messaging.jetstream ? "stacklab-sub-\(subscription)" : nil
            return try await NATSSubscriber.connect(
                to: address, on: loop,
                subject: pull == nil ? subject : "_INBOX.stacklab.s\(subscription).c\(member)", queue: queue,
                connectLine: connectLine, rate: messaging.consumerRate, producers: producers,
                timeout: timeout, endpoint: endpoint, pull: pull)
        }
    }
}
