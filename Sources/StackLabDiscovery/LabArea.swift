/// The ten areas of a cloud-native stack the lab organises its measurements by.
public enum LabArea: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case platform = "platform-gitops"
    case delivery = "ci-cd-supply-chain"
    case observability
    case traffic = "traffic-management"
    case data
    case security = "security-policy"
    case serviceMesh = "service-mesh"
    case messaging
    case autoscaling
    case runtimes

    /// `traffic management`, as a person reads it.
    public var title: String {
        switch self {
        case .platform: "platform / GitOps"
        case .delivery: "CI/CD and supply chain"
        case .observability: "observability"
        case .traffic: "traffic management"
        case .data: "data"
        case .security: "security and policy"
        case .serviceMesh: "service mesh"
        case .messaging: "messaging"
        case .autoscaling: "autoscaling"
        case .runtimes: "runtimes"
        }
    }
}
