import StackLabCore

/// The one thing two variants differ by, so that a premium (what mutual TLS or a policy costs) is read from a
/// pair that differs by nothing else.
///
/// The stacks are compared position by position in request order: the same kinds, the same hops, sidecars and
/// node proxies. They then differ by one thing when only the transports of some hops change, all the same way
/// (`mTLS`: plain to mtls), or when only settings change, the same change on each component that has it (a
/// policy's rules on the server-side proxy, `mtls: true` on both sidecars).
enum MeshDifference {
    /// What `variant` has that `reference` has not, as one phrase; nil when they differ by more than one thing,
    /// by nothing, or in shape.
    static func between(_ variant: Variant, _ reference: Variant, in spec: ExperimentSpec) -> String? {
        guard let mine = spec.graph(of: variant), let theirs = spec.graph(of: reference),
            variant.stack.count == reference.stack.count
        else { return nil }
        var rename = Dictionary(zip(reference.stack, variant.stack), uniquingKeysWith: { first, _ in first })
        rename[StackGraph.client] = StackGraph.client
        // A name with no counterpart maps to one no component has.
        func mapped(_ name: String) -> String { rename[name] ?? "\u{0}" }
        // The same shape: entry, hops in order, sidecars and node proxies, once names are matched by position.
        guard mapped(theirs.entry.component) == mine.entry.component, mine.hops.count == theirs.hops.count,
            zip(mine.hops, theirs.hops).allSatisfy({ mapped($1.from) == $0.from && mapped($1.to) == $0.to }),
            theirs.sidecars.map({ [mapped($0.component), mapped($0.sidecar)] })
                == mine.sidecars.map({ [$0.component, $0.sidecar] }),
            theirs.proxies.map({ [mapped($0.proxy)] + $0.members.map(mapped) })
                == mine.proxies.map({ [$0.proxy] + $0.members })
        else { return nil }
        // Transports: every changed one changes the same way.
        var transportChanges: Set<[String]> = []
        var changedHops: [String] = []
        for (hop, before) in zip([mine.entryHop] + mine.hops, [theirs.entryHop] + theirs.hops)
        where hop.transport != before.transport {
            transportChanges.insert([before.transport.rawValue, hop.transport.rawValue])
            changedHops.append("\(hop.from) -> \(hop.to)")
        }
        // Components: kinds equal; settings, tls and runtime compared.
        var settingChanges: Set<[String]> = []
        var changedComponents: [String] = []
        for (name, before) in zip(variant.stack, reference.stack) {
            guard let component = spec.component(named: name), let old = spec.component(named: before),
                component.kind == old.kind, component.runtime == old.runtime
            else { return nil }
            var changes: [[String]] = []
            if component.tls != old.tls { changes.append(["tls", "\(old.tls)", "\(component.tls)"]) }
            for key in Set(component.settings.keys).union(old.settings.keys).sorted()
            where component.settings[key] != old.settings[key] {
                changes.append([key, old.settings[key] ?? "unset", component.settings[key] ?? "unset"])
            }
            guard !changes.isEmpty else { continue }
            changedComponents.append(name)
            settingChanges.insert(changes.flatMap { $0 })
        }
        switch (transportChanges.count, settingChanges.count) {
        case (1, 0):
            let change = transportChanges.first!
            let what = change[1] == StackGraph.Transport.mutualTLS.rawValue ? "mTLS" : "transport"
            return "\(what) (\(changedHops.joined(separator: ", ")): \(change[0]) → \(change[1]))"
        case (0, 1):
            let change = settingChanges.first!
            let keys = stride(from: 0, to: change.count, by: 3).map { change[$0] }
            let pairs = stride(from: 0, to: change.count, by: 3).map {
                "\(change[$0]): \(change[$0 + 1]) → \(change[$0 + 2])"
            }
            return "\(label(keys)) (\(changedComponents.joined(separator: ", ")) \(pairs.joined(separator: ", ")))"
        default:
            return nil
        }
    }

    /// `mTLS`, `policy` or `settings`, from the names of the settings that change.
    static func label(_ keys: [String]) -> String {
        let text = keys.joined(separator: " ").lowercased()
        if text.contains("mtls") || text.contains("mutual") { return "mTLS" }
        if ["rbac", "polic", "rule", "authz"].contains(where: text.contains) { return "policy" }
        return keys == ["tls"] ? "TLS" : "settings"
    }
}

extension StackGraph {
    /// The client's hop to the entry, as a hop from ``client``.
    var entryHop: Hop { Hop(from: Self.client, to: entry.component, transport: entry.transport) }
}
