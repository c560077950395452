import StackLabCore

/// "Is the mesh worth it": each measured mesh variant priced for a fleet (``MeshFleet``) from its proxies'
/// measured CPU and memory (``MeshCapacityCost``), with the p99 it adds, as one line a user reads: "the mesh costs
/// $X a month for your 40 services at 200 rps each, +Y ms p99".
///
/// Each variant is read at its offered rate nearest the fleet's rate per service (the proxies' CPU per request
/// changes with the rate), and priced as it runs: a sidecar mesh per pod, a node-proxy mesh per node. A line whose
/// fleet goes beyond the rates measured says so (``MeshExtrapolation``) rather than reading as measured.
public struct MeshWorth: Sendable {
    public struct Line: Sendable {
        public var variant: String
        /// The workload the figures were measured under, in a run of several.
        public var workload: String?
        /// The offered rate the figures were measured at.
        public var offeredRate: Double?
        public var cost: MeshCapacityCost
        public var addedP99: Statistics.Estimate?
        /// How far the fleet goes beyond the rates the variant was measured at, if it does.
        public var extrapolation: MeshExtrapolation
    }

    public var fleet: MeshFleet
    public var lines: [Line]
    /// What kept a variant out, or the whole answer, one sentence each.
    public var missing: [String]

    public init(_ report: RunReport, fleet: MeshFleet) {
        self.fleet = fleet
        lines = []
        // With several workloads, each has its own trials: every workload's rows are candidates.
        let parts: [(workload: String?, mesh: MeshComparison)] =
            report.workloads.isEmpty ? [(nil, report.mesh)] : report.workloads.map { ($0.name, $0.report.mesh) }
        var missing: [String] = []
        for part in parts {
            for line in part.mesh.missing where !missing.contains(line) { missing.append(line) }
        }
        self.missing = missing
        guard let catalog = report.catalog else { return }
        let candidates = parts.flatMap { part in part.mesh.rows.map { (workload: part.workload, row: $0) } }
        var variants: [String] = []
        for candidate in candidates where !variants.contains(candidate.row.layer.variant) {
            variants.append(candidate.row.layer.variant)
        }
        if variants.isEmpty && self.missing.isEmpty {
            self.missing.append("no variant runs mesh proxies (sidecars or node proxies) against a baseline")
        }
        for variant in variants {
            let nearest = candidates.filter { $0.row.layer.variant == variant }.min {
                Self.distance($0.row.layer.offeredRate, fleet) < Self.distance($1.row.layer.offeredRate, fleet)
            }
            guard let (workload, row) = nearest, let cores = row.proxyCoresPer1000RPS, let memory = row.proxyMemoryBytes
            else {
                self.missing.append("variant '\(variant)': its proxies' CPU or memory was not measured")
                continue
            }
            let measuredRates = candidates.filter { $0.row.layer.variant == variant }.compactMap(
                \.row.layer.offeredRate)
            lines.append(
                Line(
                    variant: variant, workload: workload, offeredRate: row.layer.offeredRate,
                    cost: MeshCapacityCost(
                        placement: row.placement, vcpuPer1000RPS: cores.value, memoryBytesPerProxy: memory.value,
                        fleet: fleet, catalog: catalog),
                    addedP99: row.layer.addedP99,
                    extrapolation: MeshExtrapolation(
                        measuredRates: measuredRates, fleet: fleet, placement: row.placement)))
        }
    }

    /// How far a measured rate is from the fleet's per-service rate, as the ratio of the larger to the smaller
    /// (a closed-loop run, no offered rate, is farthest).
    static func distance(_ rate: Double?, _ fleet: MeshFleet) -> Double {
        guard let rate, rate > 0, fleet.requestsPerSecond > 0 else { return .infinity }
        return max(rate, fleet.requestsPerSecond) / min(rate, fleet.requestsPerSecond)
    }

    /// One line per variant, then what is missing.
    public var text: String {
        let services = "\(fleet.services) service\(fleet.services == 1 ? "" : "s")"
        let rate = NumberText.rate(fleet.requestsPerSecond)
        var out = lines.map { line -> String in
            let cost = line.cost
            let proxies =
                cost.placement == .perPod
                ? "\(cost.proxies) sidecar\(cost.proxies == 1 ? "" : "s"), one per pod"
                : "\(cost.proxies) node prox\(cost.proxies == 1 ? "y" : "ies"), \(fleet.podsPerNode) pods per node"
            let p99 = line.addedP99.map { ($0.value < 0 ? "-" : "+") + DurationText.micros(abs($0.value)) + " p99" }
            let measured =
                (line.offeredRate.map { " at \(NumberText.rate($0))/s" } ?? "")
                + (line.workload.map { ", \($0)" } ?? "")
            return "\(line.variant): the mesh costs \(MoneyText.dollars(cost.dollarsPerMonth)) a month for your "
                + "\(services) at \(rate) rps each (\(proxies): \(DurationText.fixed(cost.vcpus, digits: 2)) vCPU, "
                + "\(DurationText.fixed(cost.memoryGiB, digits: 2)) GiB)"
                + (p99.map { ", \($0) (measured\(measured))" } ?? "")
                + (line.extrapolation.text.map { "; " + $0 } ?? "")
        }
        out += missing.map { "missing: " + $0 }
        return out.joined(separator: "\n") + "\n"
    }
}
