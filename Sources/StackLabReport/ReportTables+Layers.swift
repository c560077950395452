import StackLabCore

extension ReportTables {
    /// What each variant adds to the baseline (the first variant) at the same offered rate; nil with fewer than two
    /// variants.
    public static func layers(_ report: RunReport) -> ReportTable? {
        let comparison = report.layers
        guard !comparison.againstBaseline.isEmpty else { return nil }
        let rows = comparison.againstBaseline
        var table = ReportTable(
            header: [
                "variant", "offered", "adds", IntervalText.header("+p50", rows.map(\.addedP50)),
                IntervalText.header("+p99", rows.map(\.addedP99)), "cores/1000 rps", "+CPU ms/req", "memory",
                "$/M req", "+$/M req", "max rate in SLO", "verdict (p99)",
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
        let rows = comparison.tlsPremium
        var table = ReportTable(
            header: [
                "variant", "vs", "offered", IntervalText.header("+p50", rows.map(\.addedP50)),
                IntervalText.header("+p99", rows.map(\.addedP99)),
                perConnection ? "+CPU s/1000 handshakes" : "+CPU ms/req", "+$/M req", "verdict (p99)",
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

    /// What the layer tables' figures and verdicts mean, in one sentence.
    public static let layersNote =
        "Differences of medians at the same offered rate, with the distribution-free interval of the shift "
        + "(Moses, from the Mann–Whitney test; none below 4 trials per variant); the verdict is the exact two-sided "
        + "Mann–Whitney test of the trials' p99 at 5%, and 'n too small for a verdict' where the trials could never "
        + "reach it. Cores, memory and CPU are the added components'."

    static func layerRow(_ row: LayerComparison.Row) -> [String] {
        [
            row.variant, rateText(row.offeredRate), row.addedComponents.joined(separator: ", "),
            signedLatencyText(row.addedP50), signedLatencyText(row.addedP99),
            row.coresPer1000RPS.map { DurationText.fixed($0.value, digits: 2) } ?? "-",
            signedText(row.cpuMillisecondsPerRequest, digits: 3),
            row.memoryMiB.map { DurationText.fixed($0.value, digits: 1) + " MiB" } ?? "-",
            MoneyText.dollars(row.perMillionRequests),
            signedDollars(row.addedPerMillionRequests),
            sweepLimitText(row.sweepLimit),
            verdict(row),
        ]
    }

    /// From the exact Mann–Whitney test of the trials' p99 at 5%: "slower (p=0.008)", "faster (p=…)",
    /// "within noise (p=…)", or "n too small for a verdict" when the groups could never reach 5%.
    static func verdict(_ row: LayerComparison.Row) -> String {
        guard let difference = row.p99Difference else { return "-" }
        return differenceVerdict(difference, larger: "slower", smaller: "faster")
    }

    /// `larger` or `smaller` (with the p-value) when the exact test finds a difference at 5%, else "within noise",
    /// or "n too small for a verdict" when the group sizes can never reach 5%.
    public static func differenceVerdict(_ difference: Statistics.Difference, larger: String, smaller: String) -> String
    {
        guard difference.test.canDecide else { return "n too small for a verdict" }
        let p = " (p=\(pValueText(difference.test.pValue)))"
        switch difference.direction {
        case .larger: return larger + p
        case .smaller: return smaller + p
        case nil: return "within noise" + p
        }
    }

    /// `0.008`, `0.03`, `0.41`, `<0.001`.
    static func pValueText(_ p: Double) -> String {
        if p < 0.001 { return "<0.001" }
        return DurationText.fixed(p, digits: p < 0.01 ? 3 : 2)
    }

    static func rateText(_ rate: Double?) -> String {
        rate.map { NumberText.rate($0) + "/s" } ?? "max"
    }

    /// `+312µs [+280µs–+350µs]`, or `+312µs` when the groups are too small for an interval.
    static func signedLatencyText(_ estimate: Statistics.Estimate?) -> String {
        IntervalText.text(estimate) { ($0 < 0 ? "-" : "+") + DurationText.micros(abs($0)) }
    }

    static func signedText(_ estimate: Statistics.Estimate?, digits: Int) -> String {
        IntervalText.text(estimate) { ($0 < 0 ? "-" : "+") + DurationText.fixed(abs($0), digits: digits) }
    }

    static func signedDollars(_ estimate: Statistics.Estimate?) -> String {
        IntervalText.text(estimate) { ($0 < 0 ? "-" : "+") + MoneyText.dollars(abs($0)) }
    }
}
