import StackLabCore

/// How a landscape item relates to the component kinds StackLab runs.
public enum KindMatch: Sendable, Equatable {
    /// StackLab runs this very technology.
    case runs(ComponentKind)
    /// StackLab runs peers in the same role (a gateway among the lab's gateways).
    case peerOf(ComponentRole)

    public var label: String {
        switch self {
        case .runs(let kind): "runs as '\(kind.rawValue)'"
        case .peerOf(let role): "\(role.rawValue) (peer of the lab's \(role.rawValue)s)"
        }
    }
}
