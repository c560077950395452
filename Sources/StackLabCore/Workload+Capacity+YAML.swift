import Yams

extension SpecReader {
    static let capacityKeys = ["from", "to", "precision"]

    /// `capacity: { from: 500/s, to: 20000/s, precision: 5% }`, each key optional (``CapacitySearch``'s defaults).
    mutating func capacitySearch(_ node: Node, _ keyPath: String) -> CapacitySearch? {
        guard
            let fields = fields(
                node, keyPath, allowed: Self.capacityKeys,
                expected: "a capacity search, e.g. { from: 500/s, to: 20000/s, precision: 5% }")
        else { return nil }
        var search = CapacitySearch()
        var complete = true
        if let node = fields["from"] {
            if let rate = rate(node, fields.path("from")) { search.from = rate } else { complete = false }
        }
        if let node = fields["to"] {
            if let rate = rate(node, fields.path("to")) { search.to = rate } else { complete = false }
        }
        if let node = fields["precision"] {
            if let fraction = precision(node, fields.path("precision")) {
                search.precision = fraction
            } else {
                complete = false
            }
        }
        guard complete else { return nil }
        guard search.to > search.from else {
            let node = fields.keyNode("to") ?? fields.keyNode("from") ?? node
            report(
                node, fields.path(fields["to"] != nil ? "to" : "from"),
                "the search must go up: to (\(Workload.rateText(search.to))/s) must be more than from "
                    + "(\(Workload.rateText(search.from))/s)")
            return nil
        }
        return search
    }

    /// A relative precision: `5%` or `0.05`, more than 0.1% and at most 50%.
    private mutating func precision(_ node: Node, _ keyPath: String) -> Double? {
        let text = scalarText(node) ?? ""
        let fraction = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let fraction, fraction.isFinite else {
            report(node, keyPath, "expected a precision like 5% or 0.05, found \(Self.found(node))")
            return nil
        }
        guard fraction >= 0.001, fraction <= 0.5 else {
            report(node, keyPath, "must be from 0.1% to 50%, found \(MessageText.quoted(text))")
            return nil
        }
        return fraction
    }
}
