import NIOCore
import NIOPosix
import StackLabCore

extension LoadEngine {
    /// AMQP's consumers of a messaging run, after a login check: each subscription is a durable queue of the
    /// target's queue type (`<prefix>.<topic>.sub-<n>.<type>`) bound to its topic's fanout exchange, emptied by its
    /// first consumer; the consumers of one subscription share its queue.
    func amqpConsumers(
        _ messaging: Workload.Messaging, address: SocketAddress, loops: [any EventLoop], timeout: Int64,
        endpoint: String
    ) async throws -> [Consumer] {
        let target = options.target
        let user = target.user ?? "guest"
        let password = target.password ?? "guest"
        let type = target.queueType ?? "classic"
        let producers = messaging.producers
        // The login alone first, so that wrong credentials are one line before anything else is opened.
        let probe = try await AMQPSubscriber.connect(
            to: address, on: loops[0], handshake: AMQPHandshake(user: user, password: password, setup: []),
            rate: nil, producers: producers, timeout: timeout, endpoint: endpoint)
        probe.channel.close(promise: nil)
        return try await connectConsumers(messaging, loops: loops) { subscription, member, loop in
            let exchange = MessagingPlan.topicName(messaging, topic: subscription / messaging.subscriptionsPerTopic)
            let setup = AMQPHandshake.consumer(
                queue: "\(exchange).sub-\(subscription).\(type)", type: type, exchange: exchange,
                prefetch: messaging.prefetch ?? Workload.Messaging.defaultPrefetch, purge: member == 0,
                tag: "stacklab-s\(subscription)c\(member)")
            return try await AMQPSubscriber.connect(
                to: address, on: loop, handshake: AMQPHandshake(user: user, password: password, setup: setup),
                rate: messaging.consumerRate, producers: producers, timeout: timeout, endpoint: endpoint)
        }
    }
}
