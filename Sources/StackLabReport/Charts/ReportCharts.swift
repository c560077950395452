import StackLabCore

/// The charts of a run's report, each one self-contained inline SVG.
public enum ReportCharts {
    /// One drawn chart.
    public struct Chart: Sendable, Equatable {
        /// `percentiles`, `cost`, `series`, `sweep` or `throughput-cost`: the `data-chart` attribute of its `<svg>`.
        public var kind: String
        public var title: String
        public var svg: String
        /// The variant a per-variant chart (`series`) is of.
        public var variant: String? = nil
        /// The workload the chart is of, in a run of several workloads.
        public var workload: String? = nil

        /// A file name for the chart on its own: `percentiles.svg`, `series-direct.svg`, `json-percentiles.svg`.
        public var fileName: String {
            let name = (workload.map { $0 + "-" } ?? "") + (variant.map { kind + "-" + $0 } ?? kind)
            return String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) + ".svg"
        }

        /// The chart as a standalone SVG file.
        public var file: String {
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n"
        }
    }

    /// Every chart the run has data for: percentile curves, the rate sweep (when there is one), cost per million
    /// requests (when priced), and each variant's per-second series.
    ///
    /// With several workloads, each workload's charts, its requests/s against $ per million requests first.
    public static func all(_ report: RunReport) -> [Chart] {
        guard report.workloads.isEmpty else {
            return report.workloads.flatMap { workload in
                ([throughputCost(workload.report)].compactMap { $0 } + all(workload.report)).map {
                    var chart = $0
                    chart.workload = workload.name
                    chart.title = "\(workload.name): \(chart.title)"
                    return chart
                }
            }
        }
        var charts: [Chart] = []
        if let chart = percentiles(report) { charts.append(chart) }
        if let chart = sweep(report) { charts.append(chart) }
        if let chart = cost(report) { charts.append(chart) }
        charts += series(report)
        return charts
    }

    /// Latency by percentile, one curve per variant and offered rate.
    public static func percentiles(_ report: RunReport) -> Chart? {
        let groups = orderedGroups(report).filter { !$0.trials.isEmpty }
        guard !groups.isEmpty else { return nil }
        let title = "Latency by percentile"
        // Many curves: a panel per family of stacks (the kind at their edge), else per offered rate.
        let panels = SeriesPanels(
            count: groups.count,
            groupings: [
                .init(keys: groups.map { family(of: $0.variant, report) }),
                .init(keys: groups.map { "at " + $0.rateLabel }),
            ])
        let svg = PercentileChart.svg(
            groups.map(PercentileCurve.init(group:)), labels: groups.map { label($0, report) }, title: title,
            panels: panels)
        return Chart(kind: "percentiles", title: title, svg: svg)
    }

    /// p99 against offered rate, when some variant ran at several rates.
    public static func sweep(_ report: RunReport) -> Chart? {
        guard report.isSweep else { return nil }
        let lines = report.variants.compactMap { variant -> RateSweepChart.Line? in
            let points = report.groups(of: variant.name).compactMap {
                group -> (rate: Double, p99: Statistics.Estimate)? in
                guard let rate = group.offeredRate, let p99 = group.p99 else { return nil }
                return (rate, p99)
            }
            guard !points.isEmpty else { return nil }
            return RateSweepChart.Line(variant: variant.name, points: points, knee: report.knee(of: variant.name))
        }
        guard !lines.isEmpty else { return nil }
        let title = "p99 latency against offered rate"
        let panels = SeriesPanels(
            count: lines.count, groupings: [.init(keys: lines.map { family(of: $0.variant, report) })])
        return Chart(
            kind: "sweep", title: title,
            svg: RateSweepChart.svg(lines, sloP99Micros: report.sloP99Micros, title: title, panels: panels))
    }

    /// $ per million requests by component, one bar per variant and offered rate: each component's compute, then
    /// egress when the run priced it.
    public static func cost(_ report: RunReport) -> Chart? {
        guard let catalog = report.catalog, let costs = report.costs else { return nil }
        let groups = orderedGroups(report).filter { report.cost(of: $0) != nil }
        let split = SeriesPanels(
            count: groups.count, groupings: [.init(keys: groups.map { "at " + $0.rateLabel })],
            limit: CostBarChart.barsPerPlot)
        let bars = groups.compactMap { group -> CostBarChart.Bar? in
            guard let cost = report.cost(of: group) else { return nil }
            let egress: [(component: String, kind: String, dollars: Double)] =
                costs.egress == EgressKind.none
                ? []
                : [
                    (
                        component: CostBarChart.egress, kind: CostBarChart.egress,
                        dollars: cost.egressPerMillionRequests?.value ?? 0
                    )
                ]
            return CostBarChart.Bar(
                label: split.isSplit ? group.variant : label(group, report), variant: group.variant,
                offeredRate: group.offeredRate,
                segments: cost.components.map {
                    (component: $0.name, kind: $0.kind, dollars: $0.perMillionRequests?.value ?? 0)
                } + egress,
                total: cost.perMillionRequests?.value)
        }
        guard !bars.isEmpty else { return nil }
        let title = "Cost per million requests by component"
        let egress = costs.egress == EgressKind.none ? "no egress priced" : costs.egress.phrase + " in grey"
        return Chart(
            kind: "cost", title: title,
            svg: CostBarChart.svg(
                bars, title: title,
                subtitle: "usage cost, median across repeats: compute by component kind, \(egress) · "
                    + "\(catalog.name), \(catalog.date)", panels: split))
    }

    /// Requests/s against $ per million requests, one point per variant: its closed-loop trials, or else its highest
    /// offered rate. Nil when the report is not priced.
    public static func throughputCost(_ report: RunReport) -> Chart? {
        guard let catalog = report.catalog else { return nil }
        let points = report.variants.compactMap { variant -> ThroughputCostChart.Point? in
            guard let group = throughputGroup(report, variant: variant.name), let achieved = group.achieved,
                let cost = report.cost(of: group)?.perMillionRequests
            else { return nil }
            return ThroughputCostChart.Point(
                variant: variant.name, offeredRate: group.offeredRate, requestsPerSecond: achieved,
                perMillionRequests: cost)
        }
        guard !points.isEmpty else { return nil }
        let title = "Requests/s against $ per million requests"
        return Chart(
            kind: "throughput-cost", title: title,
            svg: ThroughputCostChart.svg(
                points, title: title,
                subtitle: "closed loop (else the highest rate), medians · \(catalog.name)"))
    }

    /// The group a variant's point on the throughput-cost chart shows: closed loop, or else its highest rate.
    public static func throughputGroup(_ report: RunReport, variant: String) -> RunSummary.Group? {
        let groups = report.groups(of: variant)
        return groups.first { $0.offeredRate == nil }
            ?? groups.max { ($0.offeredRate ?? 0) < ($1.offeredRate ?? 0) }
    }

    /// Per variant: requests per second and p99 per second, one line per trial.
    public static func series(_ report: RunReport) -> [Chart] {
        report.variants.compactMap { variant in
            let trials = report.groups(of: variant.name).flatMap(\.trials).filter { !$0.load.series.isEmpty }
            guard !trials.isEmpty else { return nil }
            let lines = trials.map { trial in
                TimeSeriesChart.Series(
                    label: (trial.offeredRate.map { NumberText.rate($0) + "/s" } ?? "max") + " #\(trial.repeatIndex)",
                    variant: trial.variant, offeredRate: trial.offeredRate, repeatIndex: trial.repeatIndex,
                    samples: trial.load.series)
            }
            let title = "\(variant.name): rate and p99 over time"
            return Chart(
                kind: "series", title: title, svg: TimeSeriesChart.svg(lines, title: title), variant: variant.name)
        }
    }

    /// The family a variant belongs to for small multiples: the variants whose stacks start with a component of the
    /// same kind (a gateway and its TLS twin), named by them.
    static func family(of variant: String, _ report: RunReport) -> String {
        let spec = report.record.spec
        func kind(_ name: String) -> String {
            spec.variants.first { $0.name == name }?.stack.first.flatMap { spec.component(named: $0) }?.kind.rawValue
                ?? name
        }
        let mine = kind(variant)
        return report.variants.map(\.name).filter { kind($0) == mine }.joined(separator: " · ")
    }

    /// Groups in the experiment's variant order, then by offered rate.
    static func orderedGroups(_ report: RunReport) -> [RunSummary.Group] {
        report.variants.flatMap { variant in
            report.groups(of: variant.name).sorted { ($0.offeredRate ?? .infinity) < ($1.offeredRate ?? .infinity) }
        }
    }

    /// The variant's name, with the offered rate when the variant ran at several.
    static func label(_ group: RunSummary.Group, _ report: RunReport) -> String {
        guard report.groups(of: group.variant).count > 1 else { return group.variant }
        return group.variant + " @ " + group.rateLabel
    }
}
