#if os(Linux)
import CStackLabSockets
import Glibc
import NIOCore
import StackLabCore

/// One thread's share of a load run on non-blocking sockets and epoll, for any ``WireCodec``.
///
/// What to send when, and what a reply means for the run, is its ``WorkerCore``'s; how it waits is what this
/// transport is for. An open-loop run wakes only when a request is due (or `--timer-slack` after the last
/// wake-up, whichever is later), reads every reply that has arrived meanwhile, and dates each reply by the
/// kernel's receive time (`SO_TIMESTAMPNS`), not by when it was read: so the latency stays exact while a reply
/// costs no wake-up of its own. On a virtual machine a sleep and wake-up costs tens of microseconds of CPU,
/// about as much as the rest of a request (BENCHMARKS.md). It watches the sockets (one wake-up per reply) only
/// when it must: in a closed loop, when every connection is busy and requests are waiting, after the schedule
/// ends, if the kernel gives no receive times, for the first few replies (to see their size), while a reply
/// is half read, and for good once a reply of 32 KiB or more was seen (unread, it would fill the receive
/// window and hold the server back).
final class SocketWorker<Codec: WireCodec> {
    struct Socket {
        var descriptor: Int32 = -1
        /// Bumped whenever the socket is closed, so that a stale readiness event is ignored.
        var generation: UInt64 = 0
        var connecting = false
        /// The greeting is written and its reply not yet read.
        var greeting = false
        var watchingWrites = false
        /// Bytes of requests not yet written.
        var out = ByteBuffer()
        var parser: Codec.Parser
        /// Bytes read since the last request was written.
        var responseBytes = 0
        /// Part of a reply has been read and the rest has not come yet.
        var partial = false
    }

    let thread: WorkerThread
    var core: WorkerCore
    private var codec: Codec
    private let address: SocketAddress

    /// Watches the eventfd only: the open loop's timed sleep, woken early by a call from the engine.
    private let timerSet: Int32
    /// Watches the eventfd and every socket.
    private let socketSet: Int32
    private var sockets: [Socket]
    private var receiveBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Connections opened per turn of the loop: a connect to a loopback port takes microseconds, or milliseconds
    /// when the ephemeral ports run short; calls from the engine (a stop on Ctrl-C) run between batches.
    static var connectBatch: Int { 256 }

    private var finished = false
    private var nextSweep: Int64 = 0
    /// The kernel dates replies; cleared for good the first time it does not.
    private var kernelStamps = true
    /// Connections with part of a reply read: the rest is read as it comes.
    private var partialCount = 0
    /// Replies read so far that were small, up to ``repliesBeforePacing``.
    private var smallReplies = 0
    /// A reply of ``largeReply`` bytes or more was seen: replies are read as they come, for good.
    private var largeReplies = false
    /// A reply this large may not fit the receive window the kernel offers before the client reads; left
    /// unread, it would hold the server back, so replies must be read as they come.
    static var largeReply: Int { 32 * 1024 }
    /// Small replies seen before replies are left to wait for the next send (the first ones show their size).
    static var repliesBeforePacing: Int { 8 }
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC, taken at each wake-up to read the kernel's receive times.
    private var realtimeOffset: Int64 = 0

    init(
        options: LoadOptions, codec: Codec, address: SocketAddress, workerIndex: Int, workerCount: Int,
        connections: Int
    ) throws {
        self.codec = codec
        self.address = address
        self.core = WorkerCore(
            options: options, workerIndex: workerIndex, workerCount: workerCount, connections: connections,
            connectBatch: Self.connectBatch)
        self.sockets = Array(repeating: Socket(parser: codec.makeParser()), count: connections)
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

    private static var wakeToken: UInt64 { .max }
    /// `sl_epoll_control`'s operations.
    private static var add: Int32 { 1 }
    private static var change: Int32 { 2 }

    // MARK: The loop

    private func runLoop() {
        sl_set_timer_slack(1_000)
        var events = [sl_event](repeating: sl_event(), count: 64)
        while !finished {
            core.renewOpenBudget()
            var now = sl_monotonic_ns()
            if !core.trafficStarted && now >= core.timeline.start { core.startTraffic(now: now, via: self) }
            let sendAt = core.nextSendTime
            let paced = sendAt != nil && repliesCanWait
            var deadline = min(nextSweep, sendAt ?? .max)
            if core.timeline.start > now { deadline = min(deadline, core.timeline.start) }
            if core.opening { deadline = now }
            var count = events.withUnsafeMutableBufferPointer {
                sl_epoll_wait(paced ? timerSet : socketSet, $0.baseAddress, Int32($0.count), max(0, deadline - now))
            }
            now = sl_monotonic_ns()
            realtimeOffset = sl_realtime_ns() - now
            if let sendAt, now >= sendAt { core.lastWake = now }
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
            if core.opening { core.openNext(now: now, via: self) }
            if core.trafficStarted { core.dispatchDue(now: now, via: self) }
            if now >= nextSweep {
                core.sweep(now: now, via: self)
                nextSweep = now + core.sweepEvery
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

    /// Whether replies may wait in the kernel until the next send: the kernel dates them, they have been small,
    /// and none is half read.
    private var repliesCanWait: Bool {
        kernelStamps && !largeReplies && smallReplies >= Self.repliesBeforePacing && partialCount == 0
    }

    // MARK: Run phases, called by the engine on this thread.

    func connectAll() {
        core.openNext(now: sl_monotonic_ns(), via: self)
    }

    func begin(start: Int64) {
        core.begin(start: start)
    }

    func finish() -> WorkerTally {
        finished = true
        return core.finish(via: self)
    }

    // MARK: Events

    private func token(_ index: Int) -> UInt64 {
        UInt64(index) | (sockets[index].generation & 0xFFFF_FFFF) << 32
    }

    private func handle(_ event: sl_event, now: Int64) {
        let index = Int(event.token & 0xFFFF_FFFF)
        guard index < sockets.count, sockets[index].descriptor >= 0,
            sockets[index].generation & 0xFFFF_FFFF == event.token >> 32
        else { return }
        if sockets[index].connecting {
            guard sl_socket_error(sockets[index].descriptor) == 0 else {
                core.connectFailed(index, now: now, via: self)
                return
            }
            sockets[index].connecting = false
            watchWrites(index, false)
            switch greet(index) {
            case .open: core.connected(index, now: now, via: self)
            case .pending: break
            case .failed: core.connectFailed(index, now: now, via: self)
            }
            return
        }
        if event.events & SL_WRITABLE != 0 && sockets[index].out.readableBytes > 0 {
            guard flush(index) else {
                core.lost(index, now: now, via: self)
                return
            }
        }
        if event.events & (SL_READABLE | SL_HANGUP) != 0 && sockets[index].descriptor >= 0 {
            read(index, now: now)
        }
    }

    private func read(_ index: Int, now: Int64) {
        let generation = sockets[index].generation
        let capacity = receiveBuffer.count
        var stamp: Int64 = 0
        let count = receiveBuffer.withUnsafeMutableBytes {
            sl_receive(sockets[index].descriptor, $0.baseAddress, capacity, &stamp)
        }
        if count == -Int(EAGAIN) { return }
        guard count > 0 else {
            ended(index, now: now)
            return
        }
        if stamp == 0 { kernelStamps = false }
        let arrived = stamp == 0 ? now : min(now, stamp - realtimeOffset)
        core.received(bytes: count, now: now)
        sockets[index].responseBytes += count
        if sockets[index].responseBytes >= Self.largeReply { largeReplies = true }
        var offset = 0
        while offset < count && sockets[index].generation == generation {
            let step: (consumed: Int, reply: ParsedReply?)
            do {
                step = try receiveBuffer.withUnsafeBytes {
                    try sockets[index].parser.nextReply(UnsafeRawBufferPointer(rebasing: $0[0..<count]), from: offset)
                }
            } catch {
                core.lost(index, now: now, via: self)
                return
            }
            offset += step.consumed
            guard let reply = step.reply else { break }
            completed(index, reply: reply, arrived: arrived, now: now)
        }
        if sockets[index].generation == generation { markPartial(index, !sockets[index].parser.isIdle) }
    }

    private func completed(_ index: Int, reply: ParsedReply, arrived: Int64, now: Int64) {
        markPartial(index, false)
        if sockets[index].greeting {
            sockets[index].greeting = false
            if case .resp(.error) = reply.outcome {
                core.connectFailed(index, now: now, via: self)
            } else {
                core.connected(index, now: now, via: self)
            }
            return
        }
        if sockets[index].responseBytes < Self.largeReply {
            smallReplies = min(smallReplies + 1, Self.repliesBeforePacing)
        }
        core.completed(
            index, outcome: reply.outcome, closeAfter: reply.closeAfter, arrived: arrived, now: now, via: self)
    }

    /// The server closed the connection: a reply delimited by the close completes; anything else in flight failed.
    private func ended(_ index: Int, now: Int64) {
        if let reply = try? sockets[index].parser.replyAtClose(), !sockets[index].greeting {
            core.completed(index, outcome: reply.outcome, closeAfter: true, arrived: now, now: now, via: self)
        } else {
            core.lost(index, now: now, via: self)
        }
    }

    private func markPartial(_ index: Int, _ partial: Bool) {
        guard sockets[index].partial != partial else { return }
        sockets[index].partial = partial
        partialCount += partial ? 1 : -1
    }

    // MARK: Writing

    /// Writes the greeting, if the codec has one: the connection is open now when there is none, once its
    /// reply has come when there is one.
    private func greet(_ index: Int) -> OpenStart {
        guard codec.writeGreeting(into: &sockets[index].out) else { return .open }
        sockets[index].greeting = true
        return flush(index) ? .pending : .failed
    }

    /// Writes what is left of the connection's requests; the rest waits for the socket to take it. False when
    /// the connection broke.
    private func flush(_ index: Int) -> Bool {
        let descriptor = sockets[index].descriptor
        let result = sockets[index].out.withUnsafeReadableBytes { sl_send(descriptor, $0.baseAddress!, $0.count) }
        if result >= 0 {
            sockets[index].out.moveReaderIndex(forwardBy: result)
            watchWrites(index, sockets[index].out.readableBytes > 0)
        } else if result == -Int(EAGAIN) {
            watchWrites(index, true)
        } else {
            return false
        }
        return true
    }

    private func watchWrites(_ index: Int, _ watch: Bool) {
        guard sockets[index].watchingWrites != watch else { return }
        sockets[index].watchingWrites = watch
        sl_epoll_control(
            socketSet, Self.change, sockets[index].descriptor, SL_READABLE | (watch ? SL_WRITABLE : 0), token(index))
    }
}

extension SocketWorker: WorkerTransport {
    func open(_ index: Int, now: Int64) -> OpenStart {
        var pending: Int32 = 0
        let descriptor = address.withSockAddr { sl_connect($0, socklen_t($1), &pending) }
        guard descriptor >= 0 else { return .failed }
        sockets[index].descriptor = descriptor
        sockets[index].watchingWrites = pending != 0
        sockets[index].connecting = pending != 0
        sl_epoll_control(socketSet, Self.add, descriptor, pending != 0 ? SL_WRITABLE : SL_READABLE, token(index))
        return pending != 0 ? .pending : greet(index)
    }

    /// A turn's opens stop once it is 10 ms old (19,000 connections to a port that accepts none: a signal took
    /// 7.6-12.9 s to stop the run with batches alone, about a second with this).
    func turnIsLong(since start: Int64) -> Bool { sl_monotonic_ns() - start > 10_000_000 }

    func write(on index: Int, now: Int64) -> Int? {
        let request = codec.writeRequest(into: &sockets[index].out)
        sockets[index].parser.expect(request.expectation)
        sockets[index].responseBytes = 0
        return flush(index) ? request.bytes : nil
    }

    func close(_ index: Int) {
        if sockets[index].descriptor >= 0 {
            sl_close(sockets[index].descriptor)
            sockets[index].descriptor = -1
        }
        sockets[index].generation &+= 1
        sockets[index].parser = codec.makeParser()
        sockets[index].out.moveReaderIndex(to: sockets[index].out.writerIndex)
        sockets[index].connecting = false
        sockets[index].greeting = false
        sockets[index].watchingWrites = false
        markPartial(index, false)
    }
}

extension SocketWorker: CoreWorker {}

@available(*, unavailable)
extension SocketWorker: Sendable {}
#endif
