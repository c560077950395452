import NIOCore
import StackLabCore

/// One event loop's share of a SQL run: a session per connection, a transaction per request, on the same
/// ``WorkerCore`` as HTTP and Redis.
///
/// SQL clients (PostgresNIO, StackLabMySQL) are async, so SQL is a transport of its own rather than a codec: each
/// open and each transaction runs as a task on the worker's event loop (a statement's reply resumes it on the
/// loop that read it) and reports its end to the core on that loop. The core's schedule, timeouts (a transaction
/// past `--timeout` has its session closed, which fails it), back-off and recording are those of every protocol.
/// A failed transaction is rolled back and counted by class; a lost session is reopened.
final class SQLWorker<Session: SQLSession>: @unchecked Sendable {
    /// A session with the script's statements prepared.
    struct Opened: Sendable {
        var session: Session
        var prepared: [Session.Statement?]
    }

    /// What failed before the run: the reason given when no connection could be opened and prepared.
    enum SetupFailure: Error {
        case connect(String)
        case prepare(String, SQLFailure)
    }

    let loop: any EventLoop
    var core: WorkerCore
    let endpoint: SQLEndpoint
    let script: SQLScript
    private var sessions: [Opened?]
    private var randoms: [SplitMix64]
    /// Bumped whenever a session is closed, so that the end of its task is ignored.
    private var generations: [Int]
    var timerArmed = false
    var finished = false
    /// Why the first open failed, if one did.
    private(set) var firstFailure: SetupFailure?

    init(
        loop: any EventLoop, options: LoadOptions, endpoint: SQLEndpoint, script: SQLScript, seed: UInt64,
        workerIndex: Int, workerCount: Int, connections: Int
    ) {
        self.loop = loop
        self.endpoint = endpoint
        self.script = script
        self.core = WorkerCore(
            options: options, workerIndex: workerIndex, workerCount: workerCount, connections: connections)
        self.sessions = Array(repeating: nil, count: connections)
        self.generations = Array(repeating: 0, count: connections)
        self.randoms = (0..<connections).map { connection in
            SplitMix64(seed: seed &+ UInt64(workerIndex + connection * workerCount) &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    func settle() {
        armTimer()
    }

    /// Runs `body` as a task on this worker's loop.
    private func task(_ body: @escaping @Sendable () async -> Void) {
        if #available(macOS 15.0, *) {
            Task(executorPreference: EventLoopTaskExecutor(loop: loop)) { await body() }
        } else {
            Task { await body() }
        }
    }

    // MARK: Ends of tasks, on the loop

    private func opened(_ index: Int, generation: Int, _ result: Result<Opened, SetupFailure>) {
        guard generations[index] == generation else {
            if case .success(let opened) = result { task { await opened.session.close() } }
            return
        }
        switch result {
        case .success(let opened):
            sessions[index] = opened
            core.connected(index, now: Self.now(), via: self)
        case .failure(let failure):
            if firstFailure == nil { firstFailure = failure }
            core.connectFailed(index, now: Self.now(), via: self)
        }
        settle()
    }

    private func ended(_ index: Int, generation: Int, failure: SQLFailure?, broken: Bool, random: SplitMix64) {
        guard generations[index] == generation else { return }
        randoms[index] = random
        let now = Self.now()
        if let failure {
            core.failed(index, as: Self.errorClass(failure), broken: broken, now: now, via: self)
        } else {
            core.completed(index, outcome: .committed, closeAfter: false, arrived: now, now: now, via: self)
        }
        settle()
    }

    static func errorClass(_ failure: SQLFailure) -> WritableKeyPath<LoadResult.ErrorCounts, Int> {
        switch failure {
        case .serialization: \.serialization
        case .deadlock: \.deadlock
        case .lockTimeout: \.timeout
        case .statement: \.sql
        case .connect: \.connect
        case .connectionLost: \.read
        }
    }

    /// A new session with the script's statements prepared.
    private static func open(
        _ endpoint: SQLEndpoint, _ script: SQLScript, on loop: any EventLoop
    ) async throws(SetupFailure) -> Opened {
        let session: Session
        do {
            session = try await Session.connect(to: endpoint, on: loop)
        } catch {
            throw .connect(Session.describe(error))
        }
        var prepared: [Session.Statement?] = []
        do {
            for (position, statement) in script.statements.enumerated() {
                prepared.append(script.isPrepared(position) ? try await session.prepare(statement) : nil)
            }
        } catch {
            await session.close()
            throw .prepare(Session.describe(error), Session.classify(error))
        }
        return Opened(session: session, prepared: prepared)
    }

    /// Runs one transaction; a failed one is rolled back. Returns its failure and whether the session is unusable.
    private static func run(
        _ script: SQLScript, on opened: Opened, random: inout SplitMix64
    ) async -> (
        failure: SQLFailure?, broken: Bool
    ) {
        do {
            try await script.run(on: opened.session, prepared: opened.prepared, random: &random)
            return (nil, false)
        } catch {
            let failure = Session.classify(error)
            if failure == .connectionLost || failure == .connect { return (failure, true) }
            guard script.isTransaction else { return (failure, false) }
            do {
                _ = try await opened.session.query(script.dialect.rollback)
                return (failure, false)
            } catch {
                return (failure, true)
            }
        }
    }
}

extension SQLWorker: WorkerTransport {
    func open(_ index: Int, now: Int64) -> OpenStart {
        let (generation, endpoint, script, loop) = (generations[index], endpoint, script, loop)
        task {
            let result: Result<Opened, SetupFailure>
            do throws(SetupFailure) {
                result = .success(try await Self.open(endpoint, script, on: loop))
            } catch {
                result = .failure(error)
            }
            loop.execute { self.opened(index, generation: generation, result) }
        }
        return .pending
    }

    func write(on index: Int, now: Int64) -> Int? {
        guard let opened = sessions[index] else { return nil }
        let (generation, script, loop) = (generations[index], script, loop)
        let random = randoms[index]
        task {
            var next = random
            let (failure, broken) = await Self.run(script, on: opened, random: &next)
            let nextRandom = next
            loop.execute {
                self.ended(index, generation: generation, failure: failure, broken: broken, random: nextRandom)
            }
        }
        return 0
    }

    /// Closes the session: a transaction in flight on it fails promptly, and its end is ignored.
    func close(_ index: Int) {
        generations[index] += 1
        guard let opened = sessions[index] else { return }
        sessions[index] = nil
        task { await opened.session.close() }
    }
}

extension SQLWorker: EventLoopWorker {}
