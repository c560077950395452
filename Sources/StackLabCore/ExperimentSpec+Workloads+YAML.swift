import Yams

extension SpecReader {
    /// `workload:` (one workload) or `workloads:` (a map of plain names to workloads), exactly one of them.
    mutating func experimentWorkloads(_ fields: SpecFields) -> (Workload?, [NamedWorkload]?) {
        switch (fields["workload"], fields["workloads"]) {
        case (.some, .some):
            report(
                fields.keyNode("workloads"), "workloads",
                "give either workload (one) or workloads (several, by name), not both")
            return (nil, nil)
        case (.some(let node), nil):
            return (workload(node, "workload"), nil)
        case (nil, .some(let node)):
            guard let workloads = namedWorkloads(node, "workloads") else { return (nil, nil) }
            return (workloads.first?.workload, workloads)
        case (nil, nil):
            if !fields.suggested.contains("workloads") {
                reportMissing(
                    fields, "workload",
                    "e.g. workload: { protocol: http, path: /json, rate: 1000/s }, or workloads: { json: { … } }")
            }
            return (nil, nil)
        }
    }

    /// `workloads:`: at least one entry, each a plain name (`json`, `db`) and a workload with every key of
    /// `workload:`.
    mutating func namedWorkloads(_ node: Node, _ keyPath: String) -> [NamedWorkload]? {
        guard
            let fields = fields(
                node, keyPath, allowed: nil,
                expected: "a mapping of workload names to workloads, e.g. { json: { path: /json, rate: max } }")
        else { return nil }
        if fields.isEmpty {
            report(node, keyPath, "no workloads; name at least one, e.g. json: { path: /json, rate: max }")
            return nil
        }
        var workloads: [NamedWorkload] = []
        var complete = true
        for name in fields.keys {
            let path = fields.path(name)
            if checkName(name, fields.keyNode(name) ?? node, path), let workload = workload(fields[name]!, path) {
                workloads.append(NamedWorkload(name: name, workload: workload))
            } else {
                complete = false
            }
        }
        return complete ? workloads : nil
    }
}
