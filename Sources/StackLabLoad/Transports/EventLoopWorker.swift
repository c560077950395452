import NIOCore

/// A worker whose thread is a SwiftNIO event loop (``NIOWorker``, ``SQLWorker``): how it starts traffic, sweeps
/// and wakes for the next send, written once for both.
///
/// Every member is used on `loop` only.
protocol EventLoopWorker: CoreWorker, WorkerTransport, NIOScheduledCallbackHandler {
    var loop: any EventLoop { get }
    /// A wake-up for the next send is scheduled.
    var timerArmed: Bool { get set }
    /// The run is over: the sweep stops.
    var finished: Bool { get set }
    /// Ends the handling of an event: writes out what it wrote (where writes are batched), then ``armTimer()``.
    func settle()
}

extension EventLoopWorker {
    func connectAll() {
        core.openNext(now: Self.now(), via: self)
    }

    func finish() -> WorkerTally {
        finished = true
        return core.finish(via: self)
    }

    /// Starts traffic at `start` and sweeps every ``WorkerCore/sweepEvery`` from now on.
    func begin(start: Int64) {
        core.begin(start: start)
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: .uptimeNanoseconds(UInt64(start))) {
            self.core.startTraffic(now: Self.now(), via: self)
            self.settle()
        }
        scheduleSweep()
    }

    private func scheduleSweep() {
        loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(core.sweepEvery)) {
            guard !self.finished else { return }
            self.core.sweep(now: Self.now(), via: self)
            self.settle()
            self.scheduleSweep()
        }
    }

    /// Schedules a wake-up for the next send of an open loop, if one is due and none is scheduled.
    func armTimer() {
        guard !timerArmed, let at = core.nextSendTime else { return }
        timerArmed = true
        do {
            try loop.assumeIsolatedUnsafeUnchecked().scheduleCallback(at: .uptimeNanoseconds(UInt64(at)), handler: self)
        } catch {
            timerArmed = false
        }
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        timerArmed = false
        let now = Self.now()
        core.lastWake = now
        core.dispatchDue(now: now, via: self)
        settle()
    }

    static func now() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }
}
