import StackLabCore

/// A gateway kind: a reverse proxy that forwards every request to the next component of its stack, planned
/// from a `GatewayConfiguration` rendered by its `renderer`.
protocol GatewayKind: LocalComponentKind {
    /// Writes its configuration files and says how to start it.
    var renderer: any GatewayRenderer.Type { get }

    /// Adds what the kind sets beyond the shared configuration (a sidecar's options), once its transports are set.
    func configure(
        _ gateway: inout GatewayConfiguration, for component: Component, in context: LocalPlanContext)
        throws
}

extension GatewayKind {
    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan {
        try ComponentRecipe.gatewayPlan(component, renderer: renderer, in: context) {
            try configure(&$0, for: component, in: context)
        }
    }

    func configure(_ gateway: inout GatewayConfiguration, for component: Component, in context: LocalPlanContext) {}
}

extension ComponentRecipe {
    /// The renderer of a registered gateway kind; nil for a kind that is not a gateway.
    static func renderer(for kind: ComponentKind) -> (any GatewayRenderer.Type)? {
        (LocalComponents.kind(kind) as? any GatewayKind)?.renderer
    }
}
