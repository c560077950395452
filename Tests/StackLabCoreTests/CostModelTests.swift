import Testing

@testable import StackLabCore

struct CostModelTests {
    static let opencost = try! PriceCatalogs.load(nameOrPath: "opencost-default")

    static func usage(cpuSeconds: Double, gibSeconds: Double, wallSeconds: Double = 60) -> ResourceUsage {
        ResourceUsage(
            cpuUserSeconds: cpuSeconds, cpuSystemSeconds: 0, averageRSSBytes: 1 << 30, peakRSSBytes: 1 << 30,
            memoryGiBSeconds: gibSeconds, diskReadBytes: 0, diskWriteBytes: 0, diskCountersMissing: false,
            samples: 60, wallSeconds: wallSeconds, samplerCPUSeconds: 0)
    }

    static func trial(
        variant: String = "direct", repeatIndex: Int = 1, rate: Double? = nil, completed: Int = 60_000,
        bytesReceived: Int = 0, p99: Double = 12_000, sloPasses: Bool? = nil, components: [ComponentMeasurement]
    ) -> TrialMeasurement {
        var load = LoadResult.fixture(p99: p99)
        load.requests = .init(completed: completed, unsent: 0, bytesSent: 0, bytesReceived: bytesReceived)
        if let sloPasses {
            load.thresholds = [
                LoadResult.ThresholdOutcome(expression: "p99<20ms", actual: p99, limit: 20_000, passed: sloPasses)
            ]
        }
        return TrialMeasurement(
            variant: variant, repeatIndex: repeatIndex, offeredRate: rate, load: load, components: components,
            generator: usage(cpuSeconds: 1, gibSeconds: 0))
    }

    @Test func usageCostIsTheFormulaOfTheIssue() {
        // 30 CPU-seconds and 15 GiB-s over 60,000 requests under OpenCost's default prices.
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 30, gibSeconds: 15))
        let cost = TrialCost(Self.trial(components: [app]), requests: [:], catalog: Self.opencost)
        let expected = 30 * 0.031611 / 3_600 + 15 * 0.004237 / 3_600
        #expect(abs(cost.components[0].usage - expected) < 1e-15)
        #expect(abs(cost.components[0].cpu - 30 * 0.031611 / 3_600) < 1e-15)
        #expect(abs(cost.components[0].perMillionRequests! - expected * 1e6 / 60_000) < 1e-12)
        // No bytes served, no storage: the stack costs what its one component does.
        #expect(cost.egress == 0)
        #expect(abs(cost.perMillionRequests! - expected * 1e6 / 60_000) < 1e-12)
    }

    @Test func egressPricesTheBytesServedAtTheGivenPrice() {
        // Egress is priced only at the price the run's egress kind gives (0 for none, the default: the test used to
        // expect every byte priced as internet egress).
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 0, gibSeconds: 0))
        let trial = Self.trial(bytesReceived: 2_000_000_000, components: [app])
        let cost = TrialCost(trial, requests: [:], catalog: Self.opencost, egressPerGB: 0.12)
        #expect(abs(cost.egress - 2 * 0.12) < 1e-12)
        #expect(abs(cost.usage - 0.24) < 1e-12)
        #expect(TrialCost(trial, requests: [:], catalog: Self.opencost).egress == 0)
    }

    @Test func storagePricesTheBytesKeptForTheWindow() {
        var database = ComponentMeasurement(
            name: "db", kind: "postgres", usage: Self.usage(cpuSeconds: 0, gibSeconds: 0, wallSeconds: 3_600))
        database.storedBytes = 10_000_000_000
        let cost = TrialCost(Self.trial(components: [database]), requests: [:], catalog: Self.opencost)
        // 10 GB for one hour at 0.04 $/GB-month over a 730-hour month.
        #expect(abs(cost.components[0].storage - 10 * 0.04 / 730) < 1e-12)
    }

    @Test func allocationIsTheGreaterOfRequestAndUsage() {
        let busy = ComponentMeasurement(name: "busy", kind: "app", usage: Self.usage(cpuSeconds: 90, gibSeconds: 1))
        let idle = ComponentMeasurement(name: "idle", kind: "nginx", usage: Self.usage(cpuSeconds: 6, gibSeconds: 1))
        let requests: [String: Resources.Amounts] = [
            "busy": .init(cpu: 1, memory: 1 << 30), "idle": .init(cpu: 1, memory: 1 << 30),
        ]
        let cost = TrialCost(Self.trial(components: [busy, idle]), requests: requests, catalog: Self.opencost)
        let cpu = 0.031611 / 3_600
        let memory = 0.004237 / 3_600
        // busy used 1.5 cores for 60 s against a request of 1: charged for what it used.
        #expect(abs(cost.components[0].allocation - (90 * cpu + 60 * memory)) < 1e-15)
        // idle used 0.1 core of its 1: charged for the request, and the difference is idle.
        #expect(abs(cost.components[1].allocation - (60 * cpu + 60 * memory)) < 1e-15)
        #expect(abs(cost.components[1].idle - (54 * cpu + 59 * memory)) < 1e-15)
        for component in cost.components { #expect(component.allocation >= component.usage) }
        #expect(cost.allocation >= cost.usage)
    }

    @Test func requestsThatFailedAreNotPaidFor() {
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 30, gibSeconds: 0))
        var trial = Self.trial(completed: 60_000, components: [app])
        trial.load.errors = .init(status5xx: 30_000)
        let cost = TrialCost(trial, requests: [:], catalog: Self.opencost)
        #expect(cost.successfulRequests == 30_000)
        #expect(abs(cost.perMillionRequests! - cost.usage * 1e6 / 30_000) < 1e-12)
    }

    @Test(arguments: ["aws-m7i-large", "aws-c7g-large", "aws-t3-medium", "gcp-e2-standard-2"])
    func ratioSplitSumsBackToTheInstancePrice(name: String) throws {
        let catalog = try PriceCatalogs.load(nameOrPath: name)
        let instance = try #require(catalog.instance)
        let sum = instance.vcpus * catalog.cpuPerVCPUHour + instance.memoryGiB * catalog.memoryPerGiBHour
        #expect(abs(sum - instance.dollarsPerHour) < 1e-12)
        #expect(
            abs(catalog.cpuPerVCPUHour / catalog.memoryPerGiBHour - 0.031611 / 0.004237) < 1e-9)
    }

    @Test func m7iLargeSplitsAsTheReferenceComputes() throws {
        // reference/cost-model.md §3.1: m7i.large → $0.032809/vCPU-h + $0.004398/GiB-h.
        let catalog = try PriceCatalogs.load(nameOrPath: "aws-m7i-large")
        #expect(abs(catalog.cpuPerVCPUHour - 0.032809) < 5e-7)
        #expect(abs(catalog.memoryPerGiBHour - 0.004398) < 5e-7)
    }

    @Test func capacityReplicasRoundUp() throws {
        let catalog = try PriceCatalogs.load(nameOrPath: "aws-m7i-large")
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 30, gibSeconds: 1))
        let trials = [
            Self.trial(rate: 1_000, p99: 5_000, sloPasses: true, components: [app]),
            Self.trial(rate: 3_000, p99: 9_000, sloPasses: true, components: [app]),
            Self.trial(rate: 6_000, p99: 90_000, sloPasses: false, components: [app]),
        ]
        let capacity = try #require(
            CapacityCost(
                variant: "direct", trials: trials, requests: [:], catalog: catalog,
                options: .init(targetRate: 10_000, headroom: 0.7)))
        #expect(capacity.highestRateWithinSLO == 3_000)
        // 10,000 / (0.7 × 3,000) = 4.76 → 5 replicas of one m7i.large each.
        #expect(capacity.replicas == 5)
        #expect(capacity.replicaDollarsPerHour == 0.1008)
        #expect(abs(capacity.dollarsPerMonth - 5 * 0.1008 * 730) < 1e-9)
        let monthlyRequests = 10_000 * 730 * 3_600.0
        #expect(abs(capacity.perMillionRequests - capacity.dollarsPerMonth / monthlyRequests * 1e6) < 1e-12)
    }

    @Test func noCapacityWhenNoRateMetTheSLO() {
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 30, gibSeconds: 1))
        let trials = [
            Self.trial(rate: 1_000, sloPasses: false, components: [app]),
            Self.trial(rate: 2_000, sloPasses: false, components: [app]),
        ]
        #expect(
            CapacityCost(variant: "direct", trials: trials, requests: [:], catalog: Self.opencost, options: .init())
                == nil)
    }

    @Test func repricingChangesTheDollarsAndNothingElse() throws {
        let app = ComponentMeasurement(name: "app", kind: "app", usage: Self.usage(cpuSeconds: 30, gibSeconds: 15))
        let spec = ExperimentSpec(
            name: "t", workload: Workload(requests: [.init(path: "/json")], arrival: .constant(rate: 1_000)),
            components: [Component(name: "app", kind: .app, runtime: .swift)],
            variants: [Variant(name: "direct", stack: ["app"])])
        var record = RunRecord(
            id: "r", startedAt: "2026-11-29T00:00:00Z", spec: spec,
            fingerprint: EnvironmentFingerprint(
                cpuModel: "test", cores: 2, memoryBytes: 1 << 34, kernel: "6.1", stacklabVersion: "0",
                componentVersions: [:], pinning: "none"))
        record.trials = [
            Self.trial(repeatIndex: 1, components: [app]), Self.trial(repeatIndex: 2, components: [app]),
        ]
        let before = record
        let opencost = RunCosts.price(record, catalog: Self.opencost)
        let aws = RunCosts.price(record, catalog: try PriceCatalogs.load(nameOrPath: "aws-m7i-large"))
        #expect(record == before)
        #expect(opencost.groups.count == 1 && aws.groups.count == 1)
        #expect(opencost.trials.map(\.successfulRequests) == aws.trials.map(\.successfulRequests))
        #expect(opencost.groups[0].perMillionRequests != aws.groups[0].perMillionRequests)
        // The same measurement priced twice: the ratio of the costs is the ratio of the CPU and memory prices.
        let ratio = aws.trials[0].components[0].cpu / opencost.trials[0].components[0].cpu
        #expect(abs(ratio - 0.0328093 / 0.031611) < 1e-3)
    }
}
