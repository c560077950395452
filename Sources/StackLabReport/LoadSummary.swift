import StackLabCore

/// The readable summary `stacklab load` prints when a run ends.
public enum LoadSummary {
    /// Where every request due in the measured window went: `1,000 due = 990 sent + 10 never sent; sent = …`.
    static func accountingLine(_ result: LoadResult) -> String? {
        let requests = result.requests
        guard let due = requests.due, let attempted = requests.attempted else { return nil }
        var line = "\(NumberText.grouped(due)) due"
        if result.arrival.targetRate != nil {
            line += " = \(NumberText.grouped(attempted)) sent + \(NumberText.grouped(requests.unsent)) never sent"
            line += " (no connection free in time)"
        }
        let failed = max(0, attempted - requests.completed - (requests.abandoned ?? 0))
        line += " · sent: \(NumberText.grouped(requests.completed)) answered, \(NumberText.grouped(failed)) failed"
        line += ", \(NumberText.grouped(requests.abandoned ?? 0)) unanswered at the end"
        if let earlier = requests.earlierReplies, earlier > 0 {
            line += " · \(NumberText.grouped(earlier)) replies to warm-up requests arrived in the window"
        }
        return line
    }

    public static func render(_ result: LoadResult) -> String {
        var lines: [String] = []
        let target = result.target
        lines.append("stacklab load \(target.method) \(target.url)")
        lines.append("  " + arrivalLine(result))
        if result.interrupted {
            lines.append(
                "  interrupted after \(DurationText.fixed(result.measuredSeconds, digits: 1))s of the measured window")
        }
        if let invalid = result.invalidity { lines.append("  INVALID, not a measurement: \(invalid)") }
        lines.append("")

        var facts = TextTable()
        var requests = "\(NumberText.grouped(result.requests.completed)) completed · "
        requests += "\(NumberText.rate(result.achievedRate))/s achieved"
        if let targetRate = result.arrival.targetRate, targetRate > 0 {
            requests += " of \(NumberText.rate(targetRate))/s target ("
            requests += NumberText.percent(result.achievedRate / targetRate, digits: 1) + ")"
        }
        if result.requests.unsent > 0 { requests += " · \(NumberText.grouped(result.requests.unsent)) never sent" }
        let isSQL = ["postgres:", "postgresql:", "mysql:", "mariadb:"].contains { result.target.url.hasPrefix($0) }
        facts.add([isSQL ? "transactions" : "requests", requests])
        if let accounting = accountingLine(result) { facts.add(["accounted", accounting]) }
        if !isSQL {
            facts.add([
                "transfer",
                "\(NumberText.bytes(result.requests.bytesReceived)) received · \(NumberText.bytes(result.requests.bytesSent)) sent",
            ])
        }
        if let load = result.dataLoad {
            facts.add([
                "data load",
                "\(NumberText.grouped(load.records)) records (\(NumberText.bytes(load.bytes))) in "
                    + "\(DurationText.fixed(load.seconds, digits: 2)) s · \(NumberText.rate(load.rate)) records/s",
            ])
        }
        let errors = result.errors
        let classes =
            isSQL
            ? "serialization \(errors.serialization) · deadlock \(errors.deadlock) · sql \(errors.sql)"
            : result.target.url.hasPrefix("redis:") || result.target.url.hasPrefix("nats:")
                ? "error replies \(errors.reply)" : "4xx \(errors.status4xx) · 5xx \(errors.status5xx)"
        facts.add([
            "errors",
            "\(NumberText.grouped(errors.total)) (\(NumberText.percent(result.errorRate))) · connect \(errors.connect) · "
                + "timeout \(errors.timeout) · \(isSQL ? "connection lost" : "read") \(errors.read) · \(classes)",
        ])
        lines.append(leftAligned(facts))
        lines.append("")

        var latency = TextTable()
        latency.add(["latency"] + result.latency.labelled.map(\.label))
        if result.arrival.model != "closed" {
            latency.add(["corrected"] + result.latency.labelled.map { DurationText.micros($0.micros) })
        }
        latency.add(["service time"] + result.serviceTime.labelled.map { DurationText.micros($0.micros) })
        lines.append(latency.render())
        if result.arrival.model == "closed" {
            lines.append("  closed loop: latency is service time; use --rate for latency free of coordinated omission")
        }
        if let messaging = result.messaging {
            lines.append("")
            lines += messagingLines(messaging)
        }
        lines.append("")

        let generator = result.generator
        var check = TextTable()
        let cpu = generator.cpuUserSeconds + generator.cpuSystemSeconds
        check.add([
            "generator",
            "\(generator.label) · CPU \(DurationText.fixed(cpu, digits: 2)) s "
                + "(\(DurationText.fixed(generator.cpuMicrosPerRequest, digits: 1)) µs/"
                + "\(result.messaging == nil ? "request" : "message"), "
                + "\(NumberText.percent(generator.cpuUtilization, digits: 0)) of \(target.threads) thread(s))",
        ])
        var detail = "\(generator.connectionsEstablished)/\(generator.connectionsRequested) connections"
        if result.arrival.model != "closed" {
            detail += " · send lag p50 \(DurationText.micros(generator.sendLag.p50))"
            detail +=
                " p99 \(DurationText.micros(generator.sendLag.p99)) max \(DurationText.micros(generator.sendLag.max))"
        }
        detail += " · peak RSS \(NumberText.bytes(generator.peakRSSBytes))"
        check.add(["", detail])
        for finding in generator.findings { check.add(["", finding]) }
        lines.append(leftAligned(check))

        if !result.thresholds.isEmpty {
            lines.append("")
            var table = TextTable()
            for outcome in result.thresholds {
                table.add([
                    outcome.passed ? "✓ passed" : "✗ FAILED", outcome.expression,
                    "actual " + thresholdValue(outcome),
                ])
            }
            lines.append("  thresholds")
            lines.append(leftAligned(table, indent: "    "))
        }
        return lines.joined(separator: "\n")
    }

    private static func arrivalLine(_ result: LoadResult) -> String {
        var parts: [String] = []
        switch result.arrival.model {
        case "closed": parts.append("closed loop for \(seconds(result.plannedSeconds))")
        case "stages":
            let stages = (result.arrival.stages ?? []).map { "\(seconds($0.seconds)):\(NumberText.rate($0.rate))/s" }
            parts.append("ramped open loop \(stages.joined(separator: ", "))")
        default:
            parts.append(
                "open loop at \(NumberText.rate(result.arrival.targetRate ?? 0))/s for \(seconds(result.plannedSeconds))"
            )
        }
        if result.warmupSeconds > 0 { parts[0] += " (warm-up \(seconds(result.warmupSeconds)))" }
        parts.append("\(result.target.connections) connections")
        parts.append("\(result.target.threads) thread\(result.target.threads == 1 ? "" : "s")")
        parts.append(result.target.keepAlive ? "keep-alive" : "new connection per request")
        if result.target.tls { parts.append("TLS") }
        return parts.joined(separator: " · ")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : DurationText.fixed(value, digits: 1) + "s"
    }

    private static func thresholdValue(_ outcome: LoadResult.ThresholdOutcome) -> String {
        let name = outcome.expression.prefix { $0 != "<" && $0 != ">" }
        switch name {
        case "error_rate", "errors_rate": return NumberText.percent(outcome.actual, digits: 3)
        case "rate": return NumberText.rate(outcome.actual) + "/s (limit " + NumberText.rate(outcome.limit) + "/s)"
        case "requests", "errors": return NumberText.grouped(Int(outcome.actual))
        default: return DurationText.micros(outcome.actual)
        }
    }

    /// A table whose second column is left-aligned prose.
    static func leftAligned(_ table: TextTable, indent: String = "  ") -> String {
        let width = table.rows.map { $0.first?.count ?? 0 }.max() ?? 0
        return table.rows.map { row in
            let head = (row.first ?? "").padding(toLength: width, withPad: " ", startingAt: 0)
            return indent + ([head] + row.dropFirst()).joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
