import Foundation
import NIOCore
import NIOPosix
import StackLabCore

extension LoadEngine {
    /// A SQL run: log in once (a clear error if that fails), load the tables when they are absent or of
    /// another size, then one ``SQLClient`` task per connection, watched once every few milliseconds for
    /// progress, the window's edges, Ctrl-C and transactions past the timeout.
    func runSQL<Session: SQLSession>(
        _: Session.Type, endpoint: SQLEndpoint, group: MultiThreadedEventLoopGroup, threads: Int,
        progress: @escaping @Sendable (LoadProgress) -> Void, window: @escaping @Sendable (Bool) -> Void
    ) async throws -> LoadRun {
        let workload = options.sql ?? Workload.SQL()
        let loops = Array(group.makeIterator())
        let session = try await SQLSetup.connect(Session.self, to: endpoint, on: loops[0])
        var dataLoad: LoadResult.DataLoad?
        do {
            if options.loadsRecords, try await !SQLSetup.isLoaded(workload, on: session) {
                logger.info("loading tables", metadata: ["transaction": "\(workload.transaction.rawValue)"])
                dataLoad = try await SQLSetup.load(workload, on: session)
            }
            await session.close()
        } catch {
            await session.close()
            throw UserError(
                "loading the tables for \(workload.transaction.rawValue) failed: \(Session.describe(error))")
        }

        var schedule: ArrivalSchedule?
        if case .openLoop(let openLoop) = options.arrival { schedule = openLoop }
        let state = SQLRunState<Session>(schedule: schedule, connections: options.connections)
        let script = SQLScript(workload: workload, dialect: Session.dialect)
        let seed = UInt64.random(in: 0...UInt64.max)
        let clients = (0..<options.connections).map { index in
            SQLClient<Session>(
                index: index, loop: loops[index % loops.count], endpoint: endpoint, script: script, state: state,
                warmupNanoseconds: options.warmupNanoseconds, durationNanoseconds: options.durationNanoseconds,
                seed: seed)
        }
        return try await withThrowingTaskGroup(of: (tally: WorkerTally, failure: SQLClient<Session>.SetupFailure?).self)
        { tasks in
            for client in clients {
                if #available(macOS 15.0, *) {
                    tasks.addTask(executorPreference: EventLoopTaskExecutor(loop: client.loop)) { await client.run() }
                } else {
                    tasks.addTask { await client.run() }
                }
            }
            let setupDeadline = Date().addingTimeInterval(
                Double(min(options.timeoutNanoseconds, WorkerCore.connectCap)) / 1e9)
            while state.settled < options.connections && Date() < setupDeadline {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            let established = state.established
            let start = Int64(NIODeadline.now().uptimeNanoseconds) + 10_000_000
            if established == 0 {
                // Nothing could be opened: stop the clients at once and say why.
                _ = state.stop(at: start, start: start, windowStart: start, windowEnd: start)
                state.begin(start: start)
                var reason = "no connection could be opened"
                for try await outcome in tasks {
                    switch outcome.failure {
                    case .connect(let message)?: reason = "cannot connect: \(message)"
                    case .prepare(let message, let failure)?:
                        reason = "preparing the \(workload.transaction.rawValue) statements failed: \(message)"
                        if failure == .statement { reason += "; are the tables loaded? (leave out --no-load)" }
                    case nil: break
                    }
                }
                throw UserError("\(Session.dialect.family.rawValue) at \(endpoint.host):\(endpoint.port): \(reason)")
            }

            let usageBefore = ProcessUsage.current()
            let cpuTimesBefore = ProcessUsage.cpuTimes()
            let startDate = Date().addingTimeInterval(0.01)
            let clock = MeasuredWindow(
                start: start, warmupNanoseconds: options.warmupNanoseconds,
                durationNanoseconds: options.durationNanoseconds)
            state.begin(start: start)
            let watch = try await clock.watch(
                step: 20_000_000, stopRequested: { stopRequested }, window: window, progress: progress,
                poll: {
                    await closeOverdue(state)
                    return state.takeSeconds()
                })
            let (windowStart, windowEnd, stopTime) = (clock.windowStart, clock.windowEnd, watch.stopTime)
            var series = watch.series
            let windowOpen = watch.windowOpened
            let unsent = state.stop(at: stopTime, start: start, windowStart: windowStart, windowEnd: windowEnd)
            if windowOpen { window(false) }
            // Transactions in flight finish or time out; past the timeout they are abandoned.
            let drainDeadline = Int64(NIODeadline.now().uptimeNanoseconds) + options.timeoutNanoseconds + 200_000_000
            while state.running > 0 {
                let now = Int64(NIODeadline.now().uptimeNanoseconds)
                if now >= drainDeadline {
                    for session in state.abandonAll() { await session.close() }
                    break
                }
                await closeOverdue(state)
                try await Task.sleep(nanoseconds: 2_000_000)
            }
            var tally = WorkerTally()
            for try await outcome in tasks { tally.merge(outcome.tally) }
            series.add(tally.seconds + state.takeSeconds())
            let usage = ProcessUsage.current() - usageBefore
            var stealShare: Double?
            if let before = cpuTimesBefore, let after = ProcessUsage.cpuTimes(), after.total > before.total {
                stealShare = Double(after.steal - before.steal) / Double(after.total - before.total)
            }
            let trafficSeconds = Double(Int64(NIODeadline.now().uptimeNanoseconds) - start) / 1e9
            tally.established = established
            tally.unsent = unsent
            let measured = Double(max(0, min(stopTime, windowEnd) - windowStart)) / 1e9
            var result = makeResult(
                tally: tally, usage: usage, trafficSeconds: trafficSeconds, threads: threads, measured: measured,
                interrupted: stopTime < windowEnd, startDate: startDate, stealShare: stealShare, series: series)
            result.target.keepAlive = true
            result.dataLoad = dataLoad
            return LoadRun(result: result, latency: tally.latency, serviceTime: tally.serviceTime)
        }
    }

    /// Closes the sessions whose transaction ran past the timeout, which fails the transaction.
    private func closeOverdue<Session: SQLSession>(_ state: SQLRunState<Session>) async {
        let overdue = state.overdue(
            now: Int64(NIODeadline.now().uptimeNanoseconds), timeout: options.timeoutNanoseconds)
        for session in overdue { await session.close() }
    }
}
