import Foundation
import StackLabCore
import StackLabLoad

extension LoadOptions {
    /// The load engine's options for one trial of `workload` against the stack's entry port.
    ///
    /// - Parameters:
    ///   - tls: the entry terminates TLS with the run's self-signed certificate: connect with https and accept it.
    ///   - password: for a redis, mysql or postgres workload, the entry component's `password` setting.
    ///
    /// A postgres workload logs in as `postgres` to database `postgres` with that password.
    public static func trial(
        _ workload: Workload, port: Int, rate: Double?, threads: Int?, tls: Bool = false, password: String? = nil
    ) throws -> LoadOptions {
        let firstPath = workload.requests.first?.path ?? "/"
        var options: LoadOptions
        if let sql = workload.sql, workload.wireProtocol == .mysql {
            // The mariadb component's user and database, with its password (MariaDBRecipe).
            let secret = (password ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            options = LoadOptions(
                target: try TargetURL(parsing: "mysql://stacklab:\(secret)@127.0.0.1:\(port)/stacklab"))
            options.sql = sql
        } else if let sql = workload.sql {
            // The postgres component's superuser, with the password made for the run (PostgresRecipe).
            let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
            options = LoadOptions(
                target: try TargetURL(parsing: "postgres://postgres\(secret ?? "")@127.0.0.1:\(port)/postgres"))
            options.sql = sql
        } else if let keyValue = workload.keyValue {
            let credentials = password.map {
                ":\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")@"
            }
            options = LoadOptions(target: try TargetURL(parsing: "redis://\(credentials ?? "")127.0.0.1:\(port)"))
            options.keyValue = keyValue
        } else {
            let scheme = tls ? "https" : "http"
            options = LoadOptions(target: try TargetURL(parsing: "\(scheme)://127.0.0.1:\(port)\(firstPath)"))
            options.insecure = tls
        }
        options.requests = workload.requests.map { request in
            LoadOptions.Request(
                method: request.method, path: request.path,
                headers: request.headers.map { ($0.name, $0.value) }, body: Array((request.body ?? "").utf8),
                weight: request.weight)
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
