import Foundation
import StackLabCore

extension LocalStack {
    /// Checks, before anything starts or any load is sent, that every variant of `spec` can run here: each
    /// component's kind is registered (`LocalComponents`) and passes its kind's preflight (installed, settings).
    ///
    /// - Throws: `UserError` listing every problem, with the exact command that installs what is missing
    ///   (`stacklab install haproxy envoy`).
    public static func preflight(_ spec: ExperimentSpec, binDirectory: URL, locator: ComponentLocator? = nil) throws {
        let locator = locator ?? ComponentLocator(binDirectory: binDirectory)
        var problems: [String] = []
        var missing: [String] = []
        var checked: Set<String> = []
        for variant in spec.variants {
            // Where TLS may be and what a gateway needs behind it are checked when the spec is read
            // (`SpecReader.checkStacks`), so that `validate` refuses what a run would.
            for component in spec.stack(of: variant) {
                guard checked.insert(component.name).inserted else { continue }
                guard let kind = LocalComponents.kind(component.kind) else {
                    problems.append(LocalComponents.noRecipe(component).message)
                    continue
                }
                let found = kind.preflight(component, locator: locator, binDirectory: binDirectory)
                problems += found.problems
                if let source = found.missing, !missing.contains(source.name) { missing.append(source.name) }
            }
        }
        guard !problems.isEmpty else { return }
        var message = problems.joined(separator: "\n")
        if missing.count > 1 {
            message += "\ninstall them all with: stacklab install \(missing.joined(separator: " "))"
        }
        throw UserError(message)
    }

    /// Why an app of `runtime` cannot run here when StackLab cannot install its toolchain (.NET without `dotnet`
    /// on PATH): a run skips such variants and reports them as not installed. Nil otherwise, also for a runtime
    /// that `stacklab install` brings, which preflight asks for instead.
    public static func missingRuntime(_ runtime: AppRuntime) -> String? {
        guard runtime == .dotnet, ExecutableLookup.find("dotnet") == nil else { return nil }
        return RuntimeToolchain.noDotnet
    }
}
