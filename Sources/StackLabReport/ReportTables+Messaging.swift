import StackLabCore

extension ReportTables {
    /// Per offered rate of a messaging variant: messages in and out per second, end-to-end latency, the accounting
    /// summed over repeats, and what keeping the messages costs: the brokers' stored bytes at the end of a trial
    /// against the payload published in it, priced per GB-month of payload where the workload keeps every message
    /// (a JetStream stream). Nil when the variant ran no messaging workload.
    public static func messaging(_ report: RunReport, variant: String) -> ReportTable? {
        let groups = report.groups(of: variant).filter { $0.trials.contains { $0.load.messaging != nil } }
        guard !groups.isEmpty else { return nil }
        let interval = IntervalText.header("", groups.map { endToEndP99($0) })
        let price = report.catalog.map { " (\(MoneyText.dollars($0.storagePerGBMonth))/GB-month)" } ?? ""
        var table = ReportTable(
            header: [
                "offered", "in msg/s" + interval, "out msg/s" + interval, "end-to-end p50" + interval,
                "end-to-end p99" + interval, "lost · duplicated · out of order", "brokers stored",
                "stored per payload byte", "$/GB-month retained" + price,
            ],
            alignments: [.right, .right, .right, .right, .right, .right, .right, .right, .right])
        for group in groups {
            let measured = group.trials.compactMap { trial in trial.load.messaging.map { (trial, $0) } }
            let stored = measured.compactMap { trial, _ in brokerStoredBytes(trial) }
            let amplification = Statistics.median(
                measured.compactMap { trial, messaging -> Double? in
                    guard let bytes = brokerStoredBytes(trial) else { return nil }
                    let payload = Double(messaging.sent) * Double(messaging.messageSize)
                    return payload > 0 ? Double(bytes) / payload : nil
                })
            let retained =
                keepsEveryMessage(report, group) && report.catalog != nil
                ? amplification.map { MoneyText.dollars($0 * (report.catalog?.storagePerGBMonth ?? 0)) } ?? "-"
                : "not kept"
            let lost = measured.reduce(0) { $0 + $1.1.lost }
            let duplicated = measured.reduce(0) { $0 + $1.1.duplicated }
            let outOfOrder = measured.reduce(0) { $0 + $1.1.outOfOrder }
            table.rows.append([
                group.rateLabel,
                rateText(Statistics.medianWithInterval(measured.map(\.1.messagesInPerSecond))),
                rateText(Statistics.medianWithInterval(measured.map(\.1.messagesOutPerSecond))),
                latencyText(Statistics.medianWithInterval(measured.map(\.1.endToEnd.p50))),
                latencyText(endToEndP99(group)),
                "\(NumberText.grouped(lost)) · \(NumberText.grouped(duplicated)) · \(NumberText.grouped(outOfOrder))",
                Statistics.median(stored.map(Double.init)).map { NumberText.bytes(Int($0)) } ?? "-",
                amplification.map { DurationText.fixed($0, digits: 2) + "×" } ?? "-",
                retained,
            ])
        }
        return table
    }

    /// What the messaging table's columns mean, for under it.
    public static func messagingNote(_ report: RunReport) -> String {
        "In: messages whose intended send fell in the measured window and that the broker acknowledged; out: "
            + "those delivered, over every subscription; end to end: from the intended send stamped in each message "
            + "to its delivery. Lost, duplicated and out of order are summed over the repeats. Brokers stored: the "
            + "brokers' data directories at the end of a trial, against the payload published in it (warm-up "
            + "included); retained $/GB-month is that ratio times the catalog's storage price, for workloads that "
            + "keep every message (a JetStream stream); the others keep a message only until it is delivered."
    }

    private static func endToEndP99(_ group: RunSummary.Group) -> Statistics.Estimate? {
        Statistics.medianWithInterval(group.trials.compactMap { $0.load.messaging?.endToEnd.p99 })
    }

    /// The stored bytes of the trial's brokers, summed; nil when none was measured.
    private static func brokerStoredBytes(_ trial: TrialMeasurement) -> Int? {
        let brokers = trial.components.filter { ComponentKind(rawValue: $0.kind)?.role == .broker }
        let bytes = brokers.compactMap(\.storedBytes)
        return bytes.isEmpty ? nil : bytes.reduce(0, +)
    }

    /// Whether the group's workload keeps every message after delivery (a JetStream stream with its default limits).
    private static func keepsEveryMessage(_ report: RunReport, _ group: RunSummary.Group) -> Bool {
        let spec = report.record.spec
        let workload =
            spec.workloads?.first { $0.name == group.workload }?.workload ?? spec.workload
        return workload.messaging?.jetstream == true
    }
}

extension ReportTables {
    /// The highest sustainable rate of a messaging variant (``SweepLimit/init(messaging:)``) in a sentence, what
    /// is missing said when the sweep found no limit; nil when the variant ran no offered-rate messaging trial.
    public static func messagingLimitSentence(
        _ report: RunReport, variant: String, strong: (String) -> String = { $0 }
    ) -> String? {
        guard let limit = SweepLimit(messaging: report.groups(of: variant).flatMap(\.trials)) else { return nil }
        let what =
            "consumers kept up (≥ \(NumberText.percent(SweepLimit.keptUpShare, digits: 0)) of what was "
            + "published delivered to every subscription), nothing was lost"
            + (report.record.spec.slo == nil ? "" : " and the SLO held")
        guard let rate = limit.highestRateWithinSLO else {
            return "No offered rate was sustainable: at the lowest tried, "
                + "\(NumberText.rate(limit.lowestFailure ?? limit.highestTried)) msg/s, it was not true that \(what)."
        }
        if limit.isLowerBound {
            return "Highest sustainable rate: \(strong("≥ \(NumberText.rate(rate)) msg/s")) (the highest tried): at "
                + "every rate \(what); the limit lies above, at rates not tried."
        }
        return "Highest sustainable rate: \(strong("\(NumberText.rate(rate)) msg/s")): up to it \(what); at "
            + "\(NumberText.rate(limit.lowestFailure!)) msg/s not."
    }
}
