/// What kind of traffic the bytes a stack serves at its edge would be in production, and so how they are priced.
///
/// A loopback lab moves no byte across a billed boundary, so the default is ``none``: nothing is priced for egress
/// until the experiment says what the responses would cross (`egress: internet` or `egress: cross-zone`).
public enum EgressKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Responses stay where they are served (same zone, or this machine): not priced.
    case none
    /// Responses go to clients on the internet: the catalog's `egress_per_gb`.
    case internet
    /// Responses cross to another zone of the same region: the catalog's `cross_zone_egress_per_gb`.
    case crossZone = "cross-zone"

    /// `internet egress`, `cross-zone egress`, `no egress`: how a report names the assumption.
    public var phrase: String {
        switch self {
        case .none: "no egress"
        case .internet: "internet egress"
        case .crossZone: "cross-zone egress"
        }
    }
}

extension PriceCatalog {
    /// The $/GB this catalog charges for `kind`; nil when the catalog gives no price for it (cross-zone in a catalog
    /// written before the key existed).
    public func egressPerGB(for kind: EgressKind) -> Double? {
        switch kind {
        case .none: 0
        case .internet: egressPerGB
        case .crossZone: crossZoneEgressPerGB
        }
    }
}
