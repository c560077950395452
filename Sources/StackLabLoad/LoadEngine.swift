import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import StackLabCore

/// What a run measured: the result and the merged histograms it was summarised from.
public struct LoadRun: Sendable {
    public var result: LoadResult
    public var latency: LatencyHistogram
    public var serviceTime: LatencyHistogram
}

/// One line of live progress, about once a second.
public struct LoadProgress: Sendable {
    /// Seconds since traffic started, warm-up included.
    public var elapsed: Double
    public var total: Double
    public var inWarmup: Bool
    /// Completed requests per second in the last full second of the measured window.
    public var rate: Double
    /// p99 of the last full second, in microseconds.
    public var p99: Double
    public var errors: Int
}

/// Drives HTTP/1.1, Redis or SQL load at a target and measures it; the instrument every StackLab number rests on.
///
/// A `redis://` target gets its records loaded first (timed, reported as `dataLoad`), then a YCSB mix; a
/// `postgres://` or `mysql://` target gets its tables loaded when absent, then transactions (``runSQL(_:endpoint:group:threads:progress:window:)``).
///
/// Each of `threads` event loops owns a share of the connections and of the schedule and records into
/// its own histograms; the engine merges them once a second for the series and at the end for the
/// result. Memory stays constant however long the run.
public final class LoadEngine: Sendable {
    public let options: LoadOptions
    let logger: Logger
    private let stopRequest = NIOLockedValueBox<Bool>(false)

    public init(options: LoadOptions, logger: Logger = Logger(label: "stacklab.load")) {
        self.options = options
        self.logger = logger
    }

    /// Ends the run early (Ctrl-C); what ran so far is still measured and returned.
    public func stop() {
        stopRequest.withLockedValue { $0 = true }
    }

    var stopRequested: Bool { stopRequest.withLockedValue { $0 } }

    /// Runs the load and returns what it measured.
    ///
    /// - Throws: `UserError` when the target cannot be resolved or reached before any load is sent.
    ///
    /// - Parameters:
    ///   - progress: called about once a second with the last second's figures.
    ///   - window: called with `true` when the measured window opens (after the warm-up) and with `false`
    ///     when it closes, so that resource sampling can cover exactly what is measured.
    public func run(
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in },
        window: @escaping @Sendable (Bool) -> Void = { _ in }
    ) async throws -> LoadRun {
        try options.checkRequests()
        let consumers = options.messaging.map { $0.subscriptions * $0.consumersPerSubscription } ?? 0
        let threads = max(1, min(options.threads, options.connections + consumers))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: usesSocketWorkers ? 1 : threads)
        do {
            let run = try await run(group: group, threads: threads, progress: progress, window: window)
            try? await group.shutdownGracefully()
            return run
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(
        group: MultiThreadedEventLoopGroup, threads: Int, progress: @escaping @Sendable (LoadProgress) -> Void,
        window: @escaping @Sendable (Bool) -> Void
    ) async throws -> LoadRun {
        let target = options.target
        if let endpoint = target.sqlEndpoint, let family = target.sqlFamily {
            let prepared: (workers: [WorkerHandle], dataLoad: LoadResult.DataLoad?)
            switch family {
            case .postgres:
                prepared = try await prepareSQL(
                    PostgresSession.self, endpoint: endpoint, group: group, threads: threads)
            case .mysql:
                prepared = try await prepareSQL(MySQLSession.self, endpoint: endpoint, group: group, threads: threads)
            }
            var run = try await drive(
                prepared.workers, threads: threads, progress: progress, window: window, dataLoad: prepared.dataLoad)
            run.result.target.keepAlive = true
            return run
        }
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
        } catch {
            throw UserError("cannot resolve host '\(target.host)': \(error)")
        }
        if options.messaging != nil {
            return try await runMessaging(
                group: group, threads: threads, address: address, progress: progress, window: window)
        }
        let sslContext = try makeSSLContext()
        var dataLoad: LoadResult.DataLoad?
        if target.isRedis {
            try await RedisSetup.probe(
                target: target, address: address, group: group, timeout: min(options.timeoutNanoseconds, 5_000_000_000))
            if let keyValue = options.keyValue, options.loadsRecords {
                logger.info("loading records", metadata: ["records": "\(keyValue.records)"])
                dataLoad = try await RedisSetup.load(
                    target: target, address: address, group: group, keyValue: keyValue,
                    timeout: max(options.timeoutNanoseconds, 60_000_000_000))
            }
        } else {
            try await probe(address: address, group: group, sslContext: sslContext)
        }

        let workers = try await makeWorkers(
            group: group, threads: threads, address: address, sslContext: sslContext)
        do {
            return try await drive(workers, threads: threads, progress: progress, window: window, dataLoad: dataLoad)
        } catch {
            for worker in workers { worker.abandon() }
            throw error
        }
    }

    /// One worker per thread, each with its share of the connections.
    private func makeWorkers(
        group: MultiThreadedEventLoopGroup, threads: Int, address: SocketAddress, sslContext: NIOSSLContext?
    ) async throws -> [WorkerHandle] {
        let target = options.target
        let options = self.options
        let loops = Array(group.makeIterator())
        var workers: [WorkerHandle] = []
        let seed = UInt64.random(in: 0...UInt64.max)
        for index in 0..<threads {
            let share = options.connections / threads + (index < options.connections % threads ? 1 : 0)
            #if os(Linux)
            if usesSocketWorkers {
                let worker = try SocketWorker(
                    options: options, codec: HTTPCodec(options: options, workerIndex: index), address: address,
                    workerIndex: index, workerCount: threads, connections: share)
                workers.append(worker.startThread())
                continue
            }
            #endif
            let loop = loops[index % loops.count]
            let worker = try await loop.submit {
                let worker: any LoadWorker
                if target.isRedis {
                    worker = NIOWorker(
                        loop: loop, options: options,
                        codec: RESPCodec(options: options, workerIndex: index, seed: seed),
                        depth: options.keyValue?.pipeline ?? 1, address: address, sslContext: nil, workerIndex: index,
                        workerCount: threads, connections: share)
                } else {
                    worker = NIOWorker(
                        loop: loop, options: options, codec: HTTPCodec(options: options, workerIndex: index),
                        address: address, sslContext: sslContext, workerIndex: index, workerCount: threads,
                        connections: share)
                }
                return WorkerHandle(worker: worker, loop: loop)
            }.get()
            workers.append(worker)
        }
        return workers
    }

    /// Plain HTTP over keep-alive connections runs on raw sockets (``SocketWorker``); TLS, a connection per
    /// request and Redis run on SwiftNIO (``NIOWorker``).
    var usesSocketWorkers: Bool {
        #if os(Linux)
        let target = options.target
        return options.directSockets && !target.tls && !target.isRedis && !target.isMessaging
            && target.sqlEndpoint == nil
            && options.keepAlive
        #else
        return false
        #endif
    }

    /// Connects, runs the schedule through the measured window, drains what is in flight and merges the tallies.
    /// `onBegin` is told when traffic starts (uptime nanoseconds), before the first request.
    func drive(
        _ workers: [WorkerHandle], threads: Int, progress: @escaping @Sendable (LoadProgress) -> Void,
        window: @escaping @Sendable (Bool) -> Void, dataLoad: LoadResult.DataLoad?,
        onBegin: @Sendable (Int64) async -> Void = { _ in }
    ) async throws -> LoadRun {
        await onEach(workers) { $0.connectAll() }
        // Wait until every connection has opened or failed, at most the timeout.
        let setupDeadline = Date().addingTimeInterval(
            Double(min(options.timeoutNanoseconds, WorkerCore.connectCap)) / 1e9)
        while Date() < setupDeadline, !stopRequested, !Task.isCancelled {
            let settled = await onEach(workers) { $0.settledCount }.reduce(0, +)
            if settled >= options.connections { break }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        let established = await onEach(workers) { $0.noteEstablishedAtStart() }.reduce(0, +)
        if established == 0, let reason = await onEach(workers, { $0.setupFailure }).compactMap({ $0 }).first {
            throw UserError(reason)
        }

        let usageBefore = ProcessUsage.current()
        let cpuTimesBefore = ProcessUsage.cpuTimes()
        let start = Int64(NIODeadline.now().uptimeNanoseconds) + 10_000_000
        let startDate = Date().addingTimeInterval(0.01)
        let clock = MeasuredWindow(
            start: start, warmupNanoseconds: options.warmupNanoseconds, durationNanoseconds: options.durationNanoseconds
        )
        await onBegin(start)
        await onEach(workers) { $0.begin(start: start) }
        let watch = try await clock.watch(
            step: 50_000_000, stopRequested: { stopRequested }, window: window, progress: progress,
            poll: { await onEach(workers) { $0.takeFinishedSeconds(upTo: MeasuredWindow.now) }.flatMap { $0 } })
        let (windowStart, windowEnd, stopTime) = (clock.windowStart, clock.windowEnd, watch.stopTime)
        var series = watch.series
        let windowOpen = watch.windowOpened
        let stopAt = stopTime
        await onEach(workers) { $0.stop(at: stopAt) }
        if windowOpen { window(false) }
        // Let requests already sent finish, or time out, so a stall at the end is not lost; after a stop (Ctrl-C)
        // for at most a third of a second: what is still unanswered then is counted so.
        let drain = stopRequested ? min(options.timeoutNanoseconds, 300_000_000) : options.timeoutNanoseconds
        let drainDeadline = Int64(NIODeadline.now().uptimeNanoseconds) + drain + 200_000_000
        while Int64(NIODeadline.now().uptimeNanoseconds) < drainDeadline {
            let inFlight = await onEach(workers) { $0.inFlight }.reduce(0, +)
            if inFlight == 0 { break }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        let usage = ProcessUsage.current() - usageBefore
        var stealShare: Double?
        if let before = cpuTimesBefore, let after = ProcessUsage.cpuTimes(), after.total > before.total {
            stealShare = Double(after.steal - before.steal) / Double(after.total - before.total)
        }
        let trafficSeconds = Double(Int64(NIODeadline.now().uptimeNanoseconds) - start) / 1e9
        var tally = WorkerTally()
        for part in await onEach(workers, { $0.finish() }) { tally.merge(part) }
        series.add(tally.seconds)

        let measured = Double(max(0, min(stopTime, windowEnd) - windowStart)) / 1e9
        var result = makeResult(
            tally: tally, usage: usage, trafficSeconds: trafficSeconds, threads: threads, measured: measured,
            interrupted: stopTime < windowEnd, startDate: startDate, stealShare: stealShare, series: series)
        result.dataLoad = dataLoad
        return LoadRun(
            result: result,
            latency: tally.latency, serviceTime: tally.serviceTime)
    }

    /// One connection before the run, so that a wrong port or a certificate the client will not accept
    /// fails fast with a clear message rather than as a run full of errors.
    private func probe(
        address: SocketAddress, group: MultiThreadedEventLoopGroup, sslContext: NIOSSLContext?
    ) async throws {
        let timeout = min(options.timeoutNanoseconds, 5_000_000_000)
        let target = options.target
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(timeout))
                .connect(to: address).get()
        } catch {
            throw UserError("cannot connect to \(target.host):\(target.port): \(Self.describe(error))")
        }
        defer { channel.close(promise: nil) }
        guard let sslContext else { return }
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        do {
            try await channel.eventLoop.submit {
                let tls = try NIOSSLClientHandler(
                    context: sslContext, serverHostname: target.hostIsAddress ? nil : target.host)
                try channel.pipeline.syncOperations.addHandlers(tls, HandshakeWaiter(done: handshake))
            }.get()
            channel.eventLoop.scheduleTask(in: .nanoseconds(timeout)) {
                handshake.fail(ChannelError.connectTimeout(.nanoseconds(timeout)))
            }
            try await handshake.futureResult.get()
        } catch {
            throw UserError(Self.handshakeFailure(error, target: target, insecure: options.insecure))
        }
    }

    /// Why a TLS handshake failed, with the fix that applies: a port that answers in plain text wants an
    /// `http://` URL; only a certificate the client refused wants `--insecure`.
    static func handshakeFailure(_ error: any Error, target: TargetURL, insecure: Bool) -> String {
        let text = String(describing: error)
        let endpoint = "\(target.host.contains(":") ? "[\(target.host)]" : target.host):\(target.port)"
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
            return "\(endpoint) does not speak TLS (it answered the handshake in plain text); if it serves plain "
                + "HTTP, use http://\(endpoint)\(target.pathAndQuery)"
        }
        let certificate = text.contains("CERTIFICATE") || text.localizedCaseInsensitiveContains("certificate")
        let hint = certificate && !insecure ? "; for a self-signed certificate add --insecure" : ""
        return "TLS handshake with \(endpoint) failed: \(MessageText.oneLine(text, limit: 200))\(hint)"
    }

    private func makeSSLContext() throws -> NIOSSLContext? {
        guard options.target.tls else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if options.insecure { configuration.certificateVerification = .none }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw UserError("cannot set up TLS: \(error)")
        }
    }

    @discardableResult
    private func onEach<T: Sendable>(
        _ workers: [WorkerHandle], _ body: @escaping @Sendable (any LoadWorker) -> T
    ) async -> [T] {
        var results: [T] = []
        for worker in workers { results.append(await worker.perform(body)) }
        return results
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if case ChannelError.connectTimeout = error { return "timed out" }
        return "\(error)"
    }

    func makeResult(
        tally: WorkerTally, usage: ProcessUsage, trafficSeconds: Double, threads: Int, measured: Double,
        interrupted: Bool, startDate: Date, stealShare: Double?, series: SeriesAccumulator
    ) -> LoadResult {
        let achieved = measured > 0 ? Double(tally.completed) / measured : 0
        var targetRate: Double?
        var arrivalInfo: LoadResult.ArrivalInfo
        var dueInWindow = tally.attempted
        switch options.arrival {
        case .closedLoop:
            arrivalInfo = .init(model: "closed", targetRate: nil, stages: nil)
        case .openLoop(let schedule):
            let from = options.warmupNanoseconds
            let to = from + Int64(measured * 1e9)
            let due = schedule.arrivals(at: to) - schedule.arrivals(at: from)
            dueInWindow = Int(due.rounded())
            targetRate = measured > 0 ? due / measured : nil
            let flat = schedule.stages.count == 1 && schedule.stages[0].startRate == schedule.stages[0].endRate
            arrivalInfo = .init(
                model: flat ? "open" : "stages", targetRate: targetRate,
                stages: flat
                    ? nil : schedule.stages.map { .init(seconds: Double($0.nanoseconds) / 1e9, rate: $0.endRate) })
        }
        let attempted = tally.completed + tally.errors.failedAttempts
        let lag = LatencySummary(tally.sendLag)
        let latency = LatencySummary(tally.latency)
        let generator = GeneratorCheck(
            cpuUserSeconds: usage.userSeconds, cpuSystemSeconds: usage.systemSeconds, completed: tally.completedAll,
            wallSeconds: trafficSeconds, threads: min(threads, ProcessUsage.usableCores()),
            peakRSSBytes: ProcessUsage.peakResidentBytes(),
            sendLag: .init(p50: lag.p50, p99: lag.p99, max: lag.max), queuedForConnection: tally.queued,
            connectionsRequested: options.connections, connectionsEstablished: tally.established,
            targetRate: targetRate, achievedRate: achieved, stealShare: stealShare,
            timerSlackMicros: options.timerSlackNanoseconds > 0 ? Double(options.timerSlackNanoseconds) / 1e3 : nil,
            latencyP99Micros: latency.p99, keepAlive: options.keepAlive)
        var result = LoadResult(
            target: .init(
                url: options.target.text, method: options.methodLabel, connections: options.connections,
                threads: threads,
                keepAlive: options.keepAlive, tls: options.target.tls),
            arrival: arrivalInfo,
            startedAt: ISO8601DateFormatter().string(from: startDate),
            warmupSeconds: Double(options.warmupNanoseconds) / 1e9,
            plannedSeconds: Double(options.durationNanoseconds) / 1e9,
            measuredSeconds: measured, interrupted: interrupted,
            requests: .init(
                completed: tally.completed, unsent: tally.unsent, bytesSent: tally.bytesSent,
                bytesReceived: tally.bytesReceived, due: dueInWindow, attempted: tally.attempted,
                abandoned: tally.abandoned, earlierReplies: tally.earlierReplies),
            achievedRate: achieved, errors: tally.errors,
            errorRate: attempted > 0 ? Double(tally.errors.total) / Double(attempted) : 0,
            latency: latency, serviceTime: LatencySummary(tally.serviceTime),
            statusCodes: tally.outcomes.statusCodes,
            series: series.series(measuredSeconds: measured),
            generator: generator)
        result.replies = tally.outcomes.replies
        result.invalid = LoadResult.findInvalidity(result)
        return result
    }
}

/// Completes a promise when the TLS handshake finishes, or fails it with the handshake's error.
private final class HandshakeWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            done.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)
    }
}

@available(*, unavailable)
extension HandshakeWaiter: Sendable {}
