import Foundation
import StackLabCore

/// Everything StackLab knows about running one kind of component on this machine: where it comes from, how
/// it is planned (its configuration, readiness and endpoints), which settings it takes and which backup
/// drills it offers.
///
/// Each kind is one folder under `Components/` with one conformer, listed once in `LocalComponents.all`.
/// What the spec check needs (the protocols its entry speaks, whether it forwards) is written once next to
/// its Core case, `ComponentKind.entryProtocols` and `ComponentKind.isGateway`, and read from there.
public protocol LocalComponentKind: Sendable {
    /// The Core kind it runs.
    var kind: ComponentKind { get }
    /// Where it comes from: one source, or one per runtime for the apps.
    var sources: [ComponentSource] { get }
    /// Its backup methods in the order they run (`backup: true` takes them all); empty when it has none.
    var backupMethods: [String] { get }
    /// A component of this kind as the conformance test starts it: one CPU, the kind's defaults.
    var example: Component { get }

    /// Where `component` comes from (an app's source depends on its runtime).
    func source(of component: Component) -> ComponentSource

    /// Plans `component`: writes its configuration under the run directory and returns the command, the
    /// readiness probe and its endpoints.
    ///
    /// - Throws: `UserError` naming the component, for a setting it does not take or a program not installed
    ///   (with the command that installs it).
    func plan(_ component: Component, in context: LocalPlanContext) throws -> LocalComponentPlan

    /// What stops `component` from running here, found before anything starts: one line per problem, with the
    /// source to install when its program is missing.
    func preflight(
        _ component: Component, locator: ComponentLocator, binDirectory: URL
    )
        -> (problems: [String], missing: ComponentSource?)

    /// Takes the backup `context.method` of a running component, restores it and checks the copy.
    func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws

    /// The directory whose disk holds the tables a SQL workload loads into it, for the disk-space check before
    /// a run; nil for a kind that loads none.
    func dataPlace(runsDirectory: URL) -> String?

    /// Checks a started, ready component before any load (an app against the standard app API).
    ///
    /// - Throws: `UserError` naming the component and the variant when it fails.
    func verify(_ plan: LocalComponentPlan, variant: String) async throws
}

extension LocalComponentKind {
    public var backupMethods: [String] { [] }

    public var example: Component {
        Component(name: kind.rawValue, kind: kind, resources: Resources(both: .init(cpu: 1)))
    }

    /// The source of `component`: the kind's first (an app's is by runtime, `AppKind` says).
    public func source(of component: Component) -> ComponentSource {
        sources.first { $0.runtime == component.runtime } ?? sources[0]
    }

    /// By default: its backup setting names methods it offers, and its program is installed.
    public func preflight(
        _ component: Component, locator: ComponentLocator, binDirectory: URL
    )
        -> (problems: [String], missing: ComponentSource?)
    {
        var problems: [String] = []
        // A backup method the kind does not offer would fail only after the variant's last trial.
        do {
            _ = try BackupSetting.methods(of: component)
        } catch let error as UserError {
            problems.append(error.message)
        } catch {
            problems.append("\(error)")
        }
        let source = source(of: component)
        guard locator.executable(for: source) == nil else { return (problems, nil) }
        return (problems + [ComponentRecipe.notInstalled(component, source).message], source)
    }

    public func drill(_ context: RecoveryDrills.Context, into record: inout RecoveryDrill) async throws {
        throw UserError("kind \(kind.rawValue) has no backup drill")
    }

    public func dataPlace(runsDirectory: URL) -> String? { nil }

    /// By default ready is enough.
    public func verify(_ plan: LocalComponentPlan, variant: String) async throws {}
}
