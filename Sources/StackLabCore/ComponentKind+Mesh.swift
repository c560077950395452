extension ComponentKind {
    /// Whether the kind is a service mesh's proxy: a node proxy or a sidecar.
    public var isMeshProxy: Bool { self == .nodeProxy || self == .sidecar }
}

extension ComponentKind {
    /// Whether a `kind: sidecar` beside a component of this kind carries its outbound hops too (Istio's outbound
    /// listener): the reference app, which opens no TLS itself. A gateway opens its own transports.
    public var sendsThroughSidecar: Bool { self == .app }
}
