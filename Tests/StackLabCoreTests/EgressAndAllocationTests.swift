import Testing

@testable import StackLabCore

/// Egress is priced only as the experiment says (none by default), compute apart from it, and a stack's CPU
/// priced for the CPUs it really had.
struct EgressAndAllocationTests {
    static let opencost = CostModelTests.opencost

    /// A gateway in front of an app, both requesting one CPU, measured on `sharedCPUs` shared CPUs, at two rates.
    static func record(egress: EgressKind?, sharedCPUs: Int? = 1, bytesPerTrial: Int = 3_000_000_000) -> RunRecord {
        let components = [
            Component(
                name: "nginx", kind: .nginx, resources: Resources(both: .init(cpu: 1, memory: 134_217_728))),
            Component(
                name: "app", kind: .app, runtime: .swift, resources: Resources(both: .init(cpu: 1, memory: 536_870_912))
            ),
        ]
        let spec = ExperimentSpec(
            name: "gateways", repeats: 1,
            slo: ServiceLevelObjective(latency: [.init(percentile: "p99", nanoseconds: 20_000_000)]),
            workload: Workload(requests: [.init(path: "/json")], arrival: .sweep(rates: [1_000, 2_000])),
            components: components, variants: [Variant(name: "nginx", stack: ["nginx", "app"])], egress: egress)
        var record = RunRecord(
            id: "r", startedAt: "2026-11-29T00:00:00Z", spec: spec,
            fingerprint: EnvironmentFingerprint(
                cpuModel: "test", cores: 2, memoryBytes: 1 << 34, kernel: "6.1", stacklabVersion: "0",
                componentVersions: [:], pinning: "load engine on CPUs 1, components on CPUs 0 (of usable 0-1)",
                componentCPUs: sharedCPUs))
        record.trials = [1_000.0, 2_000].map { rate in
            let usage = CostModelTests.usage(cpuSeconds: 12, gibSeconds: 1)
            return CostModelTests.trial(
                variant: "nginx", rate: rate, completed: 60_000, bytesReceived: bytesPerTrial, sloPasses: true,
                components: [
                    ComponentMeasurement(name: "nginx", kind: "nginx", usage: usage),
                    ComponentMeasurement(name: "app", kind: "app", usage: usage),
                ])
        }
        return record
    }

    @Test func aLoopbackRunHasNoEgressCost() {
        for kind in [nil, EgressKind.none] {
            let costs = RunCosts.price(Self.record(egress: kind), catalog: Self.opencost)
            #expect(costs.egress == EgressKind.none)
            #expect(costs.trials.allSatisfy { $0.egress == 0 && $0.usage == $0.compute })
            #expect(costs.groups.allSatisfy { $0.egressPerMillionRequests?.value == 0 })
            #expect(costs.groups.allSatisfy { $0.perMillionRequests == $0.computePerMillionRequests })
            #expect(costs.capacity.allSatisfy { $0.egressDollarsPerMonth == 0 })
        }
    }

    @Test func internetEgressIsTheBytesServedTimesThePrice() {
        let costs = RunCosts.price(Self.record(egress: .internet), catalog: Self.opencost)
        #expect(costs.egressPerGB == 0.12)
        for trial in costs.trials {
            #expect(abs(trial.egress - 3 * 0.12) < 1e-12)
            #expect(abs(trial.usage - (trial.compute + trial.egress)) < 1e-15)
            #expect(abs(trial.compute - trial.components.reduce(0) { $0 + $1.usage }) < 1e-15)
        }
    }

    @Test func crossZoneEgressUsesTheCatalogsCrossZonePrice() throws {
        let costs = RunCosts.price(Self.record(egress: .crossZone), catalog: Self.opencost)
        #expect(costs.egressPerGB == 0.01)
        #expect(abs(costs.trials[0].egress - 3 * 0.01) < 1e-12)
        // A catalog without a cross-zone price prices nothing and says so.
        var old = Self.opencost
        old.crossZoneEgressPerGB = nil
        let unpriced = RunCosts.price(Self.record(egress: .crossZone), catalog: old)
        #expect(unpriced.egressUnpriced)
        #expect(unpriced.trials.allSatisfy { $0.egress == 0 })
    }

    @Test func everyShippedCatalogHasACrossZonePrice() {
        for catalog in PriceCatalogs.shipped { #expect(catalog.crossZoneEgressPerGB == 0.01, "\(catalog.name)") }
    }

    @Test func aGatewayAndAppSharingOneCPUArePricedAsOneVCPU() throws {
        let costs = RunCosts.price(Self.record(egress: nil, sharedCPUs: 1), catalog: Self.opencost)
        let allocation = try #require(costs.allocations["nginx"])
        #expect(allocation.requestedCPUs == 2 && allocation.pricedCPUs == 1 && allocation.isCapped)
        // Each component used 0.2 core of its request, halved to 0.5: allocated half a CPU for the 60 s, not one.
        let cpuPrice = 0.031611 / 3_600
        let memoryPrice = 0.004237 / 3_600
        let nginx = costs.trials[0].components[0]
        #expect(abs(nginx.allocation - (0.5 * 60 * cpuPrice + 0.125 * 60 * memoryPrice)) < 1e-15)
        let capacity = try #require(costs.capacity.first)
        #expect(capacity.replicaVCPUs == 1)
        #expect(capacity.sharedCPUs == 1)
        // Memory: each component's peak (1 GiB) is above its request.
        #expect(abs(capacity.replicaDollarsPerHour - (1 * 0.031611 + 2 * 0.004237)) < 1e-12)
        // An instance-based catalog: one CPU of a two-vCPU m7i.large is half its price.
        let aws = RunCosts.price(
            Self.record(egress: nil, sharedCPUs: 1), catalog: try PriceCatalogs.load(nameOrPath: "aws-m7i-large"))
        #expect(aws.capacity.first?.replicaVCPUs == 1)
        #expect(aws.capacity.first?.replicaDollarsPerHour == 0.1008 / 2)
        // With two CPUs shared, the two requested are what it had.
        let roomy = RunCosts.price(Self.record(egress: nil, sharedCPUs: 2), catalog: Self.opencost)
        #expect(roomy.capacity.first?.replicaVCPUs == 2)
    }

    @Test func runsStoredWithoutTheCPUCountReadItFromThePinningNote() {
        var fingerprint = Self.record(egress: nil, sharedCPUs: nil).fingerprint
        #expect(fingerprint.sharedComponentCPUs == 1)
        fingerprint.pinning = "not pinned: only 1 usable CPU (0); load and components share it"
        #expect(fingerprint.sharedComponentCPUs == 2)
    }

    @Test func egressKeyIsValidatedWithItsLine() throws {
        let yaml = """
            name: t
            egress: internett
            workload: { path: /json, rate: 100 }
            components: { app: { kind: app, runtime: swift } }
            variants: { direct: [app] }
            """
        #expect(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "t.yaml") }
        do {
            _ = try ExperimentSpec(yaml: yaml, file: "t.yaml")
        } catch let error as SpecError {
            let problem = try #require(error.problems.first)
            #expect(problem.line == 2 && problem.keyPath == "egress")
            #expect(problem.message.contains("did you mean 'internet'?"))
            #expect(problem.message.contains("none, internet, cross-zone"))
        }
        let good = try ExperimentSpec(yaml: yaml.replacingOccurrences(of: "internett", with: "cross-zone"), file: "t")
        #expect(good.egress == .crossZone)
        let absent = try ExperimentSpec(
            yaml: yaml.replacingOccurrences(of: "egress: internett\n", with: ""), file: "t")
        #expect(absent.egress == nil)
    }

    @Test func ratesAndVariantsCanBeCutDown() throws {
        var spec = Self.record(egress: nil).spec
        try spec.overrideRates("300, 600/s,max")
        #expect(spec.workload.arrival == .sweep(rates: [300, 600]))
        #expect(spec.workload.includesClosedLoop == true)
        try spec.overrideRates("250")
        #expect(spec.workload.arrival == .constant(rate: 250))
        #expect(throws: UserError.self) { try spec.overrideRates("500,200") }
        #expect(throws: UserError.self) { try spec.overrideRates("fast") }
        do {
            try spec.keepVariants(["ngnix"])
            Issue.record("an unknown variant was accepted")
        } catch let error as UserError {
            #expect(
                error.message
                    == "--variant: experiment gateways has no variant 'ngnix'; did you mean 'nginx'? its variants: nginx"
            )
        }
        try spec.keepVariants(["nginx"])
        #expect(spec.variants.map(\.name) == ["nginx"])
    }
}
