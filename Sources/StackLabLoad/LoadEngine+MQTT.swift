import NIOCore
import NIOPosix
import StackLabCore

extension LoadEngine {
    /// MQTT's consumers of a messaging run, after a login check: each subscribes to its topic at the workload's
    /// QoS; the consumers of one subscription share it as `$share/stacklab-sub-<n>/<topic>` (Mosquitto's shared
    /// subscriptions, which it offers to MQTT 3.1.1 clients too).
    func mqttConsumers(
        _ messaging: Workload.Messaging, address: SocketAddress, loops: [any EventLoop], timeout: Int64,
        endpoint: String
    ) async throws -> [Consumer] {
        let target = options.target
        let qos = MQTTPacket.QoS(rawValue: UInt8(messaging.qos ?? 1)) ?? .atLeastOnce
        let producers = messaging.producers
        func connect(_ clientID: String) -> MQTTPacket.Connect {
            MQTTCodec.connect(clientID: clientID, user: target.user, password: target.password)
        }
        // The login alone first, so that wrong credentials are one line before anything else is opened.
        let probe = try await MQTTSubscriber.connect(
            to: address, on: loops[0], topicFilter: nil, qos: qos, connect: connect("stacklab-login"), rate: nil,
            producers: producers, timeout: timeout, endpoint: endpoint)
        probe.channel.close(promise: nil)
        return try await connectConsumers(messaging, loops: loops) { subscription, member, loop in
            let topic = MessagingPlan.topicName(messaging, topic: subscription / messaging.subscriptionsPerTopic)
            let filter =
                messaging.consumersPerSubscription > 1 ? "$share/stacklab-sub-\(subscription)/\(topic)" : topic
            return try await MQTTSubscriber.connect(
                to: address, on: loop, topicFilter: filter, qos: qos,
                connect: connect("stacklab-s\(subscription)c\(member)"), rate: messaging.consumerRate,
                producers: producers, timeout: timeout, endpoint: endpoint)
        }
    }
}
