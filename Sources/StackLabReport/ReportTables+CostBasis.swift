import StackLabCore

extension ReportTables {
    /// What the bytes served were priced as, in one line: every report states it beside its costs.
    public static func egressText(_ costs: RunCosts) -> String {
        let catalog = costs.catalog
        switch costs.egress {
        case .none:
            return "none: a loopback lab sends nothing across a billed boundary, so the bytes served are not priced "
                + "(egress: internet or cross-zone in the experiment prices them)"
        case .internet:
            return "internet: the bytes served at the stack's edge × \(MoneyText.dollars(costs.egressPerGB))/GB "
                + "(the experiment's egress: internet)"
        case .crossZone:
            guard !costs.egressUnpriced else {
                return "cross-zone: not priced, as catalog \(catalog.name) gives no cross_zone_egress_per_gb"
            }
            return "cross-zone: the bytes served at the stack's edge × \(MoneyText.dollars(costs.egressPerGB))/GB "
                + "(the experiment's egress: cross-zone)"
        }
    }

    /// The CPUs each stack was priced for, in one line: the CPUs its components really shared when measured.
    public static func allocationText(_ costs: RunCosts) -> String? {
        guard let shared = costs.allocations.values.first?.sharedCPUs else { return nil }
        let cpus = shared == 1 ? "1 CPU" : "\(shared) CPUs"
        let capped = costs.allocations.filter { $0.value.isCapped }
        guard !capped.isEmpty else {
            return "each stack's components shared \(cpus) when measured; CPU requests priced as declared"
        }
        let requested = Set(capped.values.map { cpuText($0.requestedCPUs) }).sorted()
        return "each stack's components shared \(cpus) when measured: CPU requests adding up to more "
            + "(\(requested.joined(separator: ", ")) vCPUs in \(capped.count) of \(costs.allocations.count) stacks) "
            + "are priced as the \(cpus) they had"
    }

    /// `2`, `1.5`, `0.25`: CPUs with at most two decimals, no trailing zeros.
    static func cpuText(_ cpus: Double) -> String {
        var text = DurationText.fixed(cpus, digits: 2)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
