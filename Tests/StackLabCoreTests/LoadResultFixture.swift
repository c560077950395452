@testable import StackLabCore

extension LoadResult {
    /// A result as an open-loop run at 1000/s for 10 s could have produced it.
    static func fixture(p99: Double = 12_000, errors: Int = 0, achievedRate: Double = 990) -> LoadResult {
        let latency = LatencySummary(
            count: 9_900, min: 100, mean: 900, p50: 800, p75: 1_000, p90: 2_000, p95: 5_000, p99: p99, p999: 20_000,
            p9999: 30_000, max: 31_000)
        return LoadResult(
            target: .init(
                url: "http://127.0.0.1:8080/", method: "GET", connections: 10, threads: 1, keepAlive: true, tls: false),
            arrival: .init(model: "open", targetRate: 1000, stages: nil),
            startedAt: "2026-11-29T00:00:00Z", warmupSeconds: 0, plannedSeconds: 10, measuredSeconds: 10,
            interrupted: false,
            requests: .init(completed: 9_900, unsent: 0, bytesSent: 100, bytesReceived: 200),
            achievedRate: achievedRate, errors: .init(status5xx: errors),
            errorRate: Double(errors) / 9_900, latency: latency, serviceTime: latency, statusCodes: ["200": 9_900],
            series: [.init(second: 1, requests: 990, p50: 800, p99: 12_000, errors: 0)],
            generator: GeneratorCheck(
                cpuUserSeconds: 0.1, cpuSystemSeconds: 0.1, completed: 9_900, wallSeconds: 10, threads: 1,
                peakRSSBytes: 10_000_000, sendLag: .init(p50: 10, p99: 50, max: 200), queuedForConnection: 0,
                connectionsRequested: 10, connectionsEstablished: 10, targetRate: 1000, achievedRate: achievedRate))
    }
}
