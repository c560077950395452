import Foundation
import NIOCore
import StackLabCore

/// Before a JetStream run, through JetStream's API: a stream per topic (file storage, deleted and made again so
/// that it starts empty) and a pull consumer per subscription (delivering every message of the stream, no
/// acknowledgements), so that each subscription receives every message, as with core NATS.
enum NATSJetStreamSetup {
    /// Topic `topic`'s stream: `STACKLAB_<prefix>_<topic>`, the prefix's dots and other marks as `_`.
    static func streamName(_ messaging: Workload.Messaging, topic: Int) -> String {
        let prefix = String(
            messaging.subjectPrefix.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return "STACKLAB_\(prefix)_\(topic)"
    }

    /// Subscription `subscription`'s durable pull consumer.
    static func consumerName(subscription: Int) -> String { "stacklab-sub-\(subscription)" }

    /// The subject subscription `subscription`'s consumers ask for their next messages on.
    static func nextSubject(_ messaging: Workload.Messaging, subscription: Int) -> String {
        let stream = streamName(messaging, topic: subscription / messaging.subscriptionsPerTopic)
        return "$JS.API.CONSUMER.MSG.NEXT.\(stream).\(consumerName(subscription: subscription))"
    }

    /// Makes the streams and the consumers.
    ///
    /// - Throws: `UserError` in one line: no JetStream on the server, or what JetStream refused.
    static func prepare(
        _ messaging: Workload.Messaging, address: SocketAddress, loop: any EventLoop, connectLine: String,
        timeout: Int64, endpoint: String
    ) async throws {
        let connected: (requester: NIOLoopBound<NATSRequester>, channel: any Channel)
        do {
            connected = try await NATSRequester.connect(
                to: address, on: loop, connectLine: connectLine, timeout: timeout)
        } catch {
            throw UserError("cannot connect to \(endpoint) for JetStream's set-up: \(LoadEngine.describe(error))")
        }
        defer { connected.channel.close(promise: nil) }
        /// Asks `subject`; the error JetStream answered, if any.
        func ask(_ subject: String, _ payload: String) async throws -> String? {
            let answer: NATSRequester.Answer
            do {
                answer = try await NATSRequester.ask(
                    connected.requester, on: loop, subject: subject, payload: payload, timeout: timeout)
            } catch {
                throw UserError("JetStream at \(endpoint) did not answer \(subject): \(error)")
            }
            switch answer {
            case .noResponders:
                throw UserError(
                    "\(endpoint) has no JetStream (nothing answers \(subject)); turn it on with jetstream: true on "
                        + "the nats component")
            case .payload(let text):
                let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
                guard let error = object?["error"] as? [String: Any] else { return nil }
                return (error["description"] as? String) ?? "\(error)"
            }
        }
        func json(_ object: [String: Any]) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        for topic in 0..<messaging.topics {
            let stream = streamName(messaging, topic: topic)
            // A stream left by an earlier run is deleted first; "not found" is the usual answer.
            _ = try await ask("$JS.API.STREAM.DELETE.\(stream)", "")
            let config: [String: Any] = [
                "name": stream, "subjects": [MessagingPlan.topicName(messaging, topic: topic)], "storage": "file",
            ]
            if let error = try await ask("$JS.API.STREAM.CREATE.\(stream)", json(config)) {
                throw UserError("JetStream at \(endpoint) refused to make stream \(stream): \(error)")
            }
        }
        for subscription in 0..<messaging.subscriptions {
            let stream = streamName(messaging, topic: subscription / messaging.subscriptionsPerTopic)
            let name = consumerName(subscription: subscription)
            let config: [String: Any] = [
                "stream_name": stream,
                "config": ["durable_name": name, "ack_policy": "none", "deliver_policy": "all", "max_waiting": 512],
            ]
            if let error = try await ask("$JS.API.CONSUMER.DURABLE.CREATE.\(stream).\(name)", json(config)) {
                throw UserError("JetStream at \(endpoint) refused to make consumer \(name) on \(stream): \(error)")
            }
        }
    }
}
