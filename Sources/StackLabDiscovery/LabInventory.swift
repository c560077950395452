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

        public init(kind: String, landscapeName: String, role: ComponentRole, examples: [String] = []) {
            self.kind = kind
            self.landscapeName = landscapeName
            self.role = role
            self.examples = examples
        }

        /// True when an example measures it; only such a component can reach the radar's Adopt ring.
        public var isMeasured: Bool { !examples.isEmpty }
    }

    public var components: [Component]

    public init(components: [Component]) { self.components = components }

    /// Each kind's name in the landscape (kinds the landscape does not list, like `mosquitto`, keep their own).
    public static let landscapeNames: [ComponentKind: String] = [
        .nginx: "NGINX", .haproxy: "HAProxy", .traefik: "Traefik", .envoy: "Envoy", .caddy: "Caddy",
        .postgres: "PostgreSQL", .mariadb: "MariaDB", .redis: "Redis", .nats: "NATS", .rabbitmq: "RabbitMQ",
        .mosquitto: "Mosquitto", .prometheus: "Prometheus", .victoriaMetrics: "VictoriaMetrics",
    ]

    /// Every kind StackLab runs (the reference app aside), with the examples in `examplesDirectory` that use it.
    public static func shipped(examplesDirectory: String?) -> LabInventory {
        let uses = examplesDirectory.map(kindsUsed(inExamples:)) ?? [:]
        return LabInventory(
            components: ComponentKind.allCases.filter { $0 != .app }.map { kind in
                Component(
                    kind: kind.rawValue, landscapeName: landscapeNames[kind] ?? kind.rawValue, role: .of(kind),
                    examples: uses[kind.rawValue, default: []].sorted())
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
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8),
                let root = try? Yams.compose(yaml: text), let components = root["components"]?.mapping
            else { continue }
            for (_, component) in components {
                if let kind = component["kind"]?.string { uses[kind, default: []].insert("\(prefix)/\(file)") }
            }
        }
        return uses.mapValues { Array($0) }
    }
}
