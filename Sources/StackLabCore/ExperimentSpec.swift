/// An experiment as its YAML file declares it: variants (stacks of components) measured under one workload or
/// several named ones, with repeats, an SLO and a price catalog.
///
/// Read one with `ExperimentSpec.load(path:)`; a value of this type has passed every check of the format
/// (docs/experiment-spec.md): each variant names defined components, exactly one arrival model is given, and so on.
public struct ExperimentSpec: Sendable, Equatable, Codable {
    /// The version of the spec format this StackLab reads; a file may say `version: 1`.
    public static let formatVersion = 1

    public var version: Int
    /// Letters, digits, `-` and `_`.
    public var name: String
    public var description: String?
    /// Trials of each variant; at least 1.
    public var repeats: Int

    /// Repeats when a file gives none: enough for an exact test to call a difference at 5% (4 per group) and
    /// for each median to have an interval of at least 90% (5).
    public static let defaultRepeats = 5
    public var slo: ServiceLevelObjective?
    /// A shipped price catalog's name or the path of a catalog file.
    public var pricing: String?
    /// What the bytes served at the stack's edge would cross in production, and so how they are priced; nil (as in
    /// runs stored before the key existed) reads as ``EgressKind/none``.
    public var egress: EgressKind?
    /// The single workload (`workload:`), or the first of ``workloads``.
    public var workload: Workload
    /// The named workloads of `workloads:`, in the file's order; nil when the file gives one `workload:`.
    ///
    /// Optional so that specs stored before the key existed still read back.
    public var workloads: [NamedWorkload]?
    /// In the order the file lists them.
    public var components: [Component]
    /// In the order the file lists them.
    public var variants: [Variant]
    /// The regression gate's rules (`gate:`), which `stacklab compare` applies to this experiment's runs; nil when
    /// the file gives none (and in runs stored before the key existed).
    public var gate: [GateRule]?

    public init(
        version: Int = ExperimentSpec.formatVersion, name: String, description: String? = nil, repeats: Int = 1,
        slo: ServiceLevelObjective? = nil, pricing: String? = nil, workload: Workload, components: [Component],
        variants: [Variant], workloads: [NamedWorkload]? = nil, egress: EgressKind? = nil
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.repeats = repeats
        self.slo = slo
        self.pricing = pricing
        self.egress = egress
        self.workload = workloads?.first?.workload ?? workload
        self.workloads = workloads
        self.components = components
        self.variants = variants
    }

    /// The component with this name, if the experiment defines one.
    public func component(named name: String) -> Component? {
        components.first(where: { $0.name == name })
    }

    /// The components of a variant's stack, in the order a request passes through them.
    public func stack(of variant: Variant) -> [Component] {
        variant.stack.compactMap(component(named:))
    }
}
