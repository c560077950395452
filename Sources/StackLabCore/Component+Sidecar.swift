import Yams

extension SpecReader {
    /// Reports each bad setting of a sidecar at its line (`SidecarSettings`).
    mutating func checkSidecarSettings(_ settings: [String: String], _ node: Node, _ keyPath: String) {
        let problems = SidecarSettings.read(settings).problems.map { (key: $0.key, message: $0.message) }
        reportSettings(problems, known: SidecarSettings.keys, node, keyPath)
    }

    /// Reports each bad setting at its line: a known key at its value, an unknown one at the key itself.
    mutating func reportSettings(
        _ problems: [(key: String, message: String)], known keys: [String], _ node: Node, _ keyPath: String
    ) {
        let nodes = Self.valueNodes(of: node)
        let keyNodes: [String: Node] =
            if case .mapping(let mapping) = node {
                Dictionary(
                    mapping.compactMap { key, _ in key.string.map { ($0, key) } },
                    uniquingKeysWith: { first, _ in first })
            } else {
                [:]
            }
        for problem in problems {
            let known = keys.contains(problem.key)
            report(
                (known ? nodes[problem.key] : keyNodes[problem.key]) ?? node, Self.path(keyPath, problem.key),
                problem.message)
        }
    }

    /// `policy: { allow: [{ from: client, paths: [/json], methods: [GET] }], rules: 100 }`.
    ///
    /// - Parameter identities: the names `from` may give, besides `client`: the components of the file.
    mutating func sidecarPolicy(_ node: Node, _ keyPath: String, identities: [String]) -> SidecarPolicy? {
        let example = "allow: [{ from: client, paths: [/json], methods: [GET] }]"
        guard
            let fields = fields(
                node, keyPath, allowed: ["allow", "rules"], expected: "a policy, e.g. { \(example), rules: 100 }"),
            let allowNode = required(fields, "allow", example: example),
            let items = list(allowNode, fields.path("allow"), example: "[{ from: client, paths: [/json] }]")
        else { return nil }
        if items.isEmpty {
            report(allowNode, fields.path("allow"), "no rule; a policy that allows nothing denies every request")
            return nil
        }
        var rules: [SidecarPolicy.Rule] = []
        var complete = true
        for (index, item) in items.enumerated() {
            if let rule = policyRule(item, Self.path(fields.path("allow"), index: index), identities: identities) {
                rules.append(rule)
            } else {
                complete = false
            }
        }
        var count: Int?
        if let rulesNode = fields["rules"] {
            count = wholeNumber(
                rulesNode, fields.path("rules"), minimum: SidecarPolicy.ruleCounts.lowerBound,
                maximum: SidecarPolicy.ruleCounts.upperBound)
            if let value = count, value < items.count {
                report(
                    rulesNode, fields.path("rules"),
                    "\(value) rules is fewer than the \(items.count) allow rules; give at least \(items.count)")
                count = nil
            }
            complete = complete && count != nil
        }
        return complete ? SidecarPolicy(allow: rules, rules: count) : nil
    }

    /// The HTTP methods a rule may name.
    static let policyMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]

    /// `{ from: client, paths: [/json, /api/*], methods: [GET] }`; each key may be one value or a list.
    private mutating func policyRule(_ node: Node, _ keyPath: String, identities: [String]) -> SidecarPolicy.Rule? {
        guard
            let fields = fields(
                node, keyPath, allowed: ["from", "paths", "methods"],
                expected: "a rule like { from: client, paths: [/json], methods: [GET] }")
        else { return nil }
        let known = identities + [MeshIdentity.client]
        let from = texts(fields, "from") { name in
            guard !known.contains(name) else { return nil }
            let hint =
                NameSuggestion.nearest(to: name, among: known).map { "did you mean '\($0)'?" }
                ?? "name a component, or client for the client's sidecar"
            return "unknown identity \(MessageText.quoted(name)); \(hint)"
        }
        let paths = texts(fields, "paths") { path in
            let stem = path.hasSuffix("*") ? String(path.dropLast()) : path
            let plain = path.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != "\\" }
            let valid = path.hasPrefix("/") && !stem.contains("*") && plain
            guard !valid else { return nil }
            return "expected a path like /json (exact) or /api/* (a prefix), found \(MessageText.quoted(path))"
        }
        let methods = texts(fields, "methods") { method in
            guard !Self.policyMethods.contains(method.uppercased()) else { return nil }
            return "unknown method \(MessageText.quoted(method)); expected one of "
                + Self.policyMethods.joined(separator: ", ")
        }
        guard let from, let paths, let methods else { return nil }
        return SidecarPolicy.Rule(from: from, paths: paths, methods: methods.map { $0.uppercased() })
    }

    /// The texts under `key`, one scalar or a list of them, each checked by `problem` (nil when it is fine, else
    /// what to report at its line); nil when one is not a text or has a problem.
    private mutating func texts(_ fields: SpecFields, _ key: String, problem: (String) -> String?) -> [String]? {
        var values: [String] = []
        var complete = true
        for (item, path) in textItems(fields, key) {
            guard let text = text(item, path) else {
                complete = false
                continue
            }
            if let message = problem(text) {
                report(item, path, message)
                complete = false
            }
            values.append(text)
        }
        return complete ? values : nil
    }

    /// The values of `key`, one scalar or a list of them, each with its key path.
    private func textItems(_ fields: SpecFields, _ key: String) -> [(Node, String)] {
        guard let node = fields[key] else { return [] }
        guard case .sequence(let sequence) = node else { return [(node, fields.path(key))] }
        return sequence.enumerated().map { ($1, Self.path(fields.path(key), index: $0)) }
    }
}
