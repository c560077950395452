import Yams

extension SpecReader {
    /// `variants:`, a mapping from names to stacks; `defined` are the component names, `nil` when the components
    /// could not be read (then names go unchecked rather than all reported as undefined).
    mutating func variants(_ node: Node, _ keyPath: String, defined: [String]?) -> [Variant]? {
        guard let fields = fields(node, keyPath, allowed: nil, expected: "a mapping of variant names to stacks")
        else { return nil }
        if fields.isEmpty {
            report(node, keyPath, "no variants; add at least one, e.g. direct: [app]")
            return nil
        }
        var variants: [Variant] = []
        var complete = true
        for name in fields.keys {
            let path = fields.path(name)
            guard checkName(name, fields.keyNode(name) ?? node, path),
                let stack = stack(fields[name]!, path, defined: defined)
            else {
                complete = false
                continue
            }
            variants.append(Variant(name: name, stack: stack))
        }
        return complete ? variants : nil
    }

    /// One variant's stack: component names, the first the one the client talks to.
    mutating func stack(_ node: Node, _ keyPath: String, defined: [String]?) -> [String]? {
        guard let items = list(node, keyPath, example: "[nginx, app]") else { return nil }
        if items.isEmpty {
            report(node, keyPath, "empty stack; list the components a request passes through, e.g. [nginx, app]")
            return nil
        }
        var stack: [String] = []
        var complete = true
        for item in items {
            guard let name = text(item, keyPath) else {
                complete = false
                continue
            }
            if let defined, !defined.contains(name) {
                let hint =
                    NameSuggestion.nearest(to: name, among: defined).map { "did you mean '\($0)'?" }
                    ?? "define it under components"
                report(item, keyPath, "component \(MessageText.quoted(name)) is not defined; \(hint)")
                complete = false
            } else if stack.contains(name) {
                report(item, keyPath, "component \(MessageText.quoted(name)) appears twice in one stack")
                complete = false
            }
            stack.append(name)
        }
        return complete ? stack : nil
    }
}
