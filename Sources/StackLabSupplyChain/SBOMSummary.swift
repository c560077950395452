/// What `stacklab sbom --summary` shows of one app's bill of materials: how many dependencies, under which
/// licenses, and how many state none.
public struct SBOMSummary: Sendable, Equatable {
    public var app: String
    public var dependencies: Int
    /// Each license as its source states it, with the number of dependencies under it, most frequent first.
    public var licenses: [(license: String, count: Int)]
    /// Dependencies whose source states no license.
    public var unstated: Int

    public init(app: String, document: CycloneDXDocument) {
        self.app = app
        dependencies = document.components.count
        var tally: [String: Int] = [:]
        var unstated = 0
        for component in document.components {
            let names = (component.licenses ?? []).compactMap { $0.expression ?? $0.license?.name }
            if names.isEmpty { unstated += 1 }
            for name in Set(names) { tally[name, default: 0] += 1 }
        }
        licenses = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
            (license: $0.key, count: $0.value)
        }
        self.unstated = unstated
    }

    /// `MIT OR Apache-2.0 ×40, MIT ×12, none stated ×3`.
    public var licenseText: String {
        var parts = licenses.map { "\($0.license) ×\($0.count)" }
        if unstated > 0 { parts.append("none stated ×\(unstated)") }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    public static func == (lhs: SBOMSummary, rhs: SBOMSummary) -> Bool {
        lhs.app == rhs.app && lhs.dependencies == rhs.dependencies && lhs.unstated == rhs.unstated
            && lhs.licenses.map(\.license) == rhs.licenses.map(\.license)
            && lhs.licenses.map(\.count) == rhs.licenses.map(\.count)
    }
}
