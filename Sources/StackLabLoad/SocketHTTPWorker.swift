#if os(Linux)
import CStackLabSockets
import Glibc
import NIOCore
import StackLabCore

/// One thread's share of a plain-HTTP keep-alive load run, on non-blocking sockets and epoll.
///
/// What it does is what ``LoopWorker`` does; how it waits is what it is for. An open-loop run wakes only
/// when a request is due (or `--timer-slack` after the last wake-up, whichever is later), reads every reply
/// that has arrived meanwhile, and dates each reply by the kernel's receive time (`SO_TIMESTAMPNS`), not by
/// when it was read: so the latency stays exact while a reply costs no wake-up of its own. On a virtual
/// machine a sleep and wake-up costs tens of microseconds of CPU, about as much as the rest of a request
/// (BENCHMARKS.md). It watches the sockets (one wake-up per reply) only when it must: in a closed loop, when
/// every connection is busy and requests are waiting, after the schedule ends, if the kernel gives no
/// receive times, for the first few replies (to see their size), while a reply is half read, and for good
/// once a reply of 32 KiB or more was seen (unread, it would fill the receive window and hold the server
/// back).
///
/// Latency is recorded from a request's due time (corrected) and from its actual send (service time); a
/// request counts when its due time falls in the measured window, wherever its response lands.
final class SocketHTTPWorker {
    struct Connection {
        enum State { case closed, connecting, idle, busy, backoff }
        var state = State.closed
        var descriptor: Int32 = -1
        /// Bumped whenever the socket is closed, so that a stale readiness event is ignored.
        var generation: UInt64 = 0
        var due: Int64 = 0
        var sent: Int64 = 0
        var counts = false
        var request = 0
        /// Bytes of the current request written so far.
        var written = 0
        var watchingWrites = false
        var connectStarted: Int64 = 0
        var retryAt: Int64 = .max
        var parser = HTTPResponseParser()
        var everConnected = false
        /// Bytes read since the request was sent.
        var responseBytes = 0
        /// Part of a response has been read and the rest has not come yet.
        var partial = false
    }

    let thread: WorkerThread
    private let options: LoadOptions
    private let requests: [[UInt8]]
    private let noBody: [Bool]
    private let cycle: [Int]
    private var cyclePosition: Int
    private let address: SocketAddress
    private let sweepEvery: Int64
    private let connectTimeout: Int64

    /// Watches the eventfd only: the open loop's timed sleep, woken early by a call from the engine.
    private let timerSet: Int32
    /// Watches the eventfd and every socket.
    private let socketSet: Int32
    private var connections: [Connection]
    private var available: [Int] = []
    private var receiveBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Connections below this index have been asked to connect; ``connectAll()`` opens them a batch per turn of
    /// the loop, so that calls from the engine (a stop on Ctrl-C) run between batches however many there are.
    private var connectsStarted = 0
    /// Connections opened per turn of the loop: a connect to a loopback port takes microseconds, or milliseconds
    /// when the ephemeral ports run short.
    static let connectBatch = 256
    /// Connects left in this turn of the loop; past them, a connection waits for the next sweep (in back-off),
    /// so that reconnecting thousands of connections a server dropped never starves the engine's calls.
    private var connectBudget = connectBatch
    /// How long connects may take in one turn of the loop: one costs milliseconds once thousands of ports to the
    /// target are taken, so 256 of them held a stop (Ctrl-C) up for seconds.
    static let connectSlice: Int64 = 10_000_000

    private var trafficStarted = false
    private var stopped = false
    private var finished = false
    private var starved = false
    private var lastWake: Int64 = 0
    private var nextSweep: Int64 = 0
    /// The kernel dates replies; cleared for good the first time it does not.
    private var kernelStamps = true
    /// Connections with part of a response read: the rest is read as it comes.
    private var partialCount = 0
    /// Responses read so far that were small, up to ``repliesBeforePacing``.
    private var smallReplies = 0
    /// A response of ``largeReply`` bytes or more was seen: replies are read as they come, for good.
    private var largeReplies = false
    /// A response this large may not fit the receive window the kernel offers before the client reads; left
    /// unread, it would hold the server back, so replies must be read as they come.
    static let largeReply = 32 * 1024
    /// Small responses seen before replies are left to wait for the next send (the first ones show their size).
    static let repliesBeforePacing = 8
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC, taken at each wake-up to read the kernel's receive times.
    private var realtimeOffset: Int64 = 0

    private(set) var tally = WorkerTally()
    private var timeline: WorkerTimeline
    private var seconds = SecondRecorder(windowStart: .max, windowEnd: .max)

    init(options: LoadOptions, address: SocketAddress, workerIndex: Int, workerCount: Int, connections: Int) throws {
        self.options = options
        let allocator = ByteBufferAllocator()
        self.requests = options.requests.map { Array(buffer: options.encoded($0, allocator: allocator)) }
        self.noBody = options.requests.map { $0.method == "HEAD" }
        self.cycle = options.requestCycle()
        self.cyclePosition = workerIndex % max(cycle.count, 1)
        self.address = address
        self.timeline = WorkerTimeline(options: options, workerIndex: workerIndex, workerCount: workerCount)
        self.sweepEvery = max(1_000_000, min(options.timeoutNanoseconds / 10, 100_000_000))
        self.connectTimeout = min(options.timeoutNanoseconds, 10_000_000_000)
        self.connections = Array(repeating: Connection(), count: connections)
        thread = try WorkerThread()
        let timerSet = sl_epoll_create()
        let socketSet = sl_epoll_create()
        guard timerSet >= 0, socketSet >= 0 else {
            if timerSet >= 0 { sl_close(timerSet) }
            if socketSet >= 0 { sl_close(socketSet) }
            throw UserError("cannot create an epoll set: \(String(cString: strerror(-min(timerSet, socketSet))))")
        }
        self.timerSet = timerSet
        self.socketSet = socketSet
        sl_epoll_control(timerSet, Self.add, thread.wakeDescriptor, SL_READABLE, Self.wakeToken)
        sl_epoll_control(socketSet, Self.add, thread.wakeDescriptor, SL_READABLE, Self.wakeToken)
    }

    /// The handle the engine calls through; starts the worker's thread.
    func startThread() -> WorkerHandle {
        let thread = self.thread
        nonisolated(unsafe) let worker = self
        thread.start { worker.runLoop() }
        return WorkerHandle(worker: self) { thread.execute($0) }
    }

    private static let wakeToken: UInt64 = .max
    /// `sl_epoll_control`'s operations.
    private static let add: Int32 = 1
    private static let change: Int32 = 2

    // MARK: The loop

    private func runLoop() {
        sl_set_timer_slack(1_000)
        var events = [sl_event](repeating: sl_event(), count: 64)
        while !finished {
            connectBudget = Self.connectBatch
            var now = sl_monotonic_ns()
            if !trafficStarted && now >= timeline.start { startTraffic(now: now) }
            let sendAt = nextSendTime
            let paced = sendAt != nil && repliesCanWait
            var deadline = min(nextSweep, sendAt ?? .max)
            if timeline.start > now { deadline = min(deadline, timeline.start) }
            if connectsStarted < connections.count && !stopped { deadline = now }
            var count = events.withUnsafeMutableBufferPointer {
                sl_epoll_wait(paced ? timerSet : socketSet, $0.baseAddress, Int32($0.count), max(0, deadline - now))
            }
            now = sl_monotonic_ns()
            realtimeOffset = sl_realtime_ns() - now
            if let sendAt, now >= sendAt { lastWake = now }
            var woken = false
            if paced {
                woken = count > 0
                count = pollSockets(into: &events)
            }
            while count > 0 {
                for event in events[0..<Int(count)] {
                    if event.token == Self.wakeToken {
                        woken = true
                    } else {
                        handle(event, now: now)
                    }
                }
                // A full batch may have left sockets unread; an open loop reads them all before sending.
                guard paced, count == Int32(events.count) else { break }
                count = pollSockets(into: &events)
            }
            if connectsStarted < connections.count && !stopped { connectBatch(now: now) }
            if trafficStarted { dispatchDue(now: now) }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + sweepEvery
            }
            if woken { thread.runJobs() }
        }
        sl_close(timerSet)
        sl_close(socketSet)
    }

    /// The sockets ready now, without waiting.
    private func pollSockets(into events: inout [sl_event]) -> Int32 {
        events.withUnsafeMutableBufferPointer { sl_epoll_wait(socketSet, $0.baseAddress, Int32($0.count), 0) }
    }

    /// When the open loop next sends: the next request's due time, or `--timer-slack` after the last send
    /// wake-up if that is later; nil when nothing can be sent (closed loop, every connection busy, schedule over).
    ///
    /// While there is one and ``repliesCanWait``, the loop sleeps until then without watching the sockets, and
    /// reads the replies that arrived meanwhile when it wakes; their kernel receive times keep the latency exact.
    private var nextSendTime: Int64? {
        guard timeline.schedule != nil, trafficStarted, !stopped, timeline.nextDue != .max, !available.isEmpty else {
            return nil
        }
        return max(timeline.nextDue, lastWake + options.timerSlackNanoseconds)
    }

    /// Whether replies may wait in the kernel until the next send: the kernel dates them, they have been small,
    /// and none is half read.
    private var repliesCanWait: Bool {
        kernelStamps && !largeReplies && smallReplies >= Self.repliesBeforePacing && partialCount == 0
    }

    // MARK: Run phases, called by the engine on this thread.

    func connectAll() {
        connectBatch(now: sl_monotonic_ns())
    }

    /// Opens the next ``connectBatch`` connections not yet asked to connect.
    private func connectBatch(now: Int64) {
        let end = min(connections.count, connectsStarted + Self.connectBatch)
        while connectsStarted < end && connectBudget > 0 {
            connect(connectsStarted, now: now)
            connectsStarted += 1
        }
    }

    /// Connections that have connected or failed; one not yet asked to connect has not settled.
    var settledCount: Int { connections[..<connectsStarted].filter { $0.state != .connecting }.count }

    func noteEstablishedAtStart() {
        tally.established = connections.filter { $0.state == .idle }.count
    }

    func begin(start: Int64) {
        timeline.begin(start: start)
        seconds = SecondRecorder(windowStart: timeline.windowStart, windowEnd: timeline.windowEnd)
    }

    private func startTraffic(now: Int64) {
        trafficStarted = true
        guard !stopped else { return }
        if timeline.schedule != nil {
            timeline.startSchedule()
        } else {
            while let index = available.popLast() { send(index, due: now, now: now, queued: false) }
        }
    }

    func stop(at time: Int64) {
        guard !stopped else { return }
        stopped = true
        tally.unsent += timeline.unsent(stopTime: time)
    }

    var inFlight: Int { connections.filter { $0.state == .busy }.count }

    func finish() -> WorkerTally {
        tally.abandoned += connections.filter { $0.state == .busy && $0.counts }.count
        for index in connections.indices { closeSocket(index) }
        finished = true
        return tally.handedOver(with: &seconds)
    }

    func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second] {
        seconds.take(upTo: now)
    }

    // MARK: Sending

    private func send(_ index: Int, due: Int64, now: Int64, queued: Bool) {
        let counts = timeline.inWindow(due)
        let kind = cycle[cyclePosition]
        cyclePosition = cyclePosition + 1 == cycle.count ? 0 : cyclePosition + 1
        connections[index].due = due
        connections[index].sent = now
        connections[index].counts = counts
        connections[index].request = kind
        connections[index].written = 0
        connections[index].responseBytes = 0
        connections[index].parser.expectsNoBody = noBody[kind]
        connections[index].state = .busy
        if counts {
            tally.attempted += 1
            tally.bytesSent += requests[kind].count
            if queued {
                tally.queued += 1
            } else if timeline.schedule != nil {
                tally.sendLag.recordNanoseconds(now - due)
            }
        }
        write(index, now: now)
    }

    /// Writes what is left of the connection's request; the rest waits for the socket to take it.
    private func write(_ index: Int, now: Int64) {
        let request = requests[connections[index].request]
        let from = connections[index].written
        let result = request.withUnsafeBytes {
            sl_send(connections[index].descriptor, $0.baseAddress! + from, $0.count - from)
        }
        if result >= 0 {
            connections[index].written += result
            watchWrites(index, connections[index].written < request.count)
        } else if result == -Int(EAGAIN) {
            watchWrites(index, true)
        } else {
            lost(index, now: now)
        }
    }

    private func watchWrites(_ index: Int, _ watch: Bool) {
        guard connections[index].watchingWrites != watch else { return }
        connections[index].watchingWrites = watch
        sl_epoll_control(
            socketSet, Self.change, connections[index].descriptor, SL_READABLE | (watch ? SL_WRITABLE : 0), token(index)
        )
    }

    /// Sends every request that is due and has a free connection.
    private func dispatchDue(now: Int64) {
        guard timeline.schedule != nil else { return }
        while !stopped && timeline.nextDue <= now {
            guard let index = available.popLast() else {
                starved = true
                return
            }
            send(index, due: timeline.nextDue, now: now, queued: starved)
            timeline.advance()
        }
        starved = false
    }

    /// A connection became free: a closed loop gives it the next request at once.
    private func release(_ index: Int, now: Int64) {
        connections[index].state = .idle
        if timeline.schedule == nil && trafficStarted && !stopped && now < timeline.windowEnd {
            send(index, due: now, now: now, queued: false)
        } else {
            available.append(index)
        }
    }

    // MARK: Connections

    private func token(_ index: Int) -> UInt64 {
        UInt64(index) | (connections[index].generation & 0xFFFF_FFFF) << 32
    }

    private func connect(_ index: Int, now: Int64) {
        guard connectBudget > 0 else {
            connections[index].state = .backoff
            connections[index].retryAt = now
            return
        }
        connectBudget -= 1
        var pending: Int32 = 0
        let descriptor = address.withSockAddr { sl_connect($0, socklen_t($1), &pending) }
        if sl_monotonic_ns() - now > Self.connectSlice { connectBudget = 0 }
        connections[index].connectStarted = now
        guard descriptor >= 0 else {
            failConnect(index, now: now)
            return
        }
        connections[index].descriptor = descriptor
        connections[index].watchingWrites = pending != 0
        sl_epoll_control(socketSet, Self.add, descriptor, pending != 0 ? SL_WRITABLE : SL_READABLE, token(index))
        if pending != 0 {
            connections[index].state = .connecting
        } else {
            connected(index, now: now)
        }
    }

    private func connected(_ index: Int, now: Int64) {
        connections[index].everConnected = true
        watchWrites(index, false)
        connections[index].state = .idle
        if trafficStarted {
            release(index, now: now)
        } else {
            available.append(index)
        }
    }

    private func failConnect(_ index: Int, now: Int64) {
        closeSocket(index)
        if timeline.inWindow(now) { countError(\.connect, now: now) }
        connections[index].state = .backoff
        // Retry later rather than spin against a refusing server.
        connections[index].retryAt = now + 100_000_000
    }

    /// The connection broke (reset, closed by the server, unreadable reply): a request in flight failed.
    private func lost(_ index: Int, now: Int64) {
        if connections[index].state == .busy && connections[index].counts { countError(\.read, now: now) }
        closeSocket(index)
        reopen(index, now: now)
    }

    private func reopen(_ index: Int, now: Int64) {
        if !stopped { connect(index, now: now) }
    }

    private func closeSocket(_ index: Int) {
        if connections[index].state == .idle, let position = available.firstIndex(of: index) {
            available.remove(at: position)
        }
        if connections[index].descriptor >= 0 {
            sl_close(connections[index].descriptor)
            connections[index].descriptor = -1
        }
        connections[index].generation &+= 1
        connections[index].parser = HTTPResponseParser()
        markPartial(index, false)
        connections[index].state = .closed
        connections[index].retryAt = .max
    }

    // MARK: Events

    private func handle(_ event: sl_event, now: Int64) {
        let index = Int(event.token & 0xFFFF_FFFF)
        guard index < connections.count, connections[index].generation & 0xFFFF_FFFF == event.token >> 32 else {
            return
        }
        switch connections[index].state {
        case .connecting:
            if sl_socket_error(connections[index].descriptor) == 0 {
                connected(index, now: now)
            } else {
                failConnect(index, now: now)
            }
        case .busy, .idle:
            if event.events & SL_WRITABLE != 0 && connections[index].state == .busy {
                write(index, now: now)
            }
            if event.events & (SL_READABLE | SL_HANGUP) != 0 && connections[index].descriptor >= 0 {
                read(index, now: now)
            }
        case .closed, .backoff:
            break
        }
    }

    private func read(_ index: Int, now: Int64) {
        let generation = connections[index].generation
        let capacity = receiveBuffer.count
        var stamp: Int64 = 0
        let count = receiveBuffer.withUnsafeMutableBytes {
            sl_receive(connections[index].descriptor, $0.baseAddress, capacity, &stamp)
        }
        if count == -Int(EAGAIN) { return }
        guard count > 0 else {
            ended(index, now: now)
            return
        }
        if stamp == 0 { kernelStamps = false }
        let arrived = stamp == 0 ? now : min(now, stamp - realtimeOffset)
        if now >= timeline.windowStart { tally.bytesReceived += count }
        connections[index].responseBytes += count
        if connections[index].responseBytes >= Self.largeReply { largeReplies = true }
        var offset = 0
        while offset < count && connections[index].generation == generation {
            let step: (consumed: Int, response: HTTPResponseParser.Response?)
            do {
                step = try receiveBuffer.withUnsafeBytes {
                    try connections[index].parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), from: offset)
                }
            } catch {
                lost(index, now: now)
                return
            }
            offset += step.consumed
            guard let response = step.response else { break }
            completed(index, response: response, arrived: arrived, now: now)
        }
        if connections[index].generation == generation && connections[index].state == .busy {
            markPartial(index, !connections[index].parser.isIdle)
        }
    }

    private func markPartial(_ index: Int, _ partial: Bool) {
        guard connections[index].partial != partial else { return }
        connections[index].partial = partial
        partialCount += partial ? 1 : -1
    }

    /// The server closed the connection: a response delimited by the close completes; anything else in flight failed.
    private func ended(_ index: Int, now: Int64) {
        if connections[index].state == .busy, let response = try? connections[index].parser.endOfInput() {
            record(index, response: response, arrived: now, now: now)
            connections[index].state = .idle
        }
        lost(index, now: now)
    }

    private func completed(_ index: Int, response: HTTPResponseParser.Response, arrived: Int64, now: Int64) {
        guard connections[index].state == .busy else {
            // A response nobody asked for: the connection is out of step.
            lost(index, now: now)
            return
        }
        markPartial(index, false)
        if connections[index].responseBytes < Self.largeReply {
            smallReplies = min(smallReplies + 1, Self.repliesBeforePacing)
        }
        record(index, response: response, arrived: arrived, now: now)
        if response.closeAfter {
            closeSocket(index)
            reopen(index, now: now)
        } else {
            release(index, now: now)
        }
    }

    private func record(_ index: Int, response: HTTPResponseParser.Response, arrived: Int64, now: Int64) {
        tally.completedAll += 1
        let connection = connections[index]
        guard connection.counts else {
            if arrived >= timeline.windowStart && connection.due < timeline.windowStart { tally.earlierReplies += 1 }
            return
        }
        let at = max(arrived, connection.sent)
        let corrected = at - connection.due
        tally.completed += 1
        tally.latency.recordNanoseconds(corrected)
        tally.serviceTime.recordNanoseconds(at - connection.sent)
        tally.countStatus(response.status)
        seconds.record(latency: corrected, now: now)
        if response.status >= 500 {
            countError(\.status5xx, now: now)
        } else if response.status >= 400 {
            countError(\.status4xx, now: now)
        }
    }

    /// Times out requests that waited longer than `--timeout` and connections that would not open; retries
    /// connections after their back-off.
    private func sweep(now: Int64) {
        for index in connections.indices {
            switch connections[index].state {
            case .busy where now - connections[index].sent > options.timeoutNanoseconds:
                if connections[index].counts { countError(\.timeout, now: now) }
                closeSocket(index)
                reopen(index, now: now)
            case .connecting where now - connections[index].connectStarted > connectTimeout:
                failConnect(index, now: now)
            case .backoff where now >= connections[index].retryAt:
                connections[index].state = .closed
                reopen(index, now: now)
            default:
                break
            }
        }
    }

    private func countError(_ kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, now: Int64) {
        tally.errors[keyPath: kind] += 1
        seconds.recordError(now: now)
    }
}

extension SocketHTTPWorker: LoadWorker {}

@available(*, unavailable)
extension SocketHTTPWorker: Sendable {}
#endif
