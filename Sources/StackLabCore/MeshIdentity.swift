/// A workload's identity in the mesh, written as Istio writes it: a SPIFFE ID in the URI subject alternative name
/// of the certificates its proxy presents (`spiffe://stacklab.local/ns/default/sa/<name>`).
///
/// A sidecar goes by the identity of the component it carries, the client's sidecar by ``client``, any other
/// component of a graph by its own name (``StackGraph/identity(of:)``).
public enum MeshIdentity {
    /// The trust domain of every identity the run's certificate authority issues.
    public static let trustDomain = "stacklab.local"
    /// The identity of the load engine's side: what the client's sidecar presents, and what a policy's
    /// `from: client` names.
    public static let client = "client"

    /// The SPIFFE ID of a service account (a component's name, or ``client``).
    public static func spiffeID(_ serviceAccount: String) -> String {
        "spiffe://\(trustDomain)/ns/default/sa/\(serviceAccount)"
    }
}
