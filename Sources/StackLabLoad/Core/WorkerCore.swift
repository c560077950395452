import StackLabCore

/// What every load worker shares, whatever its protocol and transport: its part of the schedule and the measured
/// window, its connections free and busy, the requests in flight on each, the tallies, the per-second series,
/// timeouts, connect back-off and error classes.
///
/// A value type with no clock and no sockets: every method takes the time (uptime nanoseconds) and, where it may
/// open, write or close, the ``WorkerTransport`` to do it with. So every decision is tested with a fake clock and
/// fake connections (`WorkerCoreTests`). A connection carries up to `depth` requests at once (a pipeline; 1 for
/// HTTP); each free place on a ready connection is a token in ``available``, sending takes one and a reply gives
/// it back. Replies come in the order of the requests, so each connection keeps its requests in flight in a ring
/// of `depth` entries. Latency counts from a request's due time (corrected for coordinated omission) and from its
/// send (service time); a request counts when its due time falls in the measured window.
///
/// Without keep-alive a connection is a slot: it is free while closed, a request opens it, the reply closes it.
struct WorkerCore {
    /// One request in flight.
    struct InFlight {
        var due: Int64 = 0
        var sent: Int64 = 0
        var counts = false
    }

    struct Link {
        enum State { case closed, connecting, ready, backoff }
        var state = State.closed
        /// The ring of requests in flight: its first entry and its length.
        var first = 0
        var count = 0
        var connectStarted: Int64 = 0
        var retryAt: Int64 = .max
        var everConnected = false
        /// Without keep-alive: the request in flight waits for the connection to open.
        var waiting = false
    }

    /// The longest a connection may take to open, whatever `--timeout` says.
    static let connectCap: Int64 = 10_000_000_000
    /// How long a connection that failed to open waits before it is tried again.
    static let connectBackoff: Int64 = 100_000_000

    let depth: Int
    let keepAlive: Bool
    let timeout: Int64
    let connectTimeout: Int64
    /// How often ``sweep(now:via:)`` should run: a tenth of the timeout, between 1 and 100 ms.
    let sweepEvery: Int64
    let timerSlack: Int64
    /// Connections opened per ``openNext(now:via:)`` and per turn of the transport's loop.
    let connectBatch: Int

    private(set) var timeline: WorkerTimeline
    var tally = WorkerTally()
    var seconds = SecondRecorder(windowStart: .max, windowEnd: .max)
    var links: [Link]
    var ring: [InFlight]
    /// One token per free place on a ready connection (or per free slot without keep-alive): its index.
    private(set) var available: [Int] = []
    /// Connections below this index have been asked to open.
    private(set) var opensStarted = 0
    /// Opens left in this turn; past them a connection waits for the next sweep, in back-off.
    private var openBudget: Int
    private(set) var trafficStarted = false
    private(set) var stopped = false
    private(set) var finished = false
    /// Requests are due and every place is taken.
    private var starved = false
    /// When the transport last woke to send; with a timer slack, the next send waits at least that long after.
    var lastWake: Int64 = 0

    init(
        options: LoadOptions, workerIndex: Int, workerCount: Int, connections: Int, depth: Int = 1,
        connectBatch: Int = .max
    ) {
        self.depth = max(1, depth)
        self.keepAlive = options.keepAlive
        self.timeout = options.timeoutNanoseconds
        self.connectTimeout = min(options.timeoutNanoseconds, Self.connectCap)
        self.sweepEvery = max(1_000_000, min(options.timeoutNanoseconds / 10, 100_000_000))
        self.timerSlack = options.timerSlackNanoseconds
        self.connectBatch = connectBatch
        self.openBudget = connectBatch
        self.timeline = WorkerTimeline(options: options, workerIndex: workerIndex, workerCount: workerCount)
        self.links = Array(repeating: Link(), count: connections)
        self.ring = Array(repeating: InFlight(), count: connections * self.depth)
        available.reserveCapacity(ring.count)
    }

    // MARK: Run phases

    /// Opens the next ``connectBatch`` connections not yet asked to open; without keep-alive, frees every slot.
    mutating func openNext<T: WorkerTransport>(now: Int64, via transport: T) {
        guard keepAlive else {
            if opensStarted == 0 { available = Array(links.indices.reversed()) }
            opensStarted = links.count
            return
        }
        let end = min(links.count, opensStarted + connectBatch)
        for index in opensStarted..<end { open(index, now: now, via: transport) }
        opensStarted = end
    }

    /// Whether connections are still to be asked to open (the transport calls ``openNext(now:via:)`` again).
    var opening: Bool { opensStarted < links.count && !stopped }

    /// A new turn of the transport's loop: ``connectBatch`` more opens may start.
    mutating func renewOpenBudget() {
        openBudget = connectBatch
    }

    /// Connections that have opened or failed since the first ``openNext(now:via:)``.
    var settledCount: Int {
        keepAlive ? links[..<opensStarted].filter { $0.state != .connecting }.count : links.count
    }

    mutating func noteEstablishedAtStart() {
        tally.established = keepAlive ? links.filter { $0.state == .ready }.count : links.count
    }

    /// Sets the run's times: traffic from `start`, the measured window after the warm-up.
    mutating func begin(start: Int64) {
        timeline.begin(start: start)
        seconds = SecondRecorder(windowStart: timeline.windowStart, windowEnd: timeline.windowEnd)
    }

    /// Starts traffic (the transport calls it at ``WorkerTimeline/start``): a closed loop fills every free place.
    mutating func startTraffic<T: WorkerTransport>(now: Int64, via transport: T) {
        guard !trafficStarted else { return }
        trafficStarted = true
        guard !stopped else { return }
        if timeline.schedule != nil {
            timeline.startSchedule()
            dispatchDue(now: now, via: transport)
        } else {
            while let index = available.popLast() { send(on: index, due: now, now: now, queued: false, via: transport) }
        }
    }

    /// Ends traffic: nothing more is sent. Requests due in the window but never sent are counted.
    mutating func stop(at time: Int64) {
        guard !stopped else { return }
        stopped = true
        tally.unsent += timeline.unsent(stopTime: time)
    }

    /// Requests sent and not yet answered.
    var inFlight: Int { links.reduce(0) { $0 + $1.count } }

    /// Closes every connection and hands over what was measured.
    mutating func finish<T: WorkerTransport>(via transport: T) -> WorkerTally {
        finished = true
        for index in links.indices {
            forEachInFlight(index) { tally.abandoned += $0.counts ? 1 : 0 }
            closeLink(index, via: transport)
        }
        available.removeAll()
        var result = tally.handedOver(with: &seconds)
        if !keepAlive { result.established = links.filter(\.everConnected).count }
        return result
    }

    /// Seconds of the series completed by `now` and not yet taken.
    mutating func takeFinishedSeconds(upTo now: Int64) -> [WorkerTally.Second] {
        seconds.take(upTo: now)
    }

    // MARK: Sending

    /// When the next request of an open loop is due to be sent: its due time, or the timer slack after the last
    /// send wake-up if that is later; nil when nothing can be sent (closed loop, no free place, schedule over).
    ///
    /// Read in place (`mutating get`): a transport keeps its core in a class, and a plain getter there made the
    /// compiler copy the whole core (744 bytes, a retain and release of each of its arrays) on every turn of the
    /// loop, about 250 instructions per request on raw sockets (`bench/callgrind.sh`).
    var nextSendTime: Int64? {
        mutating get {
            guard timeline.schedule != nil, trafficStarted, !stopped, timeline.nextDue != .max, !available.isEmpty
            else {
                return nil
            }
            return max(timeline.nextDue, lastWake + timerSlack)
        }
    }

    /// Sends every request that is due and has a free place.
    mutating func dispatchDue<T: WorkerTransport>(now: Int64, via transport: T) {
        guard timeline.schedule != nil, trafficStarted else { return }
        while !stopped && timeline.nextDue <= now {
            guard let index = available.popLast() else {
                starved = true
                return
            }
            send(on: index, due: timeline.nextDue, now: now, queued: starved, via: transport)
            timeline.advance()
        }
        starved = false
    }

    private mutating func send<T: WorkerTransport>(
        on index: Int, due: Int64, now: Int64, queued: Bool, via transport: T
    ) {
        let counts = timeline.inWindow(due)
        var position = links[index].first + links[index].count
        if position >= depth { position -= depth }
        ring[index * depth + position] = InFlight(due: due, sent: now, counts: counts)
        links[index].count += 1
        if counts {
            tally.attempted += 1
            if queued {
                tally.queued += 1
            } else if timeline.schedule != nil {
                tally.sendLag.recordNanoseconds(now - due)
            }
        }
        if links[index].state == .ready {
            write(on: index, counts: counts, due: due, now: now, via: transport)
        } else {
            // Without keep-alive the request opens its connection and is written once it is open.
            links[index].waiting = true
            open(index, now: now, via: transport)
        }
    }

    mutating func write<T: WorkerTransport>(on index: Int, counts: Bool, due: Int64, now: Int64, via transport: T) {
        guard let bytes = transport.write(on: index, due: due, now: now) else {
            lost(index, now: now, via: transport)
            return
        }
        if counts { tally.bytesSent += bytes }
    }

    /// A place on `index` became free: a closed loop gives it the next request at once, an open loop the next
    /// request due.
    mutating func release<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        if timeline.schedule == nil {
            if trafficStarted && !stopped && now < timeline.windowEnd {
                send(on: index, due: now, now: now, queued: false, via: transport)
            } else {
                available.append(index)
            }
            return
        }
        available.append(index)
        if trafficStarted && !stopped && timeline.nextDue <= now { dispatchDue(now: now, via: transport) }
    }

    // MARK: Connections

    private mutating func open<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        guard openBudget > 0 else {
            links[index].state = .backoff
            links[index].retryAt = now
            return
        }
        openBudget -= 1
        links[index].state = .connecting
        links[index].connectStarted = now
        switch transport.open(index, now: now) {
        case .open: connected(index, now: now, via: transport)
        case .pending: break
        case .failed: connectFailed(index, now: now, via: transport)
        }
        // The rest wait for the next turn, in back-off, so that the loop gets back to a stop in time.
        if transport.turnIsLong(since: now) { openBudget = 0 }
    }

    /// Closes `index` (the transport too); the requests in flight on it are dropped uncounted.
    mutating func closeLink<T: WorkerTransport>(_ index: Int, via transport: T) {
        if links[index].state == .ready && links[index].count < depth {
            if depth == 1 {
                if let position = available.lastIndex(of: index) { available.remove(at: position) }
            } else {
                available.removeAll { $0 == index }
            }
        }
        links[index].first = 0
        links[index].count = 0
        links[index].waiting = false
        links[index].state = .closed
        links[index].retryAt = .max
        transport.close(index)
    }

    /// After a connection closed: with keep-alive it opens again (unless the run stopped); without, the slot is free.
    mutating func reopen<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        if keepAlive {
            if !stopped && !finished { open(index, now: now, via: transport) }
        } else if !finished {
            release(index, now: now, via: transport)
        }
    }

    func forEachInFlight(_ index: Int, _ body: (InFlight) -> Void) {
        var position = links[index].first
        for _ in 0..<links[index].count {
            body(ring[index * depth + position])
            position = position + 1 == depth ? 0 : position + 1
        }
    }

    /// Counts every request in flight on `index` that counts as an error of `kind`.
    mutating func failInFlight(_ index: Int, as kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, now: Int64) {
        var failed = 0
        forEachInFlight(index) { failed += $0.counts ? 1 : 0 }
        for _ in 0..<failed { countError(kind, now: now) }
    }

    mutating func countError(_ kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, now: Int64) {
        tally.errors[keyPath: kind] += 1
        seconds.recordError(now: now)
    }
}
