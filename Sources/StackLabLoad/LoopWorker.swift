import NIOCore
import NIOPosix
import NIOSSL
import StackLabCore

/// One event loop's share of a load run: its connections, its part of the schedule, its histograms.
///
/// Everything here runs on `loop` and nothing is shared with other loops: each worker records into
/// its own histograms, merged when the run ends. Worker `w` of `T` owns requests `w, w+T, w+2T…` of
/// the schedule. Latency is recorded from a request's due time (corrected) and from its actual send
/// (service time); a request counts when its due time falls in the measured window, wherever its
/// response lands.
final class LoopWorker {
    struct Slot {
        enum State { case closed, connecting, idle, busy, backoff }
        var state = State.closed
        var handler: ConnectionHandler?
        /// Bumped whenever a connection is abandoned, so that its late events are ignored.
        var generation = 0
        var due: Int64 = 0
        var sent: Int64 = 0
        var counts = false
        var queued = false
        var everConnected = false
        /// no-keep-alive: the request waits for the connection to open.
        var requestPending = false
        /// Which of the options' requests is in flight.
        var request = 0
    }

    let loop: any EventLoop
    private let options: LoadOptions
    private let requests: [ByteBuffer]
    private let noBody: [Bool]
    private let cycle: [Int]
    private var cyclePosition: Int
    private let address: SocketAddress
    private let bootstrap: ClientBootstrap

    private var slots: [Slot]
    /// Slots that can take a request now: idle connections, or closed slots without keep-alive.
    private var available: [Int] = []

    // Whether traffic runs, and when it was told to stop (uptime nanoseconds).
    private var stopped = true
    private var stopTime: Int64 = .max

    private var timerArmed = false
    /// Requests are due and every connection is busy.
    private var starved = false
    private var pastWindowStart = false
    private var finished = false
    /// When the send timer last fired; with a timer slack, the next fires no sooner than slack after it.
    private var lastWake: Int64 = 0

    private(set) var tally = WorkerTally()
    private var timeline: WorkerTimeline
    private var seconds = SecondRecorder(windowStart: .max, windowEnd: .max)

    init(
        loop: any EventLoop, options: LoadOptions, address: SocketAddress, sslContext: NIOSSLContext?,
        workerIndex: Int, workerCount: Int, connections: Int
    ) {
        self.loop = loop
        self.options = options
        let allocator = ByteBufferAllocator()
        self.requests = options.requests.map { options.encoded($0, allocator: allocator) }
        self.noBody = options.requests.map { $0.method == "HEAD" }
        self.cycle = options.requestCycle()
        self.cyclePosition = workerIndex % max(cycle.count, 1)
        self.address = address
        self.timeline = WorkerTimeline(options: options, workerIndex: workerIndex, workerCount: workerCount)
        self.slots = Array(repeating: Slot(), count: connections)
        let serverName = options.target.hostIsAddress ? nil : options.target.host
        self.bootstrap = ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(min(options.timeoutNanoseconds, 10_000_000_000)))
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

    // MARK: Run phases, called by the engine on this loop.

    /// Opens every keep-alive connection before the run; without keep-alive there is nothing to open.
    func connectAll() {
        if options.keepAlive {
            for slot in slots.indices { connect(slot) }
        } else {
            available = Array(slots.indices.reversed())
        }
    }

    /// How many slots have settled (connected or failed) since `connectAll`.
    var settledCount: Int {
        options.keepAlive ? slots.filter { $0.state != .connecting }.count : slots.count
    }

    var establishedCount: Int {
        options.keepAlive ? slots.filter { $0.state == .idle }.count : slots.count
    }

    /// Starts traffic at `start` (uptime nanoseconds); the measured window follows the warm-up.
    func begin(start: Int64) {
        timeline.begin(start: start)
        seconds = SecondRecorder(windowStart: timeline.windowStart, windowEnd: timeline.windowEnd)
        let isolated = loop.assumeIsolatedUnsafeUnchecked()
        isolated.scheduleTask(deadline: .uptimeNanoseconds(UInt64(start))) { self.startTraffic() }
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
            while let slot = available.popLast() { send(slot, due: now, now: now, queued: false) }
        }
    }

    /// Ends traffic: nothing more is sent. Requests due in the window but never sent are counted.
    func stop(at time: Int64) {
        guard !stopped else { return }
        stopped = true
        stopTime = time
        tally.unsent += timeline.unsent(stopTime: time)
    }

    /// Requests sent and not yet answered.
    var inFlight: Int { slots.filter { $0.state == .busy || ($0.state == .connecting && $0.requestPending) }.count }

    /// Closes every connection and hands over what was measured.
    func finish() -> WorkerTally {
        finished = true
        tally.abandoned +=
            slots.filter { ($0.state == .busy || ($0.state == .connecting && $0.requestPending)) && $0.counts }
            .count
        for index in slots.indices { abandon(index) }
        var result = tally.handedOver(with: &seconds)
        result.established = options.keepAlive ? result.established : slots.filter(\.everConnected).count
        return result
    }

    /// Seconds of the series completed since the last call.
    func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second] {
        seconds.take(upTo: now)
    }

    func noteEstablishedAtStart() {
        tally.established = establishedCount
    }

    // MARK: Sending

    private func send(_ slot: Int, due: Int64, now: Int64, queued: Bool) {
        let counts = timeline.inWindow(due)
        slots[slot].due = due
        slots[slot].sent = now
        slots[slot].counts = counts
        slots[slot].queued = queued
        let kind = cycle[cyclePosition]
        cyclePosition = cyclePosition + 1 == cycle.count ? 0 : cyclePosition + 1
        slots[slot].request = kind
        if counts {
            tally.attempted += 1
            tally.bytesSent += requests[kind].readableBytes
            if queued {
                tally.queued += 1
            } else if timeline.schedule != nil {
                tally.sendLag.recordNanoseconds(now - due)
            }
        }
        if options.keepAlive {
            slots[slot].state = .busy
            slots[slot].handler?.send(requests[kind], expectsNoBody: noBody[kind])
        } else {
            slots[slot].requestPending = true
            connect(slot)
        }
    }

    /// Sends every request that is due and has a free connection, then sets the timer for the next.
    private func dispatchDue(now: Int64) {
        while !stopped && timeline.nextDue <= now {
            guard let slot = available.popLast() else {
                starved = true
                return
            }
            send(slot, due: timeline.nextDue, now: now, queued: starved)
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

    /// A slot became free: give it the next request.
    private func release(_ slot: Int, now: Int64) {
        available.append(slot)
        guard !stopped else { return }
        if timeline.schedule != nil {
            dispatchDue(now: now)
        } else if now < timeline.windowEnd {
            available.removeLast()
            send(slot, due: now, now: now, queued: false)
        }
    }

    // MARK: Connections

    private func connect(_ slot: Int) {
        slots[slot].state = .connecting
        let generation = slots[slot].generation
        bootstrap.connect(to: address).assumeIsolatedUnsafeUnchecked().whenComplete { result in
            self.connected(slot: slot, generation: generation, result: result)
        }
    }

    private func connected(slot: Int, generation: Int, result: Result<any Channel, any Error>) {
        guard slots[slot].generation == generation else {
            if case .success(let channel) = result { channel.close(promise: nil) }
            return
        }
        switch result {
        case .success(let channel):
            let handler = ConnectionHandler(worker: self, slot: slot, generation: generation)
            do {
                try channel.pipeline.syncOperations.addHandler(handler)
            } catch {
                channel.close(promise: nil)
                failConnect(slot)
                return
            }
            slots[slot].handler = handler
            slots[slot].everConnected = true
            if slots[slot].requestPending {
                slots[slot].requestPending = false
                slots[slot].state = .busy
                handler.send(requests[slots[slot].request], expectsNoBody: noBody[slots[slot].request])
            } else {
                slots[slot].state = .idle
                if timeline.start != .max { release(slot, now: Self.now()) } else { available.append(slot) }
            }
        case .failure:
            failConnect(slot)
        }
    }

    private func failConnect(_ slot: Int) {
        let now = Self.now()
        let counts = slots[slot].requestPending ? slots[slot].counts : (timeline.inWindow(now))
        slots[slot].requestPending = false
        if counts { countError(\.connect, now: now) }
        slots[slot].state = .backoff
        slots[slot].generation += 1
        let generation = slots[slot].generation
        // Retry later rather than spin against a refusing server.
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .milliseconds(100)) {
            guard self.slots[slot].generation == generation, self.slots[slot].state == .backoff else { return }
            self.reopen(slot)
        }
    }

    /// After a connection ended: a keep-alive slot reconnects; otherwise the slot is free again.
    private func reopen(_ slot: Int) {
        slots[slot].state = .closed
        if options.keepAlive {
            if !stopped { connect(slot) }
        } else {
            release(slot, now: Self.now())
        }
    }

    private func abandon(_ slot: Int) {
        slots[slot].generation += 1
        if slots[slot].state == .idle, let position = available.firstIndex(of: slot) {
            available.remove(at: position)
        }
        slots[slot].handler?.abandon()
        slots[slot].handler = nil
        slots[slot].state = .closed
        slots[slot].requestPending = false
    }

    // MARK: Events from connections

    func received(bytes: Int) {
        if !pastWindowStart {
            guard timeline.windowStart != .max, Self.now() >= timeline.windowStart else { return }
            pastWindowStart = true
        }
        tally.bytesReceived += bytes
    }

    func completed(slot: Int, generation: Int, response: HTTPResponseParser.Response) {
        guard slots[slot].generation == generation, slots[slot].state == .busy else { return }
        let now = Self.now()
        tally.completedAll += 1
        if !slots[slot].counts && now >= timeline.windowStart && slots[slot].due < timeline.windowStart {
            tally.earlierReplies += 1
        }
        if slots[slot].counts {
            let corrected = now - slots[slot].due
            tally.completed += 1
            tally.latency.recordNanoseconds(corrected)
            tally.serviceTime.recordNanoseconds(now - slots[slot].sent)
            tally.countStatus(response.status)
            seconds.record(latency: corrected, now: now)
            if response.status >= 500 {
                countError(\.status5xx, now: now)
            } else if response.status >= 400 {
                countError(\.status4xx, now: now)
            }
        }
        if options.keepAlive && !response.closeAfter {
            slots[slot].state = .idle
            release(slot, now: now)
        } else {
            abandon(slot)
            reopen(slot)
        }
    }

    func closed(slot: Int, generation: Int, midResponse: Bool) {
        guard slots[slot].generation == generation else { return }
        let wasBusy = slots[slot].state == .busy
        if wasBusy && slots[slot].counts { countError(\.read, now: Self.now()) }
        abandon(slot)
        reopen(slot)
    }

    /// Times out requests that waited longer than `--timeout`; runs every few milliseconds.
    func sweepTimeouts() {
        let now = Self.now()
        for index in slots.indices where slots[index].state == .busy {
            guard now - slots[index].sent > options.timeoutNanoseconds else { continue }
            if slots[index].counts { countError(\.timeout, now: now) }
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

extension LoopWorker: NIOScheduledCallbackHandler {
    func handleScheduledCallback(eventLoop: some EventLoop) {
        timerArmed = false
        lastWake = Self.now()
        dispatchDue(now: lastWake)
    }
}

@available(*, unavailable)
extension LoopWorker: Sendable {}
