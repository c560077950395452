import NIOCore
import StackLabCore

/// One connection of a SQL run: it opens a session, prepares the script, then runs transactions until the
/// run stops, one at a time, and records what it measured.
///
/// Open loop: the client takes the next due transaction from the shared schedule when it is free and waits
/// for its due time; latency counts from the due time, so time spent waiting for a free connection is in
/// it. Closed loop: the next transaction starts when the previous one ends. A failed transaction is rolled
/// back and counted by class; a lost connection is reopened (after 100 ms when opening fails).
struct SQLClient<Session: SQLSession>: Sendable {
    let index: Int
    let loop: any EventLoop
    let endpoint: SQLEndpoint
    let script: SQLScript
    let state: SQLRunState<Session>
    let warmupNanoseconds: Int64
    let durationNanoseconds: Int64
    let seed: UInt64

    private struct Opened {
        var session: Session
        var prepared: [Session.Statement?]
    }

    /// What failed before the run: the first client's reason when no connection could be opened and prepared.
    enum SetupFailure: Error {
        case connect(String)
        case prepare(String, SQLFailure)
    }

    /// Opens, waits for the start, runs; returns what it measured and, when it could not open before the
    /// start, why.
    func run() async -> (tally: WorkerTally, failure: SetupFailure?) {
        var tally = WorkerTally()
        var opened: Opened?
        var failure: SetupFailure?
        do {
            opened = try await open()
        } catch let error as SetupFailure {
            failure = error
        } catch {
            failure = .connect(Session.describe(error))
        }
        state.settle(established: opened != nil)
        let start = await state.waitForStart()
        let windowStart = start + warmupNanoseconds
        let windowEnd = windowStart + durationNanoseconds
        var seconds = SecondRecorder(windowStart: windowStart, windowEnd: windowEnd)
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        if Self.now() < start { await sleep(until: start) }

        while true {
            let due: Int64
            var queued = false
            if state.schedule != nil {
                guard let claimed = state.claim(start: start) else { break }
                due = claimed
                let now = Self.now()
                if due > now {
                    await sleep(until: due)
                } else {
                    queued = now - due > 1_000_000
                }
            } else {
                due = Self.now()
                guard due < windowEnd, state.stopTime == .max else { break }
            }
            guard due < state.stopTime else { break }
            let counts = due >= windowStart && due < windowEnd
            if counts { tally.attempted += 1 }

            if opened == nil {
                do {
                    opened = try await open()
                } catch {
                    let now = Self.now()
                    if counts {
                        tally.errors.connect += 1
                        seconds.recordError(now: now)
                    }
                    await sleep(until: now + WorkerCore.connectBackoff)
                    continue
                }
            }
            guard let connection = opened else { continue }
            let sent = Self.now()
            state.markBusy(index, since: sent, session: connection.session)
            var failure: SQLFailure?
            do {
                try await script.run(on: connection.session, prepared: connection.prepared, random: &random)
            } catch {
                failure = Session.classify(error)
            }
            let timedOut = state.markIdle(index)
            let end = Self.now()
            tally.completedAll += failure == nil ? 1 : 0
            if let failure {
                if timedOut || failure == .connectionLost || failure == .connect {
                    await connection.session.close()
                    opened = nil
                } else if script.isTransaction {
                    // The rollback is swept for the timeout like the transaction, so it cannot hang the run.
                    state.markBusy(index, since: Self.now(), session: connection.session)
                    do {
                        _ = try await connection.session.query(script.dialect.rollback)
                    } catch {
                        await connection.session.close()
                        opened = nil
                    }
                    if state.markIdle(index) {
                        await connection.session.close()
                        opened = nil
                    }
                }
                guard counts else { continue }
                switch timedOut ? .lockTimeout : failure {
                case .serialization: tally.errors.serialization += 1
                case .deadlock: tally.errors.deadlock += 1
                case .lockTimeout: tally.errors.timeout += 1
                case .statement: tally.errors.sql += 1
                case .connect: tally.errors.connect += 1
                case .connectionLost: tally.errors.read += 1
                }
                seconds.recordError(now: end)
            } else if counts {
                tally.completed += 1
                tally.latency.recordNanoseconds(end - due)
                tally.serviceTime.recordNanoseconds(end - sent)
                if queued {
                    tally.queued += 1
                } else if state.schedule != nil {
                    tally.sendLag.recordNanoseconds(max(0, sent - due))
                }
                seconds.record(latency: end - due, now: end)
            }
            if counts { state.deliver(seconds.take()) }
        }
        if let connection = opened { await connection.session.close() }
        seconds.flush()
        tally.seconds = seconds.take()
        state.finished()
        return (tally, failure)
    }

    /// A new session with the script's statements prepared.
    private func open() async throws -> Opened {
        let session: Session
        do {
            session = try await Session.connect(to: endpoint, on: loop)
        } catch {
            throw SetupFailure.connect(Session.describe(error))
        }
        var prepared: [Session.Statement?] = []
        do {
            for (position, statement) in script.statements.enumerated() {
                prepared.append(script.isPrepared(position) ? try await session.prepare(statement) : nil)
            }
        } catch {
            await session.close()
            throw SetupFailure.prepare(Session.describe(error), Session.classify(error))
        }
        return Opened(session: session, prepared: prepared)
    }

    /// Suspends until `deadline` (uptime nanoseconds), timed by the event loop's timer.
    private func sleep(until deadline: Int64) async {
        await withCheckedContinuation { continuation in
            loop.scheduleTask(deadline: .uptimeNanoseconds(UInt64(max(deadline, 0)))) { continuation.resume() }
        }
    }

    static func now() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }
}
