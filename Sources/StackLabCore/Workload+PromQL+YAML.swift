import Foundation
import Yams

extension SpecReader {
    /// `queries:` of a promql workload: a mapping of plain names to a PromQL text (an instant query) or to
    /// `{ query, range, step }` (a range query when `range` is given); the fixed set when absent.
    mutating func promQLQueries(_ fields: SpecFields) -> [PromQLQuery]? {
        guard let node = fields["queries"] else { return PromQLQuery.defaults }
        let keyPath = fields.path("queries")
        let example = "{ up: up, cpu: { query: \"rate(x[5m])\", range: 1h, step: 15s } }"
        guard
            let entries = self.fields(
                node, keyPath, allowed: nil, expected: "a mapping of query names, e.g. \(example)")
        else { return nil }
        if entries.isEmpty {
            report(node, keyPath, "no queries; name at least one, e.g. \(example)")
            return nil
        }
        var queries: [PromQLQuery] = []
        for name in entries.keys {
            let path = entries.path(name)
            guard checkName(name, entries.keyNode(name) ?? node, path), let value = entries[name] else { continue }
            if case .mapping = value {
                if let query = rangeQuery(value, path, name: name) { queries.append(query) }
            } else if let expression = promQLText(value, path) {
                queries.append(PromQLQuery(name: name, expression: expression))
            }
        }
        return queries.count == entries.keys.count ? queries : nil
    }

    /// `{ query, range, step }`: a range query of whole seconds, the step at most the range.
    private mutating func rangeQuery(_ node: Node, _ keyPath: String, name: String) -> PromQLQuery? {
        guard
            let fields = fields(
                node, keyPath, allowed: ["query", "range", "step"],
                expected: "a query, e.g. { query: \"rate(x[5m])\", range: 1h, step: 15s }")
        else { return nil }
        let expression = required(fields, "query", example: "e.g. query: \"rate(x[5m])\"").flatMap {
            promQLText($0, fields.path("query"))
        }
        let range = fields["range"].flatMap { wholeSeconds($0, fields.path("range")) }
        let step = fields["step"].flatMap { wholeSeconds($0, fields.path("step")) }
        if fields["range"] == nil, let stepNode = fields.keyNode("step") {
            report(stepNode, fields.path("step"), "only with range; an instant query has no step")
            return nil
        }
        if let range, let step, step > range {
            report(fields["step"], fields.path("step"), "is longer than the range (\(range)s)")
            return nil
        }
        guard let expression, fields["range"] == nil || range != nil, fields["step"] == nil || step != nil else {
            return nil
        }
        return PromQLQuery(name: name, expression: expression, rangeSeconds: range, stepSeconds: step)
    }

    /// A PromQL text: not empty, one line, no control characters (the backend parses it, before any load).
    private mutating func promQLText(_ node: Node, _ keyPath: String) -> String? {
        guard let text = text(node, keyPath) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report(node, keyPath, "empty; give a PromQL query, e.g. rate(x[5m])")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            report(node, keyPath, "holds a control character (a line break, a tab); write the query on one line")
            return nil
        }
        return text
    }

    /// A duration of at least a second, in whole seconds (`1h`, `90s`).
    private mutating func wholeSeconds(_ node: Node, _ keyPath: String) -> Int? {
        guard let nanoseconds = positiveDuration(node, keyPath) else { return nil }
        guard nanoseconds % 1_000_000_000 == 0 else {
            report(node, keyPath, "must be whole seconds, e.g. 15s or 1h")
            return nil
        }
        return Int(nanoseconds / 1_000_000_000)
    }
}

extension SpecReader {
    /// Every promql workload as one workload per query, named `<workload>-<query>` (the query's name alone for a
    /// single `workload:`), so that each query is measured in trials of its own and reported with its own
    /// percentiles and errors; the other workloads as they are. A name taken twice is reported at `node`.
    mutating func splittingQueries(
        _ workload: Workload?, _ workloads: [NamedWorkload]?, node: Node?
    ) -> (Workload?, [NamedWorkload]?) {
        let named = workloads ?? workload.map { [NamedWorkload(name: "", workload: $0)] } ?? []
        guard named.contains(where: { $0.workload.queries != nil }) else { return (workload, workloads) }
        var split: [NamedWorkload] = []
        for entry in named {
            guard let queries = entry.workload.queries else {
                split.append(entry)
                continue
            }
            for query in queries {
                var one = entry.workload
                one.queries = [query]
                let name = entry.name.isEmpty ? query.name : "\(entry.name)-\(query.name)"
                split.append(NamedWorkload(name: name, workload: one))
            }
        }
        var seen: Set<String> = []
        for entry in split where !seen.insert(entry.name).inserted {
            report(
                node, workloads == nil ? "workload" : "workloads",
                "workload '\(entry.name)' is named twice once each query has a workload of its own; rename one")
        }
        return (split.first?.workload, split)
    }
}
