extension ComponentKind {
    /// Whether the kind is a service mesh's proxy: a node proxy, or a sidecar (`kind: sidecar`, named by its raw
    /// value until that kind is merged).
    public var isMeshProxy: Bool { self == .nodeProxy || rawValue == "sidecar" }
}
