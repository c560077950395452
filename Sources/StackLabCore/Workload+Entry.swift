import Yams

extension Workload.WireProtocol {
    /// The component kinds the load engine can speak this protocol to, as the first component of a stack, in
    /// the order the kinds are declared (`ComponentKind.entryProtocols`).
    public var entryKinds: [ComponentKind] { ComponentKind.allCases.filter { $0.entryProtocols.contains(self) } }
}

extension Workload {
    /// The workload as the load engine speaks it to an entry of `kind`: `sql` becomes `postgres` against a
    /// postgres entry and `mysql` against a mariadb one (the same transactions at the same scale); every other
    /// protocol is unchanged.
    public func spoken(to kind: ComponentKind?) -> Workload {
        guard wireProtocol == .sql else { return self }
        var workload = self
        workload.wireProtocol = kind?.entryProtocols.first { $0 != .sql } ?? .postgres
        return workload
    }
}

extension ExperimentSpec {
    /// The kind of the component a variant's load enters by (its stack's first); nil when it is not defined.
    public func entryKind(of variant: Variant) -> ComponentKind? {
        guard let first = variant.stack.first else { return nil }
        return components.first { $0.name == first }?.kind
    }

    /// Whether `variant`'s entry speaks `workload`'s protocol, so that the pair is planned.
    ///
    /// An entry that names no defined component is planned: starting it fails with a clear error.
    public func runs(_ workload: Workload, on variant: Variant) -> Bool {
        entryKind(of: variant).map(workload.wireProtocol.entryKinds.contains) ?? true
    }

    /// The variants each workload runs on, by name, in the spec's order.
    public var variantsByWorkload: [(name: String?, variants: [String])] {
        trialWorkloads.map { name, workload in
            (name, variants.filter { runs(workload, on: $0) }.map(\.name))
        }
    }
}

extension SpecReader {
    /// With several workloads, reports each one that no variant's entry speaks, at the workload's line: a
    /// (variant, workload) pair whose protocol the entry cannot speak is simply not planned.
    mutating func checkWorkloads(
        _ workloads: [NamedWorkload], components: [Component], variants: [Variant], workloadsNode: Node?
    ) {
        let spec = ExperimentSpec(
            name: "check", workload: workloads[0].workload, components: components, variants: variants,
            workloads: workloads)
        let nodes: [String: Node] =
            if case .mapping(let mapping)? = workloadsNode {
                Dictionary(
                    mapping.compactMap { key, _ in key.string.map { ($0, key) } },
                    uniquingKeysWith: { first, _ in first })
            } else {
                [:]
            }
        for named in workloads where !variants.contains(where: { spec.runs(named.workload, on: $0) }) {
            let kinds = named.workload.wireProtocol.entryKinds.map(\.rawValue)
            let expected = kinds.count > 1 ? kinds.dropLast().joined(separator: ", ") + " or " + kinds.last! : kinds[0]
            report(
                nodes[named.name], SpecReader.path("workloads", named.name),
                "workload '\(named.name)' (protocol \(named.workload.wireProtocol.rawValue)) runs on no variant; "
                    + "add a variant that starts with a component of kind \(expected)")
        }
    }

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
