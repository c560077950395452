/// The rule layers of the classifier: overrides, keywords, and the landscape's categories mapped to areas.
public enum AreaRules {
    /// Explicit answers for items the other layers get wrong or cannot tell (autoscalers listed under scheduling).
    public static let overrides: [String: LabArea] = [
        "KEDA": .autoscaling, "Karpenter": .autoscaling, "Cluster Autoscaler": .autoscaling,
        "Vertical Pod Autoscaler": .autoscaling, "Knative": .runtimes, "Argo": .platform, "Flux": .platform,
        "Open Policy Agent (OPA)": .security, "Kyverno": .security, "Istio": .serviceMesh, "Linkerd": .serviceMesh,
        "Cilium": .traffic, "NATS": .messaging, "Redis": .data, "CloudEvents": .messaging,
        "OpenTelemetry": .observability, "Crossplane": .platform, "Dapr": .runtimes,
    ]

    /// A keyword rule: any of `terms` in the lower-cased name or description gives `area`.
    public struct KeywordRule: Sendable {
        public var terms: [String]
        public var area: LabArea
    }

    /// Keywords specific enough to decide over the category (a service mesh listed under API gateways).
    public static let decisiveKeywords: [KeywordRule] = [
        KeywordRule(
            terms: ["autoscal", "auto-scal", "horizontal pod", "scale to zero", "scale-to-zero"], area: .autoscaling),
        KeywordRule(terms: ["service mesh"], area: .serviceMesh),
        KeywordRule(terms: ["gitops"], area: .platform),
    ]

    /// Keywords for items whose category maps to no area (Wasm tooling, AI agents, members).
    public static let keywords: [KeywordRule] = [
        KeywordRule(
            terms: ["message broker", "messaging", "pub/sub", "pubsub", "event streaming", "queue", "kafka", "mqtt"],
            area: .messaging),
        KeywordRule(
            terms: ["observability", "monitoring", "tracing", "metrics", "logging", "telemetry"], area: .observability),
        KeywordRule(terms: ["gateway", "proxy", "load balanc", "ingress", "traffic"], area: .traffic),
        KeywordRule(terms: ["database", "storage", "sql", "key-value", "vector", "cache"], area: .data),
        KeywordRule(
            terms: ["policy", "security", "vulnerab", "secret", "identity", "guardrail", "authoriz", "authentic"],
            area: .security),
        KeywordRule(
            terms: [
                "continuous integration", "continuous delivery", "ci/cd", "pipeline", "supply chain", "sbom",
                "registry", "build",
            ], area: .delivery),
        KeywordRule(terms: ["runtime", "webassembly", "wasm", "serverless", "function", "inference"], area: .runtimes),
        KeywordRule(
            terms: ["kubernetes", "cluster", "platform", "orchestrat", "provision", "infrastructure as code"],
            area: .platform),
    ]

    /// The landscape's subcategories (`Category / Subcategory`) and categories mapped to the lab's areas.
    /// Categories that list organisations rather than technologies (members, training partners) map to none.
    public static let categories: [String: LabArea] = [
        "Provisioning / Automation & Configuration": .platform,
        "Provisioning / Container Registry": .delivery,
        "Provisioning / Security & Compliance": .security,
        "Provisioning / Key Management": .security,
        "Runtime / Cloud Native Storage": .data,
        "Runtime / Container Runtime": .runtimes,
        "Runtime / Cloud Native Network": .traffic,
        "Orchestration & Management / Scheduling & Orchestration": .platform,
        "Orchestration & Management / Coordination & Service Discovery": .traffic,
        "Orchestration & Management / Remote Procedure Call": .traffic,
        "Orchestration & Management / Service Proxy": .traffic,
        "Orchestration & Management / API Gateway": .traffic,
        "Orchestration & Management / Service Mesh": .serviceMesh,
        "App Definition and Development / Database": .data,
        "App Definition and Development / Streaming & Messaging": .messaging,
        "App Definition and Development / Application Definition & Image Build": .delivery,
        "App Definition and Development / Continuous Integration & Delivery": .delivery,
        "Platform": .platform,
        "Serverless / Security": .security,
        "Serverless": .runtimes,
        "Observability and Analysis / Observability": .observability,
        "Observability and Analysis / Chaos Engineering": .observability,
        "Observability and Analysis / Feature Flagging": .delivery,
        "Observability and Analysis / Continuous Optimization": .autoscaling,
        "Wasm / Orchestration & Management": .platform,
        "Wasm / Debugging & Observability": .observability,
        "Wasm / Packaging, Registries & Application Delivery": .delivery,
        "Wasm": .runtimes,
        "AI Agent / Guardrail": .security,
        "AI Agent / Vector Database": .data,
        "AI Agent / State and Memory": .data,
        "AI Agent / Knowledge Graph": .data,
        "AI Agent / Workflow Orchestration": .platform,
        "Inference": .runtimes,
        "Data": .data,
        "AI Native Infra / Orchestration and Scheduling": .platform,
        "AI Native Infra / Workload Runtime": .runtimes,
        "AI Native Infra / Gateway": .traffic,
        "AI Native Infra / Model Asset and Registry": .delivery,
        "AI Native Infra / Governance, Policy and Security": .security,
        "AI Native Infra / Observability": .observability,
        "AI Native Infra / Continuous Integration and Delivery": .delivery,
    ]

    /// The area the subcategory maps to, else its category's.
    public static func area(category: String, subcategory: String) -> LabArea? {
        categories["\(category) / \(subcategory)"] ?? categories[category]
    }

    /// The first rule of `rules` with a term in `text` (lower-cased), if any.
    public static func match(_ rules: [KeywordRule], in text: String) -> LabArea? {
        rules.first { rule in rule.terms.contains { text.contains($0) } }?.area
    }
}
