import StackLabCore

/// The report as data: what `stacklab report --format json` writes, schema `stacklab.report/1`.
///
/// Documented field by field in docs/result-json.md. Latencies are in microseconds, rates in requests per
/// second, money in US dollars. Adding a field is a compatible change; renaming or removing one bumps
/// ``schemaVersion``.
public struct ReportDocument: Codable, Sendable, Equatable {
    public static let schemaVersion = "stacklab.report/1"

    public var schema: String
    /// `stacklab VERSION`.
    public var generatedBy: String
    public var run: Run
    /// Nil when the report was not priced.
    public var pricing: Pricing?
    public var variants: [VariantEntry]
    /// One per variant and offered rate, summarised across repeats.
    public var groups: [Group]
    public var trials: [Trial]
    /// Replicas and dollars to serve a target rate within the SLO; empty without a sweep or prices.
    public var capacity: [Capacity]
    /// Per app component of each variant: cold start, artifact size, builds, memory; nil when the run recorded
    /// none (runs without apps, runs from before StackLab measured them).
    public var runtimes: [RuntimeEntry]?
    /// Backup and restore drills of database components, as the run recorded them; nil when it took none.
    public var recoveries: [RecoveryDrill]?
    /// What the mesh variants add to the baseline and each mesh premium on its own; nil when no variant runs
    /// mesh proxies.
    public var mesh: Mesh?

    public struct Run: Codable, Sendable, Equatable {
        public var id: String
        public var experiment: String
        public var description: String?
        /// `running`, `completed` or `aborted`.
        public var status: String
        public var abortReason: String?
        public var startedAt: String
        public var finishedAt: String?
        /// The workload in one line; with several workloads, each as `name: summary`, joined by ` · `.
        public var workload: String
        /// With several workloads (`workloads:`): each by name, in the experiment's order; absent for one.
        public var workloads: [WorkloadEntry]?
        public var repeats: Int
        public var slo: SLO?
        public var fingerprint: EnvironmentFingerprint
    }

    public struct WorkloadEntry: Codable, Sendable, Equatable {
        public var name: String
        /// The workload in one line.
        public var summary: String
    }

    public struct SLO: Codable, Sendable, Equatable {
        public var latency: [Limit]
        public var errorRate: Double?

        public struct Limit: Codable, Sendable, Equatable {
            /// `p50`, `p90`, `p95`, `p99` or `p99.9`.
            public var percentile: String
            public var micros: Double
        }
    }

    public struct Pricing: Codable, Sendable, Equatable {
        public var catalog: String
        public var title: String
        public var source: String
        public var date: String
        public var cpuPerVCPUHour: Double
        public var memoryPerGiBHour: Double
        public var storagePerGBMonth: Double
        /// The catalog's internet egress price, $/GB.
        public var egressPerGB: Double
        /// The catalog's cross-zone price, $/GB, when it gives one.
        public var crossZoneEgressPerGB: Double?
        /// What the bytes served were priced as: `none` (the default for a loopback lab), `internet` or
        /// `cross-zone`.
        public var egress: String?
        /// The $/GB the bytes served were priced at: 0 for `none`.
        public var egressPricePerGB: Double?
        /// The CPUs each stack's components shared when measured, which its allocation and capacity are priced for.
        public var sharedCPUs: Int?
        public var currency: String
        public var region: String?
        public var instance: PriceCatalog.Instance?
    }

    public struct VariantEntry: Codable, Sendable, Equatable {
        public var name: String
        /// Component names in the order a request passes through them.
        public var stack: [String]
        /// The capacity a sweep found: the highest offered rate at and below which every repeat of every rate met
        /// the SLO (a lower rate that failed leaves none).
        public var highestRateWithinSLO: Double?
        /// True when every rate tried met the SLO: `highestRateWithinSLO` is the highest rate tried, a lower bound on
        /// the capacity, not a knee. Absent without a sweep under an SLO.
        public var highestRateWithinSLOIsLowerBound: Bool? = nil
    }

    public struct Group: Codable, Sendable, Equatable {
        public var variant: String
        /// The workload's name in a run of several; absent for one.
        public var workload: String?
        /// Nil for closed loop.
        public var offeredRate: Double?
        public var repeats: Int
        public var achievedRate: Statistics.Estimate?
        public var latency: Latency
        /// Median across repeats, 0...1.
        public var errorRate: Double
        /// Nil without an SLO.
        public var meetsSLO: Bool?
        /// `ok`, or `generator-bound (N/M)` with the causes found, e.g. `generator-bound (2/5): wake-up delay`.
        public var generator: String
        public var components: [ComponentResources]
        public var cost: GroupCostEntry?
        /// The whole stack's CPU-seconds per 1000 requests, median across repeats with its interval (``IntervalText``).
        public var stackCPUSecondsPer1000Requests: Statistics.Estimate?
        /// The whole stack's peak memory (its components' peaks added; PSS for a process tree, RSS for one
        /// process), median across repeats, bytes.
        public var stackPeakRSSBytes: Statistics.Estimate?
    }

    /// Medians across repeats with their order-statistic intervals (`confidence` set) or, below 5 repeats, their
    /// range (no `confidence`), µs.
    public struct Latency: Codable, Sendable, Equatable {
        public var p50: Statistics.Estimate?
        public var p90: Statistics.Estimate?
        public var p99: Statistics.Estimate?
        public var p999: Statistics.Estimate?
    }

    public struct ComponentResources: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var cpuCores: Double
        public var cpuMicrosPerRequest: Double?
        public var averageRSSBytes: Int
        public var peakRSSBytes: Int
        /// A database's data directory at the end of the trials, bytes (median across repeats).
        public var storedBytes: Int?
        /// Storage operations per second of the measured window (medians across repeats).
        public var readIOPS: Double?
        public var writeIOPS: Double?
        /// Where the operations were counted: `device vda` (the whole block device) or `component`.
        public var iopsCountedOn: String?
        /// The stored bytes priced with the catalog's $/GB-month.
        public var storageDollarsPerMonth: Double?
        /// A metrics backend's ingestion; absent for other components.
        public var ingestion: IngestionSummary? = nil
        /// The component's own cgroup counters and limits; absent where it ran without cgroups of its own.
        public var cgroup: CgroupSummary? = nil
    }

    public struct GroupCostEntry: Codable, Sendable, Equatable {
        /// Usage cost of the whole stack, egress included, per million successful requests.
        public var perMillionRequests: Statistics.Estimate?
        /// The components' usage cost (CPU, memory, storage), egress apart, per million successful requests.
        public var computePerMillionRequests: Statistics.Estimate?
        /// Allocation cost (max(request, usage)) per million successful requests.
        public var allocationPerMillionRequests: Statistics.Estimate?
        public var egressPerMillionRequests: Statistics.Estimate?
        public var components: [ComponentShareEntry]
    }

    public struct ComponentShareEntry: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var perMillionRequests: Statistics.Estimate?
        public var allocationPerMillionRequests: Statistics.Estimate?
    }

    public struct Trial: Codable, Sendable, Equatable {
        public var variant: String
        /// The workload's name in a run of several; absent for one.
        public var workload: String?
        public var repeatIndex: Int
        public var offeredRate: Double?
        public var achievedRate: Double
        public var requests: Int
        public var errors: Int
        public var errorRate: Double
        public var latency: LatencySummary
        public var serviceTime: LatencySummary
        public var meetsSLO: Bool?
        /// `ok` or `generator-bound`.
        public var generator: String
        /// Why the trial is generator-bound (``GeneratorCheck/Cause``): `client-cpu`, `host-steal`,
        /// `wake-up-delay`, `connection-shortage`; empty when `ok`, absent for trials stored before causes were
        /// told apart.
        public var generatorCauses: [GeneratorCheck.Cause]? = nil
        /// Why the trial is not a measurement (nothing completed, requests unaccounted for); absent when it is.
        public var invalid: String? = nil
        /// True when the trial kept its latency histogram (percentile curves come from it).
        public var hasHistogram: Bool
        public var components: [TrialComponent]
        public var cost: TrialCostEntry?
    }

    public struct TrialComponent: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var usage: ResourceUsage
        /// Bytes kept on disk at the end of the trial, when the component keeps data priced as storage.
        public var storedBytes: Int?
        /// What a metrics backend ingested over the trial; absent for other components.
        public var ingestion: MetricsIngestion? = nil
        /// What the component's own cgroup counted over the trial, with its limits; absent without one.
        public var cgroup: CgroupUsage? = nil
    }

    public struct TrialCostEntry: Codable, Sendable, Equatable {
        /// Requests answered with a status below 400: what $ per million requests divides by.
        public var successfulRequests: Int
        /// Egress of the bytes served, dollars, at the run's egress price (0 for `none`).
        public var egress: Double
        /// The components' usage cost, egress apart, dollars.
        public var compute: Double?
        /// compute + egress.
        public var usage: Double
        public var allocation: Double
        public var perMillionRequests: Double?
        public var allocationPerMillionRequests: Double?
        public var components: [ComponentCostEntry]
    }

    public struct ComponentCostEntry: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var cpu: Double
        public var memory: Double
        public var storage: Double
        public var usage: Double
        public var allocation: Double
        public var idle: Double
        public var perMillionRequests: Double?
    }

    public struct Capacity: Codable, Sendable, Equatable {
        public var variant: String
        /// The workload's name in a run of several; absent for one.
        public var workload: String?
        public var highestRateWithinSLO: Double
        /// True when every rate tried met the SLO: `highestRateWithinSLO` is a lower bound on capacity, so
        /// `replicas` and the dollars are upper bounds.
        public var isUpperBound: Bool? = nil
        public var targetRate: Double
        public var headroom: Double
        public var replicas: Int
        public var replicaDollarsPerHour: Double
        /// The vCPUs one replica is priced for (its allocation, never more than the CPUs the stack shared).
        public var replicaVCPUs: Double?
        /// replicas × replica price × 730 h, egress apart.
        public var computeDollarsPerMonth: Double?
        public var egressDollarsPerMonth: Double
        public var dollarsPerMonth: Double
        public var perMillionRequests: Double
    }

    /// What a run learned about one app before its trials (``AppFacts``), with its memory under load.
    public struct RuntimeEntry: Codable, Sendable, Equatable {
        public var variant: String
        public var component: String
        /// `swift`, `go`, `rust`, `node`, `bun` or `dotnet`.
        public var runtime: String
        /// Why the variant was not run; every figure below is then nil.
        public var notInstalled: String?
        public var coldStartMicros: ColdStart?
        public var artifactBytes: Int64?
        /// The latest clean build recorded by `stacklab install` before the run; nil when none was.
        public var cleanBuild: Build?
        public var incrementalBuild: Build?
        /// Average memory of the app's processes at rest, after start and before load (PSS for a process tree,
        /// RSS for one process).
        public var idleRSSBytes: Int64?
        /// The highest peak memory of the app over the variant's trials (PSS for a process tree, RSS for one).
        public var peakRSSBytesUnderLoad: Int64?
        /// Why a figure is missing.
        public var notes: [String]
    }

    /// Process spawn to the first correct `GET /json`, µs.
    public struct ColdStart: Codable, Sendable, Equatable {
        public var median: Double
        public var min: Double
        public var max: Double
        /// Each start, in order.
        public var samples: [Double]
    }

    public struct Build: Codable, Sendable, Equatable {
        public var seconds: Double
        /// ISO 8601, UTC.
        public var builtAt: String
    }
}
