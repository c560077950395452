import Foundation
import StackLabCore
import StackLabLoad

extension LoadOptions {
    /// The load engine's options for one trial of `workload` against the stack's entry port.
    ///
    /// - Parameter password: for a redis workload, the entry component's `password` setting.
    public static func trial(
        _ workload: Workload, port: Int, rate: Double?, threads: Int?, password: String? = nil
    ) throws -> LoadOptions {
        let firstPath = workload.requests.first?.path ?? "/"
        var options: LoadOptions
        if let keyValue = workload.keyValue {
            let credentials = password.map {
                ":\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")@"
            }
            options = LoadOptions(target: try TargetURL(parsing: "redis://\(credentials ?? "")127.0.0.1:\(port)"))
            options.keyValue = keyValue
        } else {
            options = LoadOptions(target: try TargetURL(parsing: "http://127.0.0.1:\(port)\(firstPath)"))
        }
        options.requests = workload.requests.map { request in
            LoadOptions.Request(
                method: request.method, path: request.path,
                headers: request.headers.map { ($0.name, $0.value) }, body: Array((request.body ?? "").utf8),
                weight: request.weight)
        }
        options.connections = workload.connections
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
        case .sweep:
            options.arrival = .openLoop(.constant(rate: rate ?? 1, nanoseconds: total))
        case .ramp(let stages):
            let schedule = ArrivalSchedule.ramp(stages.map { ($0.nanoseconds, $0.rate) })
            options.durationNanoseconds = max(0, schedule.totalNanoseconds - workload.warmupNanoseconds)
            options.arrival = .openLoop(schedule)
        }
        return options
    }
}
