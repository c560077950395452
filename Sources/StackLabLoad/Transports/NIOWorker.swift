import NIOCore
import NIOPosix
import NIOSSL
import StackLabCore

/// One event loop's share of a load run on SwiftNIO, for any ``WireCodec``: TLS, a connection per request, Redis.
///
/// Everything here runs on `loop` and nothing is shared with other loops. What to send when, and what a reply
/// means for the run, is its ``WorkerCore``'s; this transport opens channels, writes what the codec encodes and
/// passes replies on. Requests written while handling one event go out together when it ends, one write per
/// connection (a pipeline's requests in one segment).
final class NIOWorker<Codec: WireCodec> {
    let loop: any EventLoop
    var core: WorkerCore
    private var codec: Codec
    private let address: SocketAddress
    private let bootstrap: ClientBootstrap
    private var connections: [NIOConnection<Codec>?]
    /// Bumped whenever a connection is closed, so that its late events are ignored.
    private var generations: [Int]
    /// Connections with requests written and not yet flushed.
    private var dirty: [Int] = []
    var timerArmed = false
    var finished = false

    init(
        loop: any EventLoop, options: LoadOptions, codec: Codec, depth: Int = 1, address: SocketAddress,
        sslContext: NIOSSLContext?, workerIndex: Int, workerCount: Int, connections: Int
    ) {
        self.loop = loop
        self.codec = codec
        self.address = address
        self.core = WorkerCore(
            options: options, workerIndex: workerIndex, workerCount: workerCount, connections: connections,
            depth: depth)
        self.connections = Array(repeating: nil, count: connections)
        self.generations = Array(repeating: 0, count: connections)
        self.dirty.reserveCapacity(connections)
        let serverName = options.target.hostIsAddress ? nil : options.target.host
        self.bootstrap = ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(min(options.timeoutNanoseconds, WorkerCore.connectCap)))
            .channelInitializer { channel in
                guard let sslContext else { return channel.eventLoop.makeSucceededVoidFuture() }
                do {
                    let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                    try channel.pipeline.syncOperations.addHandler(tls)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }

    // MARK: Events from connections

    /// Ends the handling of an event: writes out what it wrote, sets the timer for the next send.
    func settle() {
        for index in dirty {
            connections[index]?.flush()
        }
        dirty.removeAll(keepingCapacity: true)
        armTimer()
    }

    private func opened(_ index: Int, generation: Int, result: Result<any Channel, any Error>) {
        guard generations[index] == generation else {
            if case .success(let channel) = result { channel.close(promise: nil) }
            return
        }
        switch result {
        case .success(let channel):
            let connection = NIOConnection(worker: self, index: index, generation: generation, codec: codec)
            do {
                try channel.pipeline.syncOperations.addHandler(connection)
            } catch {
                channel.close(promise: nil)
                core.connectFailed(index, now: Self.now(), via: self)
                return
            }
            connections[index] = connection
            if codec.writeGreeting(into: &connection.out) {
                connection.greeting = true
                connection.flush()
            } else {
                core.connected(index, now: Self.now(), via: self)
            }
        case .failure:
            core.connectFailed(index, now: Self.now(), via: self)
        }
        settle()
    }

    func received(bytes: Int, now: Int64) {
        core.received(bytes: bytes, now: now)
    }

    func replied(_ index: Int, generation: Int, reply: ParsedReply, now: Int64) {
        guard generations[index] == generation, let connection = connections[index] else { return }
        if connection.greeting {
            connection.greeting = false
            if case .resp(.error) = reply.outcome {
                core.connectFailed(index, now: now, via: self)
            } else {
                core.connected(index, now: now, via: self)
            }
            return
        }
        core.completed(index, outcome: reply.outcome, closeAfter: reply.closeAfter, arrived: now, now: now, via: self)
    }

    /// The connection closed or sent bytes that are no reply.
    func closed(_ index: Int, generation: Int) {
        guard generations[index] == generation else { return }
        let now = Self.now()
        if connections[index]?.greeting == true {
            core.connectFailed(index, now: now, via: self)
        } else {
            core.lost(index, now: now, via: self)
        }
        settle()
    }

}

extension NIOWorker: WorkerTransport {
    func open(_ index: Int, now: Int64) -> OpenStart {
        let generation = generations[index]
        bootstrap.connect(to: address).assumeIsolatedUnsafeUnchecked().whenComplete { result in
            self.opened(index, generation: generation, result: result)
        }
        return .pending
    }

    func write(on index: Int, now: Int64) -> Int? {
        write(on: index, due: now, now: now)
    }

    func write(on index: Int, due: Int64, now: Int64) -> Int? {
        guard let connection = connections[index] else { return nil }
        let request = codec.writeRequest(into: &connection.out, connection: index, due: due)
        connection.parser.expect(request.expectation)
        if !connection.dirty {
            connection.dirty = true
            dirty.append(index)
        }
        return request.bytes
    }

    func close(_ index: Int) {
        generations[index] += 1
        connections[index]?.abandon()
        connections[index] = nil
    }
}

extension NIOWorker: EventLoopWorker {}

@available(*, unavailable)
extension NIOWorker: Sendable {}
