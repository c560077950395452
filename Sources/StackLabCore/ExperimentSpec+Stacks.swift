import Yams

extension SpecReader {
    /// What a run would refuse about the stacks, checked when the file is read so that `validate` refuses it too:
    /// a gateway with nothing behind it, TLS on a component the client does not talk to, TLS on a reference app;
    /// for a variant in the graph form, the rules of ``checkGraph(_:at:components:)``.
    mutating func checkStacks(
        _ variants: [Variant], components: [Component], componentsNode: Node?, variantsNode: Node?
    ) {
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let variantNodes = Self.valueNodes(of: variantsNode)
        let componentNodes = Self.valueNodes(of: componentsNode)
        for component in components where component.kind == .app && component.tls {
            report(
                componentNodes[component.name], SpecReader.path("components", component.name) + ".tls",
                "the reference app does not serve TLS; put a gateway with tls: true in front of it")
        }
        for variant in variants {
            if let graph = variant.graph {
                if let locations = graphLocations[variant.name] {
                    checkGraph(graph, at: locations, components: components)
                }
                continue
            }
            let node = variantNodes[variant.name]
            let path = SpecReader.path("variants", variant.name)
            for (index, name) in variant.stack.enumerated() {
                guard let component = byName[name] else { continue }
                if component.tls && index > 0 && component.kind != .app {
                    report(
                        node, path,
                        "component '\(name)' has tls: true but is not first in the stack; only the component the "
                            + "client talks to can terminate TLS today")
                }
                if component.kind.isGateway && index == variant.stack.count - 1 {
                    report(
                        node, path,
                        "'\(name)' is a \(component.kind.rawValue) gateway and last in the stack, with nothing to "
                            + "forward to; put what it serves after it, e.g. [\(name), app]")
                }
            }
        }
    }

    /// `pricing:` names a shipped catalog or a catalog file that reads, as a run will price with it.
    mutating func checkPricing(_ text: String, _ node: Node) {
        do {
            _ = try PriceCatalogs.load(nameOrPath: text)
        } catch let error as SpecError {
            let first = error.lines.first ?? ""
            let more = error.problems.count > 1 ? " (and \(error.problems.count - 1) more)" : ""
            report(node, "pricing", "the catalog file has problems: \(first)\(more)")
        } catch let error as UserError {
            report(node, "pricing", error.message)
        } catch {
            report(node, "pricing", "\(error)")
        }
    }

    /// The value node of each key of a mapping, by name.
    static func valueNodes(of node: Node?) -> [String: Node] {
        guard case .mapping(let mapping)? = node else { return [:] }
        return Dictionary(
            mapping.compactMap { key, value in key.string.map { ($0, value) } }, uniquingKeysWith: { first, _ in first }
        )
    }
}
