import Foundation

/// The price catalogs that ship with StackLab, and how a name or a path becomes a catalog.
public enum PriceCatalogs {
    /// The catalog used when neither the experiment nor the command names one.
    public static let defaultName = "opencost-default"

    /// The shipped catalogs, in the order `stacklab pricing list` shows them.
    public static var shipped: [PriceCatalog] {
        shippedSources.map { name, yaml in
            // The shipped texts are checked by the tests; failing here is a programmer error.
            guard let catalog = try? PriceCatalog(yaml: yaml, file: "\(name).yaml") else {
                preconditionFailure("shipped catalog \(name) does not parse")
            }
            return catalog
        }
    }

    /// The YAML text of a shipped catalog, as `stacklab pricing show` prints it.
    public static func source(named name: String) -> String? {
        shippedSources.first(where: { $0.name == name })?.yaml
    }

    /// A shipped catalog by name, or a catalog file by path (anything with a `/` or ending in `.yaml`/`.yml`).
    ///
    /// - Throws: `UserError` naming the shipped catalogs when the name is unknown; `SpecError` with file, line
    ///   and key when a catalog file is malformed.
    public static func load(nameOrPath: String) throws -> PriceCatalog {
        if let yaml = source(named: nameOrPath) {
            return try PriceCatalog(yaml: yaml, file: "\(nameOrPath).yaml")
        }
        let looksLikePath =
            nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        guard looksLikePath || FileManager.default.fileExists(atPath: nameOrPath) else {
            let names = shippedSources.map(\.name)
            let hint = NameSuggestion.nearest(to: nameOrPath, among: names).map { "did you mean '\($0)'? " } ?? ""
            throw UserError(
                "no price catalog named '\(nameOrPath)'; \(hint)shipped catalogs: \(names.joined(separator: ", ")), "
                    + "or give the path of a catalog file (docs/pricing.md)")
        }
        return try PriceCatalog.load(path: nameOrPath)
    }

    // Prices as published; each catalog says where and when they were read (reference/cost-model.md §1.3, §3).
    static let shippedSources: [(name: String, yaml: String)] = [
        (
            "opencost-default",
            """
            name: opencost-default
            title: OpenCost default prices (GCP us-central1 N1 on-demand rates)
            source: opencost/opencost configs/default.json ("Default prices based on GCP us-central1")
            date: 2024-10-24
            currency: USD
            region: us-central1
            cpu_per_vcpu_hour: 0.031611
            memory_per_gib_hour: 0.004237
            storage_per_gb_month: 0.04
            egress_per_gb: 0.12
            cross_zone_egress_per_gb: 0.01   # between zones of one region, as AWS and GCP list it

            """
        ),
        (
            "aws-m7i-large",
            """
            name: aws-m7i-large
            title: AWS m7i.large on demand, us-east-1, Linux
            source: aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-01-19); EBS gp3 and internet egress from Infracost golden files
            date: 2026-01-19
            currency: USD
            region: us-east-1
            instance: { type: m7i.large, dollars_per_hour: 0.1008, vcpus: 2, memory_gib: 8 }
            storage_per_gb_month: 0.08
            egress_per_gb: 0.09
            cross_zone_egress_per_gb: 0.01   # between zones of one region, as AWS and GCP list it

            """
        ),
        (
            "aws-c7g-large",
            """
            name: aws-c7g-large
            title: AWS c7g.large (Graviton3) on demand, us-east-1, Linux
            source: aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-01-19); EBS gp3 and internet egress from Infracost golden files
            date: 2026-01-19
            currency: USD
            region: us-east-1
            instance: { type: c7g.large, dollars_per_hour: 0.0725, vcpus: 2, memory_gib: 4 }
            storage_per_gb_month: 0.08
            egress_per_gb: 0.09
            cross_zone_egress_per_gb: 0.01   # between zones of one region, as AWS and GCP list it

            """
        ),
        (
            "aws-t3-medium",
            """
            name: aws-t3-medium
            title: AWS t3.medium (burstable) on demand, us-east-1, Linux; valid while under the CPU-credit baseline
            source: aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-01-19); EBS gp3 and internet egress from Infracost golden files
            date: 2026-01-19
            currency: USD
            region: us-east-1
            instance: { type: t3.medium, dollars_per_hour: 0.0416, vcpus: 2, memory_gib: 4 }
            storage_per_gb_month: 0.08
            egress_per_gb: 0.09
            cross_zone_egress_per_gb: 0.01   # between zones of one region, as AWS and GCP list it

            """
        ),
        (
            "gcp-e2-standard-2",
            """
            name: gcp-e2-standard-2
            title: GCP e2-standard-2 on demand, us-central1 (derived from the E2 per-vCPU and per-GB rates)
            source: 2 x 0.021811 $/vCPU-h + 8 x 0.002923 $/GB-h, E2 us-central1 rates; agrees with Infracost's golden e2-medium price; pd-standard storage and egress from OpenCost's defaults
            date: 2026-01-19
            currency: USD
            region: us-central1
            instance: { type: e2-standard-2, dollars_per_hour: 0.067006, vcpus: 2, memory_gib: 8 }
            storage_per_gb_month: 0.04
            egress_per_gb: 0.12
            cross_zone_egress_per_gb: 0.01   # between zones of one region, as AWS and GCP list it

            """
        ),
    ]
}
