import StackLabCore

extension ReportTables {
    /// What each variant adds to the baseline (the first variant) at the same offered rate; nil with fewer than two
    /// variants.
    public static func layers(_ report: RunReport) -> ReportTable? {
        let comparison = report.layers
        guard !comparison.againstBaseline.isEmpty else { return nil }
        var table = ReportTable(
            header: [
                "variant", "offered", "adds", "+p50 [95% CI]", "+p99 [95% CI]", "cores/1000 rps", "+CPU ms/req",
                "memory", "$/M req", "+$/M req", "max rate in SLO", "verdict",
            ],
            alignments: [.left, .right, .left])
        for row in comparison.againstBaseline {
            table.rows.append(layerRow(row))
        }
        return table
    }

    /// What TLS adds to each stack, against the same stack in plain HTTP; nil when no variant has a plain twin.
    public static func tlsPremium(_ report: RunReport) -> ReportTable? {
        let comparison = report.layers
        guard !comparison.tlsPremium.isEmpty else { return nil }
        let perConnection = report.record.spec.workload.keepAlive == false
        var table = ReportTable(
            header: [
                "variant", "vs", "offered", "+p50 [95% CI]", "+p99 [95% CI]",
                perConnection ? "+CPU s/1000 handshakes" : "+CPU ms/req", "+$/M req", "verdict",
            ],
            alignments: [.left, .left])
        for row in comparison.tlsPremium {
            table.rows.append([
                row.variant, row.reference, rateText(row.offeredRate), signedLatencyText(row.addedP50),
                signedLatencyText(row.addedP99), signedText(row.cpuMillisecondsPerRequest, digits: 3),
                signedDollars(row.addedPerMillionRequests), verdict(row),
            ])
        }
        return table
    }

    static func layerRow(_ row: LayerComparison.Row) -> [String] {
        [
            row.variant, rateText(row.offeredRate), row.addedComponents.joined(separator: ", "),
            signedLatencyText(row.addedP50), signedLatencyText(row.addedP99),
            row.coresPer1000RPS.map { DurationText.fixed($0.value, digits: 2) } ?? "-",
            signedText(row.cpuMillisecondsPerRequest, digits: 3),
            row.memoryMiB.map { DurationText.fixed($0.value, digits: 1) + " MiB" } ?? "-",
            MoneyText.dollars(row.perMillionRequests),
            signedDollars(row.addedPerMillionRequests),
            row.highestRateWithinSLO.map { NumberText.rate($0) + "/s" } ?? "-",
            verdict(row),
        ]
    }

    /// "slower" when the added p99 interval lies above 0, "faster" below, else "within noise".
    static func verdict(_ row: LayerComparison.Row) -> String {
        guard let p99 = row.addedP99 else { return "-" }
        if p99.low > 0 { return "slower" }
        if p99.high < 0 { return "faster" }
        return "within noise"
    }

    static func rateText(_ rate: Double?) -> String {
        rate.map { NumberText.rate($0) + "/s" } ?? "max"
    }

    /// `+312µs [+280µs–+350µs]`.
    static func signedLatencyText(_ estimate: Statistics.Estimate?) -> String {
        guard let estimate else { return "-" }
        func signed(_ micros: Double) -> String {
            (micros < 0 ? "-" : "+") + DurationText.micros(abs(micros))
        }
        return signed(estimate.value) + " [" + signed(estimate.low) + "–" + signed(estimate.high) + "]"
    }

    static func signedText(_ estimate: Statistics.Estimate?, digits: Int) -> String {
        guard let estimate else { return "-" }
        func signed(_ value: Double) -> String {
            (value < 0 ? "-" : "+") + DurationText.fixed(abs(value), digits: digits)
        }
        return signed(estimate.value) + " [" + signed(estimate.low) + "–" + signed(estimate.high) + "]"
    }

    static func signedDollars(_ estimate: Statistics.Estimate?) -> String {
        guard let estimate else { return "-" }
        func signed(_ value: Double) -> String {
            (value < 0 ? "-" : "+") + MoneyText.dollars(abs(value))
        }
        return signed(estimate.value) + " [" + signed(estimate.low) + "–" + signed(estimate.high) + "]"
    }
}
