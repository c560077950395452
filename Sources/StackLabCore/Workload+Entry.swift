import Yams

extension Workload.WireProtocol {
    /// The component kinds the load engine can speak this protocol to, as the first component of a stack.
    public var entryKinds: [ComponentKind] {
        switch self {
        case .http: [.app, .nginx, .haproxy, .traefik, .envoy, .caddy]
        case .redis: [.redis]
        case .postgres: [.postgres]
        case .mysql: [.mariadb]
        case .nats: [.nats]
        case .amqp: [.rabbitmq]
        }
    }
}

extension SpecReader {
    /// Reports each variant whose first component does not speak the workload's protocol (a postgres
    /// workload against an nginx stack, say), at the variant's line.
    mutating func checkEntries(
        of variants: [Variant], against workload: Workload, components: [Component], variantsNode: Node?
    ) {
        let kinds = workload.wireProtocol.entryKinds
        let variantFields: [String: Node] =
            if case .mapping(let mapping)? = variantsNode {
                Dictionary(
                    mapping.compactMap { key, value in key.string.map { ($0, value) } },
                    uniquingKeysWith: { first, _ in first })
            } else {
                [:]
            }
        for variant in variants {
            guard let first = variant.stack.first, let component = components.first(where: { $0.name == first }),
                !kinds.contains(component.kind)
            else { continue }
            let names = kinds.map(\.rawValue)
            let expected =
                names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names[0]
            report(
                variantFields[variant.name], SpecReader.path("variants", variant.name),
                "variant '\(variant.name)' starts with '\(first)' (kind \(component.kind.rawValue)), which does not "
                    + "speak the workload's protocol \(workload.wireProtocol.rawValue); put a component of kind \(expected) "
                    + "first")
        }
    }
}
