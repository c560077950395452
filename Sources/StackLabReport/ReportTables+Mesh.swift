import StackLabCore

extension ReportTables {
    /// What each mesh variant adds to the baseline: latency, the proxies' CPU and memory, dollars; nil when no
    /// variant runs mesh proxies or none was measured against the baseline.
    public static func meshCost(_ report: RunReport) -> ReportTable? {
        let rows = report.mesh.rows
        guard !rows.isEmpty else { return nil }
        let layers = rows.map(\.layer)
        var table = ReportTable(
            header: [
                "variant", "offered", "proxies", IntervalText.header("+p50", layers.map(\.addedP50)),
                IntervalText.header("+p90", layers.map(\.addedP90)),
                IntervalText.header("+p99", layers.map(\.addedP99)),
                "proxy vCPU/1000 rps", "memory/proxy", "$/M req", "+$/M req", "verdict (p99)",
            ],
            alignments: [.left, .right, .left])
        for row in rows {
            let layer = row.layer
            table.rows.append([
                layer.variant, rateText(layer.offeredRate),
                "\(row.proxies.count) \(row.placement.rawValue)",
                signedLatencyText(layer.addedP50), signedLatencyText(layer.addedP90), signedLatencyText(layer.addedP99),
                IntervalText.text(row.proxyCoresPer1000RPS) { DurationText.fixed($0, digits: 3) },
                row.proxyMemoryBytes.map { DurationText.fixed($0.value / 1_048_576, digits: 1) + " MiB" } ?? "-",
                MoneyText.dollars(layer.perMillionRequests), signedDollars(layer.addedPerMillionRequests),
                verdict(layer),
            ])
        }
        return table
    }

    /// Each premium on its own (mutual TLS, a policy), from pairs of variants that differ by that one thing; nil
    /// when no such pair was measured.
    public static func meshPremiums(_ report: RunReport) -> ReportTable? {
        let premiums = report.mesh.premiums
        guard !premiums.isEmpty else { return nil }
        let layers = premiums.map(\.layer)
        var table = ReportTable(
            header: [
                "premium", "variant", "vs", "offered", IntervalText.header("+p50", layers.map(\.addedP50)),
                IntervalText.header("+p90", layers.map(\.addedP90)),
                IntervalText.header("+p99", layers.map(\.addedP99)),
                "+proxy vCPU/1000 rps", "+$/M req", "verdict (p99)",
            ],
            alignments: [.left, .left, .left])
        for premium in premiums {
            let layer = premium.layer
            table.rows.append([
                premium.difference, layer.variant, layer.reference, rateText(layer.offeredRate),
                signedLatencyText(layer.addedP50), signedLatencyText(layer.addedP90), signedLatencyText(layer.addedP99),
                signedText(premium.addedProxyCoresPer1000RPS, digits: 3), signedDollars(layer.addedPerMillionRequests),
                verdict(layer),
            ])
        }
        return table
    }

    /// What the mesh tables mean, and what they could not be computed from.
    public static func meshNote(_ report: RunReport) -> String? {
        let mesh = report.mesh
        guard !mesh.rows.isEmpty || !mesh.premiums.isEmpty || !mesh.missing.isEmpty else { return nil }
        var note =
            "Against '\(mesh.baseline ?? "the first variant")' at the same offered rate, measured only: proxy vCPU is "
            + "the CPU of the mesh proxies on a request's path together (sidecars, node proxies) over the achieved "
            + "rate; memory is one proxy's peak; premiums compare variants that differ by that one thing."
        if !mesh.missing.isEmpty { note += " Missing: " + mesh.missing.joined(separator: "; ") + "." }
        return note
    }
}
