import StackLabCore

extension ReportDocument {
    /// The mesh's cost (``MeshComparison``): latencies in microseconds, money in dollars.
    public struct Mesh: Codable, Sendable, Equatable {
        /// The variant every mesh variant is compared with (the first).
        public var baseline: String?
        public var variants: [MeshVariant]
        public var premiums: [MeshPremium]
        /// What could not be computed and why, one sentence each.
        public var missing: [String]

        /// Nil when no variant runs mesh proxies.
        init?(_ report: RunReport) {
            let mesh = report.mesh
            guard !mesh.rows.isEmpty || !mesh.premiums.isEmpty || !mesh.missing.isEmpty else { return nil }
            baseline = mesh.baseline
            variants = mesh.rows.map { row in
                MeshVariant(
                    variant: row.layer.variant, offeredRate: row.layer.offeredRate,
                    placement: row.placement.rawValue, proxies: row.proxies, addedP50: row.layer.addedP50,
                    addedP90: row.layer.addedP90, addedP99: row.layer.addedP99,
                    proxyCoresPer1000RPS: row.proxyCoresPer1000RPS, proxyMemoryBytes: row.proxyMemoryBytes,
                    perMillionRequests: row.layer.perMillionRequests,
                    addedPerMillionRequests: row.layer.addedPerMillionRequests)
            }
            premiums = mesh.premiums.map { premium in
                MeshPremium(
                    difference: premium.difference, variant: premium.layer.variant,
                    reference: premium.layer.reference, offeredRate: premium.layer.offeredRate,
                    addedP50: premium.layer.addedP50, addedP90: premium.layer.addedP90,
                    addedP99: premium.layer.addedP99, addedProxyCoresPer1000RPS: premium.addedProxyCoresPer1000RPS,
                    addedPerMillionRequests: premium.layer.addedPerMillionRequests)
            }
            missing = mesh.missing
        }
    }

    /// One mesh variant against the baseline at one offered rate.
    public struct MeshVariant: Codable, Sendable, Equatable {
        public var variant: String
        public var offeredRate: Double?
        /// `per-pod` (sidecars) or `per-node` (node proxies).
        public var placement: String
        public var proxies: [String]
        public var addedP50: Statistics.Estimate?
        public var addedP90: Statistics.Estimate?
        public var addedP99: Statistics.Estimate?
        /// The proxies on a request's path together, cores per 1000 requests/s achieved.
        public var proxyCoresPer1000RPS: Statistics.Estimate?
        /// One proxy's peak memory.
        public var proxyMemoryBytes: Statistics.Estimate?
        public var perMillionRequests: Statistics.Estimate?
        public var addedPerMillionRequests: Statistics.Estimate?
    }

    /// A variant against one that differs from it by one thing (`difference`), at one offered rate.
    public struct MeshPremium: Codable, Sendable, Equatable {
        public var difference: String
        public var variant: String
        public var reference: String
        public var offeredRate: Double?
        public var addedP50: Statistics.Estimate?
        public var addedP90: Statistics.Estimate?
        public var addedP99: Statistics.Estimate?
        public var addedProxyCoresPer1000RPS: Statistics.Estimate?
        public var addedPerMillionRequests: Statistics.Estimate?
    }
}
