import NIOCore
import NIOPosix
import StackLabCore

extension LoadEngine {
    /// Before a SQL run: log in once (a clear error if that fails), load the tables when they are absent or of
    /// another size, then one ``SQLWorker`` per thread with its share of the connections; the run itself is the
    /// one every protocol has.
    func prepareSQL<Session: SQLSession>(
        _: Session.Type, endpoint: SQLEndpoint, group: MultiThreadedEventLoopGroup, threads: Int
    ) async throws -> (workers: [WorkerHandle], dataLoad: LoadResult.DataLoad?) {
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

        // A session per connection, kept open: a SQL run has no connection per request.
        var options = self.options
        options.keepAlive = true
        let script = SQLScript(workload: workload, dialect: Session.dialect)
        let seed = UInt64.random(in: 0...UInt64.max)
        var workers: [WorkerHandle] = []
        for index in 0..<threads {
            let share = options.connections / threads + (index < options.connections % threads ? 1 : 0)
            let loop = loops[index % loops.count]
            workers.append(
                try await loop.submit { [options] in
                    let worker = SQLWorker<Session>(
                        loop: loop, options: options, endpoint: endpoint, script: script, seed: seed,
                        workerIndex: index, workerCount: threads, connections: share)
                    return WorkerHandle(worker: worker, loop: loop)
                }.get())
        }
        return (workers, dataLoad)
    }
}

extension SQLWorker {
    /// Why no session could be opened, with the fix when it is a likely one.
    var setupFailure: String? {
        var reason = "no connection could be opened"
        switch firstFailure {
        case .connect(let message)?:
            reason = "cannot connect: \(message)"
        case .prepare(let message, let failure)?:
            reason = "preparing the \(script.workload.transaction.rawValue) statements failed: \(message)"
            if failure == .statement { reason += "; are the tables loaded? (leave out --no-load)" }
        case nil:
            break
        }
        return "\(Session.dialect.family.rawValue) at \(endpoint.host):\(endpoint.port): \(reason)"
    }
}
