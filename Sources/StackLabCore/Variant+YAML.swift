import Yams

extension SpecReader {
    /// `variants:`, a mapping from names to stacks, each a chain (`[nginx, app]`) or a graph (`entry`, `hops`,
    /// `sidecars`); `defined` are the component names, `nil` when the components could not be read (then names go
    /// unchecked rather than all reported as undefined), and `components` give the transports a graph implies.
    mutating func variants(
        _ node: Node, _ keyPath: String, defined: [String]?, components: [Component]? = nil
    ) -> [Variant]? {
        guard let fields = fields(node, keyPath, allowed: nil, expected: "a mapping of variant names to stacks")
        else { return nil }
        if fields.isEmpty {
            report(node, keyPath, "no variants; add at least one, e.g. direct: [app]")
            return nil
        }
        let defined = defined.map(DefinedNames.init)
        var variants: [Variant] = []
        var complete = true
        for name in fields.keys {
            let path = fields.path(name)
            guard checkName(name, fields.keyNode(name) ?? node, path) else {
                complete = false
                continue
            }
            let value = fields[name]!
            if case .mapping = value {
                guard let (graph, locations) = graph(value, path, defined: defined, components: components) else {
                    complete = false
                    continue
                }
                graphLocations[name] = locations
                variants.append(Variant(name: name, graph: graph))
            } else if let stack = stack(value, path, defined: defined) {
                variants.append(Variant(name: name, stack: stack))
            } else {
                complete = false
            }
        }
        return complete ? variants : nil
    }

    /// One variant's stack: component names, the first the one the client talks to.
    mutating func stack(_ node: Node, _ keyPath: String, defined: DefinedNames?) -> [String]? {
        guard let items = list(node, keyPath, example: "[nginx, app]") else { return nil }
        if items.isEmpty {
            report(node, keyPath, "empty stack; list the components a request passes through, e.g. [nginx, app]")
            return nil
        }
        var stack: [String] = []
        var seen: Set<String> = []
        var complete = true
        for item in items {
            guard let name = text(item, keyPath) else {
                complete = false
                continue
            }
            if !checkDefined(name, item, keyPath, defined: defined) {
                complete = false
            } else if !seen.insert(name).inserted {
                report(item, keyPath, "component \(MessageText.quoted(name)) appears twice in one stack")
                complete = false
            }
            stack.append(name)
        }
        return complete ? stack : nil
    }
}

/// The names of the defined components, as listed (for "did you mean") and as a set (for lookups in a long stack).
struct DefinedNames {
    var list: [String]
    var set: Set<String>

    init(_ list: [String]) {
        self.list = list
        self.set = Set(list)
    }
}
