/// A CNCF project's maturity level, as the landscape's `project` key states it.
public enum ProjectMaturity: String, Sendable, Equatable, Hashable, Codable, CaseIterable, Comparable {
    case sandbox
    case incubating
    case graduated
    case archived

    /// Order of the CNCF ladder: sandbox, incubating, graduated; archived sorts last, as the end of a project's life.
    public var rank: Int {
        switch self {
        case .sandbox: 1
        case .incubating: 2
        case .graduated: 3
        case .archived: 4
        }
    }

    public static func < (lhs: ProjectMaturity, rhs: ProjectMaturity) -> Bool { lhs.rank < rhs.rank }
}

extension Optional where Wrapped == ProjectMaturity {
    /// `graduated`, or `-` for an item that is not a CNCF project.
    public var label: String { self?.rawValue ?? "-" }
}
