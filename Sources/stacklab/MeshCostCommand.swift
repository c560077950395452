import ArgumentParser
import StackLabCore
import StackLabReport

/// `stacklab mesh-cost RUN --services 40 --rps 200`: is the mesh worth it, in dollars a month and added p99.
struct MeshCostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh-cost",
        abstract: "Price a stored run's service mesh for N services at M requests/s each, per pod or per node.",
        discussion: """
            RUN is a run id, a prefix of exactly one id, or 'latest'; it needs a baseline (its first variant) and \
            variants with mesh proxies (sidecars or node proxies). Each mesh variant is priced from its proxies' \
            measured CPU per 1000 requests/s (at its offered rate nearest --rps) and memory: a sidecar mesh runs \
            one proxy per pod (--replicas pods per service), a node-proxy mesh one per node (--pods-per-node). \
            A line whose fleet goes beyond the rates the run measured (N services × M rps in all, or one proxy's \
            share, above the highest offered rate) says "extrapolated" and by how much: its vCPU figure grows the \
            measured CPU per 1000 rps in proportion, which no trial measured. \
            Prices: --pricing NAME, else the experiment's catalog, else opencost-default.
            """
    )

    @Argument(help: "The run: an id, a unique prefix of one, or 'latest'.")
    var run: String

    @Option(help: ArgumentHelp("Services in the mesh.", valueName: "count"))
    var services: Int

    @Option(help: ArgumentHelp("Requests per second each service serves.", valueName: "rate"))
    var rps: Double

    @Option(help: ArgumentHelp("Pods per service (one sidecar each).", valueName: "count"))
    var replicas: Int = 1

    @Option(help: ArgumentHelp("Pods on one node (one node proxy each node).", valueName: "count"))
    var podsPerNode: Int = 10

    @Option(help: ArgumentHelp("A shipped price catalog's name or a catalog file.", valueName: "catalog"))
    var pricing: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (1...1_000_000).contains(services) else {
            throw ValidationError("--services must be from 1 to 1,000,000")
        }
        guard rps > 0, rps <= 1e9 else { throw ValidationError("--rps must be above 0 and at most 1,000,000,000") }
        guard (1...10_000).contains(replicas) else { throw ValidationError("--replicas must be from 1 to 10,000") }
        guard (1...10_000).contains(podsPerNode) else {
            throw ValidationError("--pods-per-node must be from 1 to 10,000")
        }
    }

    func run() async throws {
        let record = try await ReportCommand.load(run, from: store)
        let catalog = try PricingCommand.loadCatalog(pricing ?? record.spec.pricing ?? PriceCatalogs.defaultName)
        let worth = MeshWorth(
            RunReport(record: record, catalog: catalog),
            fleet: MeshFleet(services: services, requestsPerSecond: rps, replicas: replicas, podsPerNode: podsPerNode))
        print(worth.text, terminator: "")
        guard !worth.lines.isEmpty else { throw UserError("run \(record.id) has no measured mesh to price") }
    }
}
