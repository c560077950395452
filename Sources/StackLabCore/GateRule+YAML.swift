import Yams

extension SpecReader {
    /// `gate:`, the regression gate's rules as `stacklab compare --fail-on` takes them:
    /// `gate: ["p99>+10%", "cost_per_million>+5%"]`.
    mutating func gateRules(_ node: Node, _ keyPath: String) -> [GateRule]? {
        guard let items = list(node, keyPath, example: "[\"p99>+10%\", \"cost_per_million>+5%\"]") else {
            return nil
        }
        if items.isEmpty {
            report(node, keyPath, "empty; give at least one rule, e.g. [\"p99>+10%\"], or leave gate out")
            return nil
        }
        var rules: [GateRule] = []
        for (index, item) in items.enumerated() {
            let path = Self.path(keyPath, index: index)
            guard let text = scalarText(item) else {
                report(item, path, "expected a rule like \"p99>+10%\", found \(Self.found(item))")
                continue
            }
            do {
                rules.append(try GateRule(parsing: text))
            } catch let error as UserError {
                report(item, path, error.message)
            } catch {
                report(item, path, "\(error)")
            }
        }
        return rules.count == items.count ? rules : nil
    }
}
