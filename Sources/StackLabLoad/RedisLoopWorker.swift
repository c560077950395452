import NIOCore
import NIOPosix
import StackLabCore

/// One event loop's share of a Redis run: its connections, its part of the schedule, its histograms.
///
/// The schedule, the measured window and the recording are ``LoopWorker``'s; what differs is that a
/// connection may carry up to `pipeline` requests at once. Each free place on a connection is a token in
/// `available`; sending takes one, a reply gives it back. Replies come in the order of the requests, so
/// each connection keeps its requests in flight in a ring of `pipeline` entries. Each request is a YCSB
/// read (`GET`) or update (`SET`) of a key chosen with YCSB's scrambled zipfian distribution.
final class RedisLoopWorker {
    struct Connection {
        enum State { case closed, connecting, authenticating, ready, backoff }
        var state = State.closed
        var handler: RedisConnectionHandler?
        /// Bumped whenever a connection is abandoned, so that its late events are ignored.
        var generation = 0
        var everConnected = false
        /// The ring of requests in flight: its first entry and its length.
        var first = 0
        var count = 0
        /// Written to since the last flush.
        var dirty = false
    }

    struct InFlight {
        var due: Int64 = 0
        var sent: Int64 = 0
        var counts = false
    }

    /// Reply kinds as the result counts them, in `WorkerTally.replies`.
    enum ReplyKind: Int, CaseIterable {
        case ok, value, null, error

        var label: String {
            switch self {
            case .ok: "ok"
            case .value: "value"
            case .null: "nil"
            case .error: "error"
            }
        }
    }

    let loop: any EventLoop
    private let options: LoadOptions
    private let readProportion: Double
    private let pipeline: Int
    private let password: String?
    private let writer: RESPCommandWriter
    private let keys: ScrambledZipfianGenerator
    private var random: SplitMix64
    private let address: SocketAddress
    private let bootstrap: ClientBootstrap
    private let allocator = ByteBufferAllocator()

    private var connections: [Connection]
    private var ring: [InFlight]
    /// One token per free place on a ready connection: the connection's index.
    private var available: [Int] = []
    /// Connections with commands written and not yet flushed.
    private var dirty: [Int] = []

    // Whether traffic runs, and when it was told to stop (uptime nanoseconds).
    private var stopped = true
    private var stopTime: Int64 = .max

    private var timerArmed = false
    private var starved = false
    private var pastWindowStart = false
    private var finished = false
    private var lastWake: Int64 = 0

    private(set) var tally = WorkerTally()
    private var timeline: WorkerTimeline
    private var seconds = SecondRecorder(windowStart: .max, windowEnd: .max)

    init(
        loop: any EventLoop, options: LoadOptions, keyValue: Workload.KeyValue, address: SocketAddress,
        workerIndex: Int, workerCount: Int, connections: Int, seed: UInt64
    ) {
        self.loop = loop
        self.options = options
        self.readProportion = keyValue.mix.readProportion
        self.pipeline = max(1, keyValue.pipeline)
        self.password = options.target.password
        self.writer = RESPCommandWriter(valueSize: keyValue.valueSize)
        self.keys = ScrambledZipfianGenerator(records: keyValue.records)
        self.random = SplitMix64(seed: seed &+ UInt64(workerIndex) &* 0x9E37_79B9_7F4A_7C15)
        self.address = address
        self.timeline = WorkerTimeline(options: options, workerIndex: workerIndex, workerCount: workerCount)
        self.connections = Array(repeating: Connection(), count: connections)
        self.ring = Array(repeating: InFlight(), count: connections * max(1, keyValue.pipeline))
        self.available.reserveCapacity(ring.count)
        self.dirty.reserveCapacity(connections)
        self.bootstrap = ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(min(options.timeoutNanoseconds, 10_000_000_000)))
    }

    // MARK: Run phases, called by the engine on this loop.

    func connectAll() {
        for index in connections.indices { connect(index) }
    }

    var settledCount: Int {
        connections.filter { $0.state != .connecting && $0.state != .authenticating }.count
    }

    func noteEstablishedAtStart() {
        tally.established = connections.filter { $0.state == .ready }.count
    }

    func begin(start: Int64) {
        timeline.begin(start: start)
        seconds = SecondRecorder(windowStart: timeline.windowStart, windowEnd: timeline.windowEnd)
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: .uptimeNanoseconds(UInt64(start))) {
            self.startTraffic()
        }
        scheduleSweep()
    }

    private func scheduleSweep() {
        let every = max(1_000_000, min(options.timeoutNanoseconds / 10, 100_000_000))
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(every)) {
            guard !self.finished else { return }
            self.sweepTimeouts()
            self.scheduleSweep()
        }
    }

    private func startTraffic() {
        guard stopTime == .max else { return }
        stopped = false
        if timeline.schedule != nil {
            timeline.startSchedule()
            armTimer()
        } else {
            let now = Self.now()
            while let connection = available.popLast() { send(on: connection, due: now, now: now, queued: false) }
            flushPending()
        }
    }

    func stop(at time: Int64) {
        guard !stopped else { return }
        stopped = true
        stopTime = time
        tally.unsent += timeline.unsent(stopTime: time)
    }

    var inFlight: Int { connections.reduce(0) { $0 + $1.count } }

    func finish() -> WorkerTally {
        finished = true
        for index in connections.indices {
            let base = index * pipeline
            for step in 0..<connections[index].count
            where ring[base + (connections[index].first + step) % pipeline].counts {
                tally.abandoned += 1
            }
            abandon(index)
        }
        return tally.handedOver(with: &seconds)
    }

    func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second] {
        seconds.take(upTo: now)
    }

    // MARK: Sending

    /// Writes one YCSB operation on `connection`; it goes out at the next ``flushPending()``.
    private func send(on connection: Int, due: Int64, now: Int64, queued: Bool) {
        guard let handler = connections[connection].handler else { return }
        let record = keys.next(using: &random)
        let written: Int
        if readProportion >= 1 || random.nextUnit() < readProportion {
            written = writer.writeGet(record: record, into: &handler.outbound)
        } else {
            written = writer.writeSet(record: record, into: &handler.outbound)
        }
        let counts = timeline.inWindow(due)
        let position =
            connection * pipeline + (connections[connection].first + connections[connection].count) % pipeline
        ring[position] = InFlight(due: due, sent: now, counts: counts)
        connections[connection].count += 1
        if !connections[connection].dirty {
            connections[connection].dirty = true
            dirty.append(connection)
        }
        if counts {
            tally.attempted += 1
            tally.bytesSent += written
            if queued {
                tally.queued += 1
            } else if timeline.schedule != nil {
                tally.sendLag.recordNanoseconds(now - due)
            }
        }
    }

    /// Writes out every connection's pending commands, one write each.
    func flushPending() {
        for connection in dirty {
            connections[connection].dirty = false
            connections[connection].handler?.flush()
        }
        dirty.removeAll(keepingCapacity: true)
    }

    private func dispatchDue(now: Int64) {
        while !stopped && timeline.nextDue <= now {
            guard let connection = available.popLast() else {
                starved = true
                return
            }
            send(on: connection, due: timeline.nextDue, now: now, queued: starved)
            timeline.advance()
        }
        starved = false
        armTimer()
    }

    private func armTimer() {
        guard !stopped, !timerArmed, timeline.nextDue != .max, !available.isEmpty else { return }
        timerArmed = true
        do {
            try loop.assumeIsolatedUnsafeUnchecked().scheduleCallback(
                at: .uptimeNanoseconds(UInt64(max(timeline.nextDue, lastWake + options.timerSlackNanoseconds))),
                handler: self)
        } catch {
            timerArmed = false
        }
    }

    /// A place on `connection` became free: give it the next request.
    private func release(_ connection: Int, now: Int64) {
        available.append(connection)
        guard !stopped else { return }
        if timeline.schedule != nil {
            dispatchDue(now: now)
        } else if now < timeline.windowEnd {
            available.removeLast()
            send(on: connection, due: now, now: now, queued: false)
        }
    }

    // MARK: Connections

    private func connect(_ connection: Int) {
        connections[connection].state = .connecting
        let generation = connections[connection].generation
        bootstrap.connect(to: address).assumeIsolatedUnsafeUnchecked().whenComplete { result in
            self.connected(connection, generation: generation, result: result)
        }
    }

    private func connected(_ connection: Int, generation: Int, result: Result<any Channel, any Error>) {
        guard connections[connection].generation == generation else {
            if case .success(let channel) = result { channel.close(promise: nil) }
            return
        }
        switch result {
        case .success(let channel):
            let handler = RedisConnectionHandler(
                worker: self, connection: connection, generation: generation, allocator: allocator)
            do {
                try channel.pipeline.syncOperations.addHandler(handler)
            } catch {
                channel.close(promise: nil)
                failConnect(connection)
                return
            }
            connections[connection].handler = handler
            if let password {
                connections[connection].state = .authenticating
                handler.authenticate(password: password)
            } else {
                ready(connection)
            }
        case .failure:
            failConnect(connection)
        }
    }

    private func ready(_ connection: Int) {
        connections[connection].state = .ready
        connections[connection].everConnected = true
        for _ in 0..<pipeline { available.append(connection) }
        guard timeline.start != .max, !stopped else { return }
        let now = Self.now()
        if timeline.schedule != nil {
            dispatchDue(now: now)
        } else {
            while now < timeline.windowEnd, let token = available.popLast() {
                send(on: token, due: now, now: now, queued: false)
            }
        }
        flushPending()
    }

    private func failConnect(_ connection: Int) {
        let now = Self.now()
        if timeline.inWindow(now) { countError(\.connect, now: now) }
        connections[connection].handler?.abandon()
        connections[connection].handler = nil
        connections[connection].state = .backoff
        connections[connection].generation += 1
        let generation = connections[connection].generation
        // Retry later rather than spin against a refusing server.
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .milliseconds(100)) {
            guard self.connections[connection].generation == generation,
                self.connections[connection].state == .backoff
            else { return }
            self.reopen(connection)
        }
    }

    private func reopen(_ connection: Int) {
        connections[connection].state = .closed
        if !stopped && !finished { connect(connection) }
    }

    private func abandon(_ connection: Int) {
        connections[connection].generation += 1
        if connections[connection].state == .ready {
            available.removeAll { $0 == connection }
        }
        connections[connection].handler?.abandon()
        connections[connection].handler = nil
        connections[connection].state = .closed
        connections[connection].first = 0
        connections[connection].count = 0
    }

    /// Counts every request in flight on `connection` as an error of `kind`.
    private func failInFlight(_ connection: Int, as kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, now: Int64) {
        let base = connection * pipeline
        for step in 0..<connections[connection].count {
            let position = base + (connections[connection].first + step) % pipeline
            if ring[position].counts { countError(kind, now: now) }
        }
    }

    // MARK: Events from connections

    func received(bytes: Int) {
        if !pastWindowStart {
            guard timeline.windowStart != .max, Self.now() >= timeline.windowStart else { return }
            pastWindowStart = true
        }
        tally.bytesReceived += bytes
    }

    func authenticated(connection: Int, generation: Int, reply: RESPReplyParser.Reply) {
        guard connections[connection].generation == generation,
            connections[connection].state == .authenticating
        else { return }
        if reply.kind == .error {
            failConnect(connection)
        } else {
            ready(connection)
        }
    }

    func replied(connection: Int, generation: Int, reply: RESPReplyParser.Reply) {
        guard connections[connection].generation == generation, connections[connection].state == .ready else {
            return
        }
        let now = Self.now()
        guard connections[connection].count > 0 else {
            // A reply to nothing: the stream is out of step, and so is every later reply.
            if timeline.inWindow(now) { countError(\.read, now: now) }
            abandon(connection)
            reopen(connection)
            return
        }
        let request = ring[connection * pipeline + connections[connection].first]
        connections[connection].first =
            connections[connection].first + 1 == pipeline
            ? 0 : connections[connection].first + 1
        connections[connection].count -= 1
        tally.completedAll += 1
        if !request.counts && now >= timeline.windowStart && request.due < timeline.windowStart {
            tally.earlierReplies += 1
        }
        if request.counts {
            let corrected = now - request.due
            tally.completed += 1
            tally.latency.recordNanoseconds(corrected)
            tally.serviceTime.recordNanoseconds(now - request.sent)
            seconds.record(latency: corrected, now: now)
            let kind: ReplyKind
            switch reply.kind {
            case .simple: kind = .ok
            case .null: kind = .null
            case .error: kind = .error
            case .bulk, .integer, .array: kind = .value
            }
            tally.replies[kind.rawValue] += 1
            if kind == .error { countError(\.reply, now: now) }
        }
        release(connection, now: now)
    }

    func closed(connection: Int, generation: Int) {
        guard connections[connection].generation == generation else { return }
        let now = Self.now()
        failInFlight(connection, as: \.read, now: now)
        abandon(connection)
        reopen(connection)
    }

    /// Times out connections whose oldest request waited longer than the timeout; every request in flight
    /// on it is lost with it.
    func sweepTimeouts() {
        let now = Self.now()
        for index in connections.indices where connections[index].count > 0 {
            let oldest = ring[index * pipeline + connections[index].first]
            guard now - oldest.sent > options.timeoutNanoseconds else { continue }
            failInFlight(index, as: \.timeout, now: now)
            abandon(index)
            reopen(index)
        }
    }

    // MARK: Recording

    private func countError(_ kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, now: Int64) {
        tally.errors[keyPath: kind] += 1
        seconds.recordError(now: now)
    }

    static func now() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }
}

extension RedisLoopWorker: LoadWorker {}

extension RedisLoopWorker: NIOScheduledCallbackHandler {
    func handleScheduledCallback(eventLoop: some EventLoop) {
        timerArmed = false
        lastWake = Self.now()
        dispatchDue(now: lastWake)
        flushPending()
    }
}

@available(*, unavailable)
extension RedisLoopWorker: Sendable {}
