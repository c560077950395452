import Yams

extension SpecReader {
    /// `slo:`, latency ceilings per percentile (`p99: 20ms`) and a ceiling on the error rate (`error_rate: 0.1%`).
    mutating func serviceLevelObjective(_ node: Node, _ keyPath: String) -> ServiceLevelObjective? {
        let allowed = ServiceLevelObjective.percentiles + ["error_rate"]
        guard let fields = fields(node, keyPath, allowed: allowed, expected: "objectives, e.g. { p99: 20ms }")
        else { return nil }
        if fields.isEmpty {
            report(node, keyPath, "empty; give at least one objective, e.g. { p99: 20ms, error_rate: 0.1% }")
            return nil
        }
        var objective = ServiceLevelObjective()
        var complete = true
        for percentile in ServiceLevelObjective.percentiles {
            guard let node = fields[percentile] else { continue }
            let path = fields.path(percentile)
            // A bare number would be seconds to DurationText but milliseconds to a k6 threshold: ask for a unit.
            if let text = scalarText(node), Double(text) != nil {
                report(node, path, "\(MessageText.quoted(text)) has no unit; write it like 20ms or 0.5s")
                complete = false
            } else if let nanoseconds = positiveDuration(node, path) {
                objective.latency.append(.init(percentile: percentile, nanoseconds: nanoseconds))
            } else {
                complete = false
            }
        }
        if let node = fields["error_rate"] {
            let text = scalarText(node) ?? ""
            let fraction = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
            if let fraction, fraction >= 0, fraction <= 1 {
                objective.errorRate = fraction
            } else {
                let problem = fraction == nil ? "expected a rate like 0.1% or 0.001" : "must be from 0% to 100%"
                report(node, fields.path("error_rate"), "\(problem), found \(Self.found(node))")
                complete = false
            }
        }
        return complete ? objective : nil
    }
}
