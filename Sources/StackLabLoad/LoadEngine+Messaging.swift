import Foundation
import NIOCore
import NIOPosix
import StackLabCore

/// A messaging run (`nats://`, `mqtt://`, `amqp://`): consumers subscribe first, then the producers publish on the one scheduling core
/// (each producer a ``NIOWorker`` of one connection, so the open-loop schedule is shared out evenly among them),
/// and the messages still on their way when the window closes are waited for before the accounting.
extension LoadEngine {
    /// One consumer: the subscription it belongs to, its handler and channel, on their loop.
    struct Consumer: Sendable {
        var subscription: Int
        var subscriber: NIOLoopBound<any MessageConsumer>
        var channel: any Channel

        /// Runs `body` with the subscriber on its loop.
        func perform<T: Sendable>(_ body: @escaping @Sendable (any MessageConsumer) -> T) async -> T {
            let subscriber = self.subscriber
            return await withCheckedContinuation { continuation in
                channel.eventLoop.execute { continuation.resume(returning: body(subscriber.value)) }
            }
        }
    }

    func runMessaging(
        group: MultiThreadedEventLoopGroup, threads: Int, address: SocketAddress,
        progress: @escaping @Sendable (LoadProgress) -> Void, window: @escaping @Sendable (Bool) -> Void
    ) async throws -> LoadRun {
        let messaging = options.messaging ?? Workload.Messaging()
        let target = options.target
        let loops = Array(group.makeIterator())
        let timeout = min(options.timeoutNanoseconds, 5_000_000_000)
        let endpoint = "\(target.host.contains(":") ? "[\(target.host)]" : target.host):\(target.port)"
        let producers = messaging.producers
        let consumers: [Consumer]
        if target.isMQTT {
            consumers = try await mqttConsumers(
                messaging, address: address, loops: loops, timeout: timeout, endpoint: endpoint)
        } else if target.isAMQP {
            consumers = try await amqpConsumers(
                messaging, address: address, loops: loops, timeout: timeout, endpoint: endpoint)
        } else {
            consumers = try await natsConsumers(
                messaging, address: address, loops: loops, timeout: timeout, endpoint: endpoint)
        }
        let options = self.options
        let made: (workers: [WorkerHandle], ledgers: [PublishLedger])
        do {
            if target.isMQTT {
                made = try await producerWorkers(producers, loops: loops, address: address) {
                    MQTTCodec(options: options, messaging: messaging, ledger: $0)
                }
            } else if target.isAMQP {
                made = try await producerWorkers(producers, loops: loops, address: address) {
                    AMQPCodec(options: options, messaging: messaging, ledger: $0)
                }
            } else {
                made = try await producerWorkers(producers, loops: loops, address: address) {
                    NATSCodec(options: options, messaging: messaging, ledger: $0)
                }
            }
        } catch {
            for consumer in consumers { consumer.channel.close(promise: nil) }
            throw error
        }
        let (workers, ledgers) = made

        let warmup = options.warmupNanoseconds
        let duration = options.durationNanoseconds
        let subscribed = consumers
        var run: LoadRun
        do {
            run = try await drive(
                workers, threads: threads, progress: progress, window: window, dataLoad: nil,
                onBegin: { start in
                    for consumer in subscribed {
                        await consumer.perform { $0.setWindow(start: start + warmup, end: start + warmup + duration) }
                    }
                })
        } catch {
            for worker in workers { worker.abandon() }
            for consumer in consumers { consumer.channel.close(promise: nil) }
            throw error
        }

        var counts = [Int](repeating: 0, count: producers)
        var blocked = LoadResult.Messaging.Blocked(times: 0, seconds: 0, reason: "")
        for (producer, ledger) in ledgers.enumerated() {
            let figures = await workers[producer].perform { _ in
                let now = Int64(NIODeadline.now().uptimeNanoseconds)
                return (Int(ledger.sent[0]), ledger.blocks, ledger.blockedNanoseconds(until: now), ledger.blockReason)
            }
            counts[producer] = figures.0
            blocked.times += figures.1
            blocked.seconds += Double(figures.2) / 1e9
            if blocked.reason.isEmpty, let reason = figures.3 { blocked.reason = reason }
        }
        let sent = counts
        let tallies = await deliveries(
            to: consumers, subscriptions: messaging.subscriptions,
            expected: { MessagingPlan.expected(ofSubscription: $0, messaging, sent: sent) })
        run.result.messaging =
            MessagingSummary(
                messaging: messaging, sent: sent, tallies: tallies, acknowledgedInWindow: run.result.requests.completed,
                measuredSeconds: run.result.measuredSeconds, blocked: blocked.times > 0 ? blocked : nil
            ).result
        return run
    }

    /// Connects every subscription's consumers in turn, spread over the loops, with `connect(subscription,
    /// member, loop)`; closes those connected when one fails.
    func connectConsumers(
        _ messaging: Workload.Messaging, loops: [any EventLoop],
        connect: (Int, Int, any EventLoop) async throws -> (
            subscriber: NIOLoopBound<any MessageConsumer>, channel: any Channel
        )
    ) async throws -> [Consumer] {
        var consumers: [Consumer] = []
        do {
            for subscription in 0..<messaging.subscriptions {
                for member in 0..<messaging.consumersPerSubscription {
                    let connected = try await connect(subscription, member, loops[consumers.count % loops.count])
                    consumers.append(
                        Consumer(
                            subscription: subscription, subscriber: connected.subscriber, channel: connected.channel))
                }
            }
        } catch {
            for consumer in consumers { consumer.channel.close(promise: nil) }
            throw error
        }
        return consumers
    }

    /// One ``NIOWorker`` of one connection per producer, each with its ``PublishLedger``, spread over the loops.
    private func producerWorkers<Codec: WireCodec>(
        _ producers: Int, loops: [any EventLoop], address: SocketAddress,
        codec: @escaping @Sendable (PublishLedger) -> Codec
    ) async throws -> (workers: [WorkerHandle], ledgers: [PublishLedger]) {
        var ledgers: [PublishLedger] = []
        var workers: [WorkerHandle] = []
        let options = self.options
        let depth = options.messaging?.inFlight ?? 1
        for producer in 0..<producers {
            let loop = loops[producer % loops.count]
            let ledger = PublishLedger(first: producer, producers: 1)
            ledgers.append(ledger)
            let worker = try await loop.submit {
                let worker = NIOWorker(
                    loop: loop, options: options, codec: codec(ledger), depth: depth, address: address,
                    sslContext: nil, workerIndex: producer, workerCount: producers, connections: 1)
                return WorkerHandle(worker: worker, loop: loop)
            }.get()
            workers.append(worker)
        }
        return (workers, ledgers)
    }

    /// Waits for the messages still on their way (until every subscription has as many as were sent, or none
    /// came for half a second, at most the timeout), closes the consumers and merges their tallies per
    /// subscription.
    private func deliveries(
        to consumers: [Consumer], subscriptions: Int, expected: (Int) -> Int
    ) async -> [SubscriptionTally] {
        let deadline = Date().addingTimeInterval(Double(min(options.timeoutNanoseconds, 5_000_000_000)) / 1e9)
        var last = -1
        var quietSince = Date()
        while Date() < deadline {
            var received = [Int](repeating: 0, count: subscriptions)
            for consumer in consumers {
                received[consumer.subscription] += await consumer.perform { $0.tally.received }
            }
            if received.indices.allSatisfy({ received[$0] >= expected($0) }) { break }
            let total = received.reduce(0, +)
            if total != last {
                last = total
                quietSince = Date()
            } else if Date().timeIntervalSince(quietSince) > 0.5 {
                break
            }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        var tallies: [SubscriptionTally?] = Array(repeating: nil, count: subscriptions)
        for consumer in consumers {
            let tally = await consumer.perform { subscriber in
                subscriber.stop()
                return subscriber.tally
            }
            if tallies[consumer.subscription] == nil {
                tallies[consumer.subscription] = tally
            } else {
                tallies[consumer.subscription]!.merge(tally)
            }
        }
        return tallies.map { $0 ?? SubscriptionTally(producers: 0) }
    }
}
