import Foundation
import StackLabCore
import StackLabLoad

extension LoadOptions {
    /// The load engine's options for one trial of `workload` against the stack's `entry`, as the entry's plan
    /// offers itself: its address, protocol, TLS (the run's self-signed certificate, accepted) and credentials.
    public static func trial(
        _ workload: Workload, entry: ComponentEndpoint, rate: Double?, threads: Int?
    ) throws -> LoadOptions {
        var options = LoadOptions(
            target: try TargetURL(parsing: entry.url(path: workload.requests.first?.path ?? "/")))
        if workload.wireProtocol == .http {
            options.insecure = entry.tls
        } else if let sql = workload.sql {
            options.sql = sql
        } else if let keyValue = workload.keyValue {
            options.keyValue = keyValue
        } else if let messaging = workload.messaging {
            options.messaging = messaging
        }
        options.requests = workload.requests.map { request in
            LoadOptions.Request(
                method: request.method, path: request.path,
                headers: request.headers.map { ($0.name, $0.value) }, body: Array((request.body ?? "").utf8),
                weight: request.weight)
        }
        if let queries = workload.queries {
            // A range query's range ends as the trial ends, so each of its answers covers the trial's samples.
            let total = workload.warmupNanoseconds + workload.durationNanoseconds
            let end = Int(Date().timeIntervalSince1970) + Int(total / 1_000_000_000) + 1
            options.requests = queries.map { LoadOptions.Request(path: $0.path(endingAt: end)) }
            options.checksQueryStatus = true
        }
        options.connections = workload.connections
        options.keepAlive = workload.keepAlive ?? true
        options.threads = workload.threads ?? threads ?? LoadOptions.defaultThreads
        options.timeoutNanoseconds = workload.timeoutNanoseconds
        options.warmupNanoseconds = workload.warmupNanoseconds
        options.durationNanoseconds = workload.durationNanoseconds
        let total = workload.warmupNanoseconds + workload.durationNanoseconds
        switch workload.arrival {
        case .closedLoop:
            options.arrival = .closedLoop
        case .constant(let constant):
            options.arrival = .openLoop(.constant(rate: rate ?? constant, nanoseconds: total))
        case .search(let search):
            options.arrival = .openLoop(.constant(rate: rate ?? search.from, nanoseconds: total))
        case .sweep:
            // A sweep's trial without a rate is the closed loop its `rates` listed as `max`.
            options.arrival = rate.map { .openLoop(.constant(rate: $0, nanoseconds: total)) } ?? .closedLoop
        case .ramp(let stages):
            let schedule = ArrivalSchedule.ramp(stages.map { ($0.nanoseconds, $0.rate) })
            options.durationNanoseconds = max(0, schedule.totalNanoseconds - workload.warmupNanoseconds)
            options.arrival = .openLoop(schedule)
        }
        return options
    }
}
