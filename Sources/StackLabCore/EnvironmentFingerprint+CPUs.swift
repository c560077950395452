extension EnvironmentFingerprint {
    /// The CPUs every component of a stack shared during the trials: ``componentCPUs`` when the run kept it, else
    /// the component CPU set its pinning note names (`components on CPUs 0`), else all the machine's cores.
    public var sharedComponentCPUs: Int {
        if let componentCPUs, componentCPUs > 0 { return componentCPUs }
        if let range = pinning.range(of: "components on CPUs ") {
            let list = pinning[range.upperBound...].prefix { !$0.isWhitespace }
            if let cpus = try? CPUSet(parsing: String(list)), !cpus.isEmpty { return cpus.count }
        }
        return max(cores, 1)
    }
}
