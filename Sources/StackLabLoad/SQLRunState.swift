import NIOConcurrencyHelpers
import NIOCore

/// What the connections of a SQL run share: the schedule's cursor, the start gate, the stop time, and each
/// connection's transaction in flight (for the timeout sweep) and finished seconds (for the progress line).
///
/// Each connection takes the next due transaction when it is free (open loop), so a transaction that finds
/// every connection busy waits, and its latency, counted from its due time, includes the wait.
final class SQLRunState<Session: SQLSession>: Sendable {
    struct Busy {
        var since: Int64
        var session: Session
        var timedOut = false
    }

    private struct State {
        var start: Int64?
        var waiting: [CheckedContinuation<Int64, Never>] = []
        var nextIndex = 0
        var stageHint = 0
        var stopTime: Int64 = .max
        var settled = 0
        var established = 0
        var busy: [Busy?]
        var seconds: [WorkerTally.Second] = []
        var running: Int
    }

    let schedule: ArrivalSchedule?
    private let state: NIOLockedValueBox<State>

    init(schedule: ArrivalSchedule?, connections: Int) {
        self.schedule = schedule
        self.state = NIOLockedValueBox(State(busy: Array(repeating: nil, count: connections), running: connections))
    }

    // MARK: Start

    /// A connection opened (`established`) or gave up opening before the start.
    func settle(established: Bool) {
        state.withLockedValue {
            $0.settled += 1
            if established { $0.established += 1 }
        }
    }

    var settled: Int { state.withLockedValue { $0.settled } }
    var established: Int { state.withLockedValue { $0.established } }

    /// Waits until ``begin(start:)`` and returns the start time (uptime nanoseconds).
    func waitForStart() async -> Int64 {
        await withCheckedContinuation { continuation in
            let start = state.withLockedValue { state -> Int64? in
                if state.start == nil { state.waiting.append(continuation) }
                return state.start
            }
            if let start { continuation.resume(returning: start) }
        }
    }

    func begin(start: Int64) {
        let waiting = state.withLockedValue { state in
            state.start = start
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: start) }
    }

    // MARK: Schedule

    /// The due time of the next transaction of the schedule, or nil when the run has stopped or the schedule
    /// is over.
    func claim(start: Int64) -> Int64? {
        state.withLockedValue { state in
            guard state.stopTime == .max, let schedule,
                let offset = schedule.dueOffset(of: state.nextIndex, stageHint: &state.stageHint)
            else { return nil }
            state.nextIndex += 1
            return start + offset
        }
    }

    /// Ends the run at `time`; returns the transactions due in the measured window that no connection took.
    func stop(at time: Int64, start: Int64, windowStart: Int64, windowEnd: Int64) -> Int {
        state.withLockedValue { state in
            guard state.stopTime == .max else { return 0 }
            state.stopTime = time
            guard let schedule else { return 0 }
            let dueBeforeEnd = schedule.requestsDue(before: min(time, windowEnd) - start)
            let firstInWindow = schedule.requestsDue(before: windowStart - start)
            return max(0, dueBeforeEnd - max(state.nextIndex, firstInWindow))
        }
    }

    var stopTime: Int64 { state.withLockedValue { $0.stopTime } }

    // MARK: Transactions in flight

    func markBusy(_ connection: Int, since: Int64, session: Session) {
        state.withLockedValue { $0.busy[connection] = Busy(since: since, session: session) }
    }

    /// Marks the connection idle; true when the sweep timed its transaction out meanwhile.
    func markIdle(_ connection: Int) -> Bool {
        state.withLockedValue { state in
            defer { state.busy[connection] = nil }
            return state.busy[connection]?.timedOut ?? false
        }
    }

    /// The sessions whose transaction has run longer than `timeout`, each marked as timed out; the caller
    /// closes them, which fails the transaction.
    func overdue(now: Int64, timeout: Int64) -> [Session] {
        state.withLockedValue { state in
            var sessions: [Session] = []
            for index in state.busy.indices {
                guard let busy = state.busy[index], !busy.timedOut, now - busy.since > timeout else { continue }
                state.busy[index]!.timedOut = true
                sessions.append(busy.session)
            }
            return sessions
        }
    }

    /// Every session with a transaction in flight, marked as timed out (the drain is over).
    func abandonAll() -> [Session] {
        overdue(now: .max, timeout: -1)
    }

    // MARK: Progress

    func deliver(_ seconds: [WorkerTally.Second]) {
        guard !seconds.isEmpty else { return }
        state.withLockedValue { $0.seconds += seconds }
    }

    func takeSeconds() -> [WorkerTally.Second] {
        state.withLockedValue { state in
            defer { state.seconds = [] }
            return state.seconds
        }
    }

    func finished() {
        state.withLockedValue { $0.running -= 1 }
    }

    /// Connections still running transactions.
    var running: Int { state.withLockedValue { $0.running } }
}
