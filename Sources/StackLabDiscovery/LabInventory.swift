import Foundation
import StackLabCore
import Yams

/// What the lab runs and measures: each component kind, the landscape item it is, and the examples that use it.
public struct LabInventory: Sendable {
    /// One technology the lab can run.
    public struct Component: Sendable, Equatable {
        /// The kind as written in an experiment file (`nginx`), or any name for an inventory override.
        public var kind: String
        /// The item's name in the CNCF landscape (`NGINX`).
        public var landscapeName: String
        public var role: ComponentRole
        /// Example files (`examples/gateways.yaml`) whose components use this kind: what the lab has measured.
        public var examples: [String]
        /// What the lab's stored results say about it, variant by variant.
        public var measurements: [LabMeasurement]

        public init(
            kind: String, landscapeName: String, role: ComponentRole, examples: [String] = [],
            measurements: [LabMeasurement] = []
        ) {
            self.kind = kind
            self.landscapeName = landscapeName
            self.role = role
            self.examples = examples
            self.measurements = measurements
        }

        /// True when an example measures it: its peers are where a new technology of its role goes.
        public var isMeasured: Bool { !examples.isEmpty }

        /// Measured and found good: a stored result of a variant with it met the SLO at some offered rate. Only
        /// such a component reaches the radar's Adopt ring.
        public var isFoundGood: Bool { measurements.contains(where: \.metSLO) }

        /// The measurement that says the most: the highest rate within the SLO, else any.
        public var bestMeasurement: LabMeasurement? {
            measurements.max { ($0.highestRateWithinSLO ?? -1) < ($1.highestRateWithinSLO ?? -1) }
        }
    }

    public var components: [Component]

    public init(components: [Component]) { self.components = components }

    /// Each kind's name in the landscape (kinds the landscape does not list, like `mosquitto`, keep their own).
    public static let landscapeNames: [ComponentKind: String] = [
        .nginx: "NGINX", .haproxy: "HAProxy", .traefik: "Traefik", .envoy: "Envoy", .caddy: "Caddy",
        .postgres: "PostgreSQL", .mariadb: "MariaDB", .redis: "Redis", .nats: "NATS", .rabbitmq: "RabbitMQ",
        .mosquitto: "Mosquitto", .prometheus: "Prometheus", .victoriaMetrics: "VictoriaMetrics",
    ]

    /// Every kind StackLab runs (the reference app aside), with the examples in `examplesDirectory` that use it
    /// and the `measurements` of the lab's results about it.
    public static func shipped(examplesDirectory: String?, measurements: [LabMeasurement] = []) -> LabInventory {
        let uses = examplesDirectory.map(kindsUsed(inExamples:)) ?? [:]
        return LabInventory(
            components: ComponentKind.allCases.filter { $0 != .app }.map { kind in
                Component(
                    kind: kind.rawValue, landscapeName: landscapeNames[kind] ?? kind.rawValue, role: kind.role,
                    examples: uses[kind.rawValue, default: []].sorted(),
                    measurements: measurements.filter { $0.kind == kind.rawValue })
            })
    }

    /// The component with this landscape name.
    public func component(named landscapeName: String) -> Component? {
        components.first { $0.landscapeName.lowercased() == landscapeName.lowercased() }
    }

    /// Components in this role.
    public func components(in role: ComponentRole) -> [Component] { components.filter { $0.role == role } }

    /// `kind → [examples/x.yaml]` from the `components.*.kind` keys of every YAML file in the directory.
    static func kindsUsed(inExamples directory: String) -> [String: [String]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var uses: [String: Set<String>] = [:]
        let prefix = (directory as NSString).lastPathComponent
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            for kind in componentKinds(inExample: "\(directory)/\(file)").values {
                uses[kind, default: []].insert("\(prefix)/\(file)")
            }
        }
        return uses.mapValues { Array($0) }
    }

    /// `name → kind` of the `components` of one experiment file; empty when it cannot be read.
    static func componentKinds(inExample path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let root = try? Yams.compose(yaml: text), let components = root["components"]?.mapping
        else { return [:] }
        var kinds: [String: String] = [:]
        for (name, component) in components {
            if let name = name.string, let kind = component["kind"]?.string { kinds[name] = kind }
        }
        return kinds
    }
}
