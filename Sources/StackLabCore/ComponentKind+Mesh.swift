extension ComponentKind {
    /// Whether the kind is a service mesh's proxy: a node proxy or a sidecar.
    public var isMeshProxy: Bool { self == .nodeProxy || self == .sidecar }
}
