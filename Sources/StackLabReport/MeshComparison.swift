import StackLabCore

/// What a service mesh costs, from measured trials only: per variant that runs mesh proxies (sidecars, node
/// proxies), what it adds to the baseline (the first variant) — the "what each variant adds" rows of
/// ``LayerComparison``, with the proxies' CPU per 1000 requests/s and memory; and each premium on its own, from
/// pairs of variants that differ by one thing (mutual TLS, a policy's settings).
public struct MeshComparison: Sendable {
    /// One mesh variant against the baseline at one offered rate.
    public struct Row: Sendable {
        public var layer: LayerComparison.Row
        public var placement: MeshCapacityCost.Placement
        /// The variant's mesh proxies.
        public var proxies: [String]
        /// The CPU of the proxies together per 1000 requests/s achieved: the proxies on one request's path.
        public var proxyCoresPer1000RPS: Statistics.Estimate?
        /// The peak memory of one proxy (the proxies' sum over their number), bytes.
        public var proxyMemoryBytes: Statistics.Estimate?
    }

    /// A variant against another that differs from it by one thing, at one offered rate.
    public struct Premium: Sendable {
        /// What the pair differs by: `mTLS (hops client-proxy -> server-proxy: plain → mtls)`.
        public var difference: String
        public var layer: LayerComparison.Row
        /// The proxies' CPU per 1000 requests/s, minus the reference's.
        public var addedProxyCoresPer1000RPS: Statistics.Estimate?
    }

    public var baseline: String?
    public var rows: [Row]
    public var premiums: [Premium]
    /// What the figures could not be computed from, one sentence each: a baseline or variant without trials, a
    /// baseline that runs proxies itself, no prices.
    public var missing: [String]

    public init(_ record: RunRecord, costs: RunCosts?) {
        let spec = record.spec
        let meshed = spec.variants.filter { !Self.proxies(of: $0, in: spec).isEmpty }
        baseline = spec.variants.first?.name
        rows = []
        premiums = []
        missing = []
        // A run of several workloads compares within each workload's report; its own record has no trials.
        guard !meshed.isEmpty, !record.trials.isEmpty else { return }
        let measured = Set(record.trials.map(\.variant))
        if let base = spec.variants.first {
            let baseProxies = Self.proxies(of: base, in: spec)
            if !baseProxies.isEmpty {
                missing.append(
                    "the baseline '\(base.name)' (the first variant) runs mesh proxies (\(baseProxies.joined(separator: ", "))), "
                        + "so the added figures are against a meshed stack; put the stack without a mesh first")
            }
            if !measured.contains(base.name) {
                missing.append("the baseline '\(base.name)' has no trials, so nothing is added to it")
            }
        }
        for variant in meshed where !measured.contains(variant.name) {
            missing.append("variant '\(variant.name)' has no trials: its mesh was not measured")
        }
        if costs == nil { missing.append("no price catalog: no dollars") }
        if let base = spec.variants.first {
            for variant in meshed where variant.name != base.name && measured.contains(variant.name) {
                let proxies = Self.proxies(of: variant, in: spec)
                let placement: MeshCapacityCost.Placement =
                    spec.graph(of: variant)?.proxies.isEmpty == false ? .perNode : .perPod
                for layer in LayerComparison.rows(variant, against: base, record: record, costs: costs) {
                    let trials = Self.trials(record, variant.name, layer.offeredRate)
                    rows.append(
                        Row(
                            layer: layer, placement: placement, proxies: proxies,
                            proxyCoresPer1000RPS: Statistics.medianWithInterval(
                                trials.compactMap { Self.proxyCoresPer1000RPS($0, proxies) }),
                            proxyMemoryBytes: Statistics.medianWithInterval(
                                trials.compactMap { Self.memoryPerProxy($0, proxies) })))
                }
            }
        }
        for (index, variant) in spec.variants.enumerated() where measured.contains(variant.name) {
            for reference in spec.variants.prefix(index) where measured.contains(reference.name) {
                guard let difference = MeshDifference.between(variant, reference, in: spec) else { continue }
                let (mine, theirs) = (Self.proxies(of: variant, in: spec), Self.proxies(of: reference, in: spec))
                guard !mine.isEmpty || !theirs.isEmpty else { continue }
                for layer in LayerComparison.rows(variant, against: reference, record: record, costs: costs) {
                    let perThousand = { (name: String, proxies: [String]) in
                        Self.trials(record, name, layer.offeredRate).compactMap {
                            Self.proxyCoresPer1000RPS($0, proxies)
                        }
                    }
                    premiums.append(
                        Premium(
                            difference: difference, layer: layer,
                            addedProxyCoresPer1000RPS: Statistics.differenceOfMedians(
                                perThousand(variant.name, mine), minus: perThousand(reference.name, theirs))))
                }
            }
        }
    }

    /// The mesh proxies of `variant`: its graph's sidecars and node proxies, and any component of a mesh proxy
    /// kind, in stack order.
    public static func proxies(of variant: Variant, in spec: ExperimentSpec) -> [String] {
        let graph = spec.graph(of: variant)
        let named = Set((graph?.sidecars.map(\.sidecar) ?? []) + (graph?.proxies.map(\.proxy) ?? []))
        return spec.stack(of: variant).filter { named.contains($0.name) || $0.kind.isMeshProxy }.map(\.name)
    }

    static func trials(_ record: RunRecord, _ variant: String, _ rate: Double?) -> [TrialMeasurement] {
        record.trials.filter { $0.variant == variant && $0.offeredRate == rate }
    }

    /// The cores of `proxies` together per 1000 requests/s achieved; nil without a rate or a measured proxy.
    static func proxyCoresPer1000RPS(_ trial: TrialMeasurement, _ proxies: [String]) -> Double? {
        let measured = trial.components.filter { proxies.contains($0.name) }
        guard trial.load.achievedRate > 0, !measured.isEmpty else { return nil }
        return measured.reduce(0) { $0 + $1.usage.cores } / trial.load.achievedRate * 1_000
    }

    /// The peak memory of one of `proxies`, on average; nil when none was measured.
    static func memoryPerProxy(_ trial: TrialMeasurement, _ proxies: [String]) -> Double? {
        let measured = trial.components.filter { proxies.contains($0.name) }
        guard !measured.isEmpty else { return nil }
        return Double(measured.reduce(0) { $0 + $1.usage.peakRSSBytes }) / Double(measured.count)
    }
}
