/// A component StackLab knows of that has no data plane installable on this machine, so only the Kubernetes
/// backend (a later issue) can run it: `stacklab components` lists it with the reason.
public struct KubernetesOnlyComponent: Sendable, Equatable {
    public var name: String
    /// Why it cannot run here, one clause.
    public var reason: String

    /// Every such component, in the order `stacklab components` lists them.
    public static let all = [
        KubernetesOnlyComponent(
            name: "linkerd",
            reason: "its proxy (linkerd2-proxy) ships only as a container image injected by its control plane"),
        KubernetesOnlyComponent(
            name: "cilium",
            reason: "its data plane is eBPF programs loaded by its agent into a Kubernetes node's kernel"),
        KubernetesOnlyComponent(
            name: "kafka",
            reason:
                "bring your own broker (Debian 12 packages Kafka's clients but no broker, and none can be fetched here)"
        ),
        KubernetesOnlyComponent(
            name: "loki",
            reason: "no Debian package (Debian's loki is another program, MCMC linkage analysis of pedigrees)"),
        KubernetesOnlyComponent(
            name: "elasticsearch", reason: "no Debian package; Elastic ships it as a container image"),
        KubernetesOnlyComponent(name: "tempo", reason: "no Debian package; Grafana ships it as a container image"),
        KubernetesOnlyComponent(name: "jaeger", reason: "no Debian package; it ships as container images"),
        KubernetesOnlyComponent(
            name: "cosign",
            reason:
                "no Debian 12 package nor PyPI wheel, and keyless signing needs Sigstore's Fulcio and Rekor, "
                + "which cannot be reached here"),
        KubernetesOnlyComponent(
            name: "kyverno",
            reason: "a policy engine that runs as a Kubernetes admission webhook; no Debian package"),
    ]
}
