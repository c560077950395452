import StackLabCore

extension ReportDocument {
    /// The document of a report.
    public init(_ report: RunReport) {
        let record = report.record
        schema = Self.schemaVersion
        generatedBy = "stacklab \(StackLabVersion.current)"
        run = Run(
            id: record.id, experiment: record.spec.name, description: record.spec.description,
            status: record.status.rawValue, abortReason: record.abortReason, startedAt: record.startedAt,
            finishedAt: record.finishedAt,
            workload: record.spec.workloads.map {
                $0.map { "\($0.name): \($0.workload.summary)" }.joined(separator: " · ")
            }
                ?? record.spec.workload.summary,
            workloads: record.spec.workloads.map {
                $0.map { WorkloadEntry(name: $0.name, summary: $0.workload.summary) }
            },
            repeats: record.spec.repeats,
            slo: record.spec.slo.map { slo in
                SLO(
                    latency: slo.latency.map {
                        SLO.Limit(percentile: $0.percentile, micros: Double($0.nanoseconds) / 1_000)
                    }, errorRate: slo.errorRate)
            }, fingerprint: record.fingerprint)
        let costs = report.workloads.first?.report.costs ?? report.costs
        pricing = report.catalog.map {
            Pricing(
                catalog: $0.name, title: $0.title, source: $0.source, date: $0.date, cpuPerVCPUHour: $0.cpuPerVCPUHour,
                memoryPerGiBHour: $0.memoryPerGiBHour, storagePerGBMonth: $0.storagePerGBMonth,
                egressPerGB: $0.egressPerGB, crossZoneEgressPerGB: $0.crossZoneEgressPerGB,
                egress: costs?.egress.rawValue, egressPricePerGB: costs?.egressPerGB,
                sharedCPUs: costs?.allocations.values.first?.sharedCPUs, currency: $0.currency, region: $0.region,
                instance: $0.instance)
        }
        variants = report.variants.map {
            let limit = report.sweepLimit(of: $0.name)
            return VariantEntry(
                name: $0.name, stack: $0.stack, highestRateWithinSLO: limit?.highestRateWithinSLO,
                highestRateWithinSLOIsLowerBound: limit.flatMap {
                    $0.highestRateWithinSLO == nil ? nil : $0.isLowerBound
                })
        }
        groups = report.groups.map { Self.group($0, report) }
        trials = record.trials.map { Self.trial($0, report) }
        let capacities: [(String?, CapacityCost)] =
            report.workloads.isEmpty
            ? (report.costs?.capacity ?? []).map { (nil, $0) }
            : report.workloads.flatMap { workload in
                (workload.report.costs?.capacity ?? []).map { (workload.name, $0) }
            }
        capacity = capacities.map { workload, row in
            Capacity(
                variant: row.variant, workload: workload, highestRateWithinSLO: row.highestRateWithinSLO,
                isUpperBound: row.isUpperBound, targetRate: row.targetRate, headroom: row.headroom,
                replicas: row.replicas,
                replicaDollarsPerHour: row.replicaDollarsPerHour, replicaVCPUs: row.replicaVCPUs,
                computeDollarsPerMonth: row.computeDollarsPerMonth, egressDollarsPerMonth: row.egressDollarsPerMonth,
                dollarsPerMonth: row.dollarsPerMonth, perMillionRequests: row.perMillionRequests)
        }
        let runtimeEntries = ReportTables.runtimeEntries(report)
        runtimes = runtimeEntries.isEmpty ? nil : runtimeEntries
        recoveries = record.recoveries
        mesh = Mesh(report)
    }

    private static func group(_ group: RunSummary.Group, _ report: RunReport) -> Group {
        let completed = Statistics.median(group.trials.map { Double($0.load.requests.completed) }) ?? 0
        let first = group.trials.first?.components ?? []
        let components = first.enumerated().map { index, component in
            let measured = group.trials.compactMap { index < $0.components.count ? $0.components[index] : nil }
            let usages = measured.map(\.usage)
            let cpu = Statistics.median(usages.map(\.cpuSeconds)) ?? 0
            let stored = Statistics.median(measured.compactMap(\.storedBytes).map(Double.init))
            return ComponentResources(
                name: component.name, kind: component.kind, cpuCores: Statistics.median(usages.map(\.cores)) ?? 0,
                cpuMicrosPerRequest: completed > 0 ? cpu * 1e6 / completed : nil,
                averageRSSBytes: Int(Statistics.median(usages.map { Double($0.averageRSSBytes) }) ?? 0),
                peakRSSBytes: Int(Statistics.median(usages.map { Double($0.peakRSSBytes) }) ?? 0),
                storedBytes: stored.map { Int($0) }, readIOPS: Statistics.median(usages.compactMap(\.readIOPS)),
                writeIOPS: Statistics.median(usages.compactMap(\.writeIOPS)),
                iopsCountedOn: usages.compactMap(\.diskOperations).first?.label,
                storageDollarsPerMonth: stored.flatMap { bytes in
                    report.catalog.map { bytes / 1e9 * $0.storagePerGBMonth }
                }, ingestion: IngestionSummary(measured), cgroup: CgroupSummary(measured))
        }
        return Group(
            variant: group.variant, workload: group.workload, offeredRate: group.offeredRate,
            repeats: group.trials.count,
            achievedRate: group.achieved,
            latency: Latency(p50: group.p50, p90: group.p90, p99: group.p99, p999: group.latencyEstimate(\.p999)),
            errorRate: group.errorRate, meetsSLO: group.meetsSLO, generator: group.generatorVerdict,
            components: components,
            cost: report.cost(of: group).map { cost in
                GroupCostEntry(
                    perMillionRequests: cost.perMillionRequests,
                    computePerMillionRequests: cost.computePerMillionRequests,
                    allocationPerMillionRequests: cost.allocationPerMillionRequests,
                    egressPerMillionRequests: cost.egressPerMillionRequests,
                    components: cost.components.map {
                        ComponentShareEntry(
                            name: $0.name, kind: $0.kind, perMillionRequests: $0.perMillionRequests,
                            allocationPerMillionRequests: $0.allocationPerMillionRequests)
                    })
            }, stackCPUSecondsPer1000Requests: group.stackCPUSecondsPer1000Requests,
            stackPeakRSSBytes: group.stackPeakRSSBytes)
    }

    private static func trial(_ trial: TrialMeasurement, _ report: RunReport) -> Trial {
        let load = trial.load
        return Trial(
            variant: trial.variant, workload: trial.workload, repeatIndex: trial.repeatIndex,
            offeredRate: trial.offeredRate,
            achievedRate: load.achievedRate, requests: load.requests.completed, errors: load.errors.total,
            errorRate: load.errorRate, latency: load.latency, serviceTime: load.serviceTime,
            meetsSLO: load.thresholds.isEmpty ? nil : load.thresholds.allSatisfy(\.passed) && load.invalidity == nil,
            generator: load.generator.verdict, generatorCauses: load.generator.causes, invalid: load.invalidity,
            hasHistogram: trial.latencyHistogram != nil,
            components: trial.components.map {
                TrialComponent(
                    name: $0.name, kind: $0.kind, usage: $0.usage, storedBytes: $0.storedBytes, ingestion: $0.ingestion,
                    cgroup: $0.cgroup)
            },
            cost: report.cost(of: trial).map { cost in
                TrialCostEntry(
                    successfulRequests: cost.successfulRequests, egress: cost.egress, compute: cost.compute,
                    usage: cost.usage,
                    allocation: cost.allocation, perMillionRequests: cost.perMillionRequests,
                    allocationPerMillionRequests: cost.allocationPerMillionRequests,
                    components: cost.components.map {
                        ComponentCostEntry(
                            name: $0.name, kind: $0.kind, cpu: $0.cpu, memory: $0.memory, storage: $0.storage,
                            usage: $0.usage, allocation: $0.allocation, idle: $0.idle,
                            perMillionRequests: $0.perMillionRequests)
                    })
            })
    }
}
